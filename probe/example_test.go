package probe_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/soakkit/soakkit/probe"
)

// A step's process tree sampled every 250 ms into samples.jsonl while the
// step runs, then judged.
func ExampleNewMonitor() {
	dir, _ := os.MkdirTemp("", "probe-example")
	defer os.RemoveAll(dir)
	samples, err := probe.OpenJSONL(filepath.Join(dir, "samples.jsonl"))
	if err != nil {
		panic(err)
	}
	defer samples.Close()

	m := probe.NewMonitor("step:tests", probe.Tree(os.Getpid()),
		probe.WithInterval(250*time.Millisecond),
		probe.WithSink(samples),
		probe.WithAlarm(func(a probe.Alarm) { fmt.Println("alarm:", a.Reason) }))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	m.Run(ctx) // returns when ctx is done; run it in a goroutine beside the work

	for _, v := range m.Verdicts() {
		fmt.Printf("%s %s: %s\n", v.Target, v.Metric, v.Outcome)
	}
}

// Analyze judges a recorded series at once: here two hours of a process
// leaking 2 MiB per minute, sampled every second.
func ExampleAnalyze() {
	start := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	var times []time.Time
	var rss []float64
	for s := 0; s < 2*3600; s++ {
		times = append(times, start.Add(time.Duration(s)*time.Second))
		rss = append(rss, 300*probe.MiB+2*probe.MiB*float64(s)/60+float64(s%7)*probe.MiB)
	}
	v := probe.Analyze(probe.RSS, probe.Policy{}, times, rss)
	fmt.Println(v.Outcome)
	fmt.Printf("slope %.0f %s, first alarm after %v\n", v.Slope, v.Unit, v.FirstAlarm.Sub(start))
	// Output:
	// LEAK
	// slope 120 MiB/h, first alarm after 30m0s
}

// Goroutines counted after each iteration: one leaks per iteration.
func ExampleNewCounts() {
	c := probe.NewCounts(probe.Goroutines, probe.CountPolicy{})
	for i := range 60 {
		transient := float64(i * 7 % 5) // goroutines still finishing
		c.Add(10 + float64(i) + transient)
	}
	v := c.Verdict()
	fmt.Println(v.Outcome, v.Unit)
	// Output:
	// LEAK goroutines/iteration
}

// An environment snapshot with values passed through a redaction hook
// (soak passes secrets.Redact), written atomically as env.json.
func ExampleSnapshot() {
	env := probe.Snapshot(context.Background(), &probe.EnvOptions{
		Redact: func(v string) string { return v }, // e.g. secrets.Redact
	})
	if err := env.WriteFile(filepath.Join(os.TempDir(), "env.json")); err != nil {
		fmt.Println(err)
	}
}
