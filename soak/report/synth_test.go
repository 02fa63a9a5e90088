package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// A synth describes a generated soak whose artifacts the tests render.
// Everything is derived from its fields and a fixed seed, so two calls with
// the same synth write identical trees.
type synth struct {
	start       time.Time
	length      time.Duration // of the soak
	interval    time.Duration // service sample interval; "self" is sampled 5× less often
	iteration   time.Duration // time between iteration starts
	leakPerHour float64       // service RSS growth, bytes per hour
	failEvery   int           // every failEvery-th iteration fails (0: none)
	timeoutAt   int           // this iteration times out (0: none)
	running     bool          // no stop reason in state.json, as for a crashed run
	tornTail    bool          // append half a line to both JSONL files
	slowdown    float64       // step tests is this fraction slower at the end than at the start
}

var synthStart = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// write writes the artifacts tree of s under root.
func (s synth) write(tb testing.TB, root string) {
	tb.Helper()
	l := artifact.Layout{Root: root}
	rng := rand.New(rand.NewPCG(1, 2))
	if err := os.MkdirAll(l.Dir(), 0o755); err != nil {
		tb.Fatal(err)
	}

	// samples.jsonl, written with encoding/json: the field names are the
	// contract, key order is not.
	f, err := os.Create(l.Samples())
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	n := int(s.length / s.interval)
	for i := range n {
		at := s.start.Add(time.Duration(i) * s.interval)
		h := float64(at.Sub(s.start)) / float64(time.Hour)
		// A GC-like sawtooth plus noise on top of the leak.
		saw := float64(i%120) / 120 * 6 * probe.MiB
		svc := probe.Sample{
			Time: at, Target: "service", PID: 4242,
			RSS:     uint64(80*probe.MiB + s.leakPerHour*h + saw + rng.NormFloat64()*probe.MiB),
			FDs:     24 + rng.IntN(3),
			Threads: 9 + rng.IntN(2),
			Procs:   3,
		}
		if err := enc.Encode(svc); err != nil {
			tb.Fatal(err)
		}
		if i%5 == 0 {
			self := probe.Sample{
				Time: at, Target: "self", PID: 100, Procs: 1,
				RSS: uint64(30*probe.MiB + rng.NormFloat64()*0.2*probe.MiB), FDs: 12, Threads: 7,
				HeapLive:   uint64(8*probe.MiB + saw/3),
				GoMemTotal: uint64(14*probe.MiB + saw/3),
				Goroutines: 14 + rng.IntN(2),
			}
			if err := enc.Encode(self); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if s.tornTail {
		fmt.Fprintf(w, `{"t":"%s","target":"service","rss":12`, s.start.Add(s.length).Format(time.RFC3339))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}

	// iterations.jsonl
	f, err = os.Create(l.Iterations())
	if err != nil {
		tb.Fatal(err)
	}
	w = bufio.NewWriter(f)
	var c artifact.Counts
	iters := int(s.length / s.iteration)
	for k := 1; k <= iters; k++ {
		start := s.start.Add(time.Duration(k-1) * s.iteration)
		build := 20*time.Second + time.Duration(rng.IntN(4000))*time.Millisecond
		tests := 90*time.Second + time.Duration(rng.IntN(20000))*time.Millisecond
		tests += time.Duration(s.slowdown * float64(k) / float64(iters) * float64(100*time.Second))
		rec := artifact.Record{
			Iteration: k, Start: start, BudgetMS: 600_000, Result: "OK", Status: artifact.IterPassed,
			LogDir: fmt.Sprintf("soak/logs/%06d", k),
			Steps: []artifact.StepRecord{
				{Name: "build", Status: step.Passed, OK: true, DurationMS: build.Milliseconds(), Attempts: 1, PeakRSS: 200 << 20},
				{Name: "tests", Status: step.Passed, OK: true, DurationMS: tests.Milliseconds(), Attempts: 1, PeakRSS: 300 << 20},
			},
		}
		ts := &rec.Steps[1]
		switch {
		case k == s.timeoutAt:
			rec.Status, rec.Result, rec.Reason = artifact.IterTimedOut, "FAIL", "step tests timed out after 10m0s"
			ts.Status, ts.OK, ts.ExitCode, ts.DurationMS = step.TimedOut, false, -1, 600_000
			ts.Details, ts.Tail = "killed after 10m0s", "=== RUN   TestSlow\n(still running when the timeout hit)"
			ts.Logs = []string{rec.LogDir + "/tests.stdout.log"}
			c.TimedOut++
			c.Failed++
		case s.failEvery > 0 && k%s.failEvery == 0:
			rec.Status, rec.Result, rec.Reason = artifact.IterFailed, "FAIL", "step tests failed: exit status 1"
			ts.Status, ts.OK, ts.ExitCode = step.Failed, false, 1
			ts.Details = "--- FAIL: TestFlaky (0.20s)"
			ts.Tail = "=== RUN   TestFlaky\n    flaky_test.go:12: connection reset by peer <b>not markup</b>\n--- FAIL: TestFlaky (0.20s)\nFAIL"
			ts.Logs = []string{rec.LogDir + "/tests.stdout.log", rec.LogDir + "/tests.stderr.log"}
			c.Failed++
		default:
			c.Passed++
		}
		var d time.Duration
		for _, st := range rec.Steps {
			d += time.Duration(st.DurationMS) * time.Millisecond
		}
		rec.DurationMS, rec.End = d.Milliseconds(), start.Add(d)
		c.Iterations++
		b, err := canonjson.Marshal(rec)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(b)
	}
	if s.tornTail {
		w.WriteString(`{"iteration":999999,"start":"2026-`)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}

	st := artifact.State{
		Version: 1, RunID: "c0ffee", Started: s.start, Updated: s.start.Add(s.length),
		ElapsedMS: s.length.Milliseconds(), Counts: c, Stop: artifact.StopDuration,
	}
	if s.running {
		st.Stop = ""
		st.Running = &artifact.Active{Iteration: iters + 1, Start: s.start.Add(time.Duration(iters) * s.iteration)}
	}
	writeJSON(tb, l.State(), st)
	dirty := false
	writeJSON(tb, l.Env(), probe.Env{
		Time: s.start, Dir: "/src/app", GoVersion: "go1.26.8", GOOS: "linux", GOARCH: "amd64", NumCPU: 2,
		MemTotal: 8 << 30, MemAvail: 6 << 30, DiskPath: "/src/app/artifacts", DiskFree: 40 << 30, DiskTotal: 100 << 30,
		Module: "example.com/app", Modules: []string{"example.com/app", "golang.org/x/sys v0.50.0"},
		GitCommit: "0123456789abcdef0123456789abcdef01234567", GitDirty: &dirty,
		Vars: map[string]string{"CI": "true", "API_TOKEN": probe.Redacted, "PATH": "/usr/bin:/bin"},
	})
}

func writeJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	b, err := canonjson.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// leakySoak is a four-hour soak sampled every 5 s whose service leaks
// 12 MiB/h, with a failure every 9th iteration and a timeout.
func leakySoak() synth {
	return synth{
		start: synthStart, length: 4 * time.Hour, interval: 5 * time.Second, iteration: 5 * time.Minute,
		leakPerHour: 12 * probe.MiB, failEvery: 9, timeoutAt: 20,
	}
}

// slowSoak is a healthy six-hour soak whose step tests gets 60 % slower.
func slowSoak() synth {
	return synth{start: synthStart, length: 6 * time.Hour, interval: 5 * time.Second, iteration: 5 * time.Minute, slowdown: 0.6}
}

// healthySoak is a two-hour soak with a flat service and no failures.
func healthySoak() synth {
	return synth{start: synthStart, length: 2 * time.Hour, interval: 5 * time.Second, iteration: 4 * time.Minute}
}

func synthDir(tb testing.TB, s synth) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "artifacts")
	s.write(tb, dir)
	return dir
}
