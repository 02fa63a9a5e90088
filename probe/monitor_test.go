package probe

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/probe/sim"
)

// runMonitor runs m for d and returns its verdicts by metric.
func runMonitor(t *testing.T, m *Monitor, d time.Duration) map[Metric]Verdict {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	if err := m.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	out := map[Metric]Verdict{}
	for _, v := range m.Verdicts() {
		out[v.Metric] = v
	}
	return out
}

// shortPolicy scales the analysis down for runs of seconds: 10 s blocks give
// fine blocks of 1/3 s.
var shortPolicy = Policy{Block: 10 * time.Second}

// TestChildPrograms runs real child programs under Monitors for 8 s, all
// at once, and checks the verdicts. Leak rates are blatant, so the verdicts
// hold on a loaded machine.
func TestChildPrograms(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child programs for 8 s")
	}
	type check struct {
		metric Metric
		want   []Outcome // acceptable outcomes
	}
	tests := []struct {
		mode, arg string
		checks    []check
	}{
		{"leakmem", "8", []check{{RSS, []Outcome{Leak}}, {FDs, []Outcome{Pass}}}},
		{"leakfd", "60", []check{{FDs, []Outcome{Leak}}, {RSS, []Outcome{Pass, Inconclusive}}}},
		// A loaded machine makes the Go runtime start extra threads now and
		// then: the stationary checks ask only that nothing is called a leak.
		{"noisy", "16", []check{{RSS, []Outcome{Pass, Inconclusive}}, {FDs, []Outcome{Pass}}, {Threads, []Outcome{Pass, Inconclusive}}}},
		{"cache", "24", []check{{RSS, []Outcome{Pass, Inconclusive}}, {Procs, []Outcome{Pass}}}},
	}
	// Under Wine a tree sample walks the process table through wineserver
	// and takes up to ~1 s on a loaded machine, past the 4-interval sample
	// timeout at 100 ms: sample less often there, and expect fewer samples.
	interval, minSamples := 100*time.Millisecond, 30
	if winetest.Detected() {
		interval, minSamples = 300*time.Millisecond, 12
		t.Logf("under Wine: sampling every %v, want ≥ %d samples (Wine's process table is slow to walk)", interval, minSamples)
	}
	monitors := make([]*Monitor, len(tests))
	for i, tt := range tests {
		cmd := helper(t, tt.mode, tt.arg)
		monitors[i] = NewMonitor("step:"+tt.mode, Tree(cmd.Process.Pid), WithInterval(interval),
			WithPolicy(RSS, shortPolicy), WithPolicy(FDs, shortPolicy), WithPolicy(Threads, shortPolicy), WithPolicy(Procs, shortPolicy))
	}
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Second)
	defer cancel()
	for _, m := range monitors {
		wg.Go(func() { m.Run(ctx) })
	}
	wg.Wait()
	for i, tt := range tests {
		m := monitors[i]
		got := map[Metric]Verdict{}
		for _, v := range m.Verdicts() {
			got[v.Metric] = v
		}
		for _, c := range tt.checks {
			if c.metric == FDs && handleCountsMissing() {
				t.Logf("%s %s not checked under Wine: %s", tt.mode, c.metric, wineHandleCountGap)
				continue
			}
			v := got[c.metric]
			if !slices.Contains(c.want, v.Outcome) {
				t.Errorf("%s %s: verdict %s (%s), want one of %v", tt.mode, c.metric, v.Outcome, v.Reason, c.want)
			} else {
				t.Logf("%s %s: %s: %s", tt.mode, c.metric, v.Outcome, v.Reason)
			}
		}
		if st := m.Stats(); st.Samples < minSamples || st.Failed > 0 {
			t.Errorf("%s: Stats() = %+v, want ≥ %d samples and no failures", tt.mode, st, minSamples)
		}
	}
}

// TestGoroutineLeakInProcess watches this process's runtime while a
// function leaks goroutines, both by time series and per iteration.
func TestGoroutineLeakInProcess(t *testing.T) {
	release := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(release); wg.Wait() }()
	leak := func(n int) {
		for range n {
			wg.Go(func() { <-release })
		}
	}
	counts := NewCounts(Goroutines, CountPolicy{})
	rt := Runtime()
	m := NewMonitor("self", rt, WithInterval(50*time.Millisecond), WithPolicy(Goroutines, shortPolicy))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	for range 60 { // 60 "iterations" of 50 ms, each leaking 5 goroutines
		leak(5)
		time.Sleep(50 * time.Millisecond)
		s, _ := rt.Sample(t.Context())
		counts.Add(float64(s.Goroutines))
	}
	cancel()
	<-done
	var got Verdict
	for _, v := range m.Verdicts() {
		if v.Metric == Goroutines {
			got = v
		}
	}
	if got.Outcome != Leak || got.Slope <= 0 {
		t.Errorf("time-series verdict = %s (%s), want LEAK", got.Outcome, got.Reason)
	}
	if v := counts.Verdict(); v.Outcome != Leak {
		t.Errorf("per-iteration verdict = %s (%s), want LEAK", v.Outcome, v.Reason)
	}
}

func TestMonitorSink(t *testing.T) {
	cmd := helper(t, "sleep", "0")
	path := filepath.Join(t.TempDir(), "samples.jsonl")
	app, err := jsonl.Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	var alarms []Alarm
	m := NewMonitor("service", Tree(cmd.Process.Pid), WithInterval(20*time.Millisecond), WithSink(app),
		WithPolicy(Procs, Policy{Max: 0.5}), WithAlarm(func(a Alarm) { alarms = append(alarms, a) }))
	runMonitor(t, m, 500*time.Millisecond)
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	n := 0
	err = jsonl.Decode(path, func(s Sample, _ int) error {
		n++
		if s.Target != "service" || s.PID != cmd.Process.Pid || s.Procs != 1 || s.Time.Location() != time.UTC {
			t.Errorf("line %d: %+v, want target service, pid %d, 1 process, UTC time", n, s, cmd.Process.Pid)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := m.Stats()
	if n == 0 || n != st.Samples || st.SinkErrors != 0 {
		t.Errorf("read %d samples, Stats() = %+v", n, st)
	}
	if len(alarms) != 1 || alarms[0].Kind != AlarmCeiling || alarms[0].Metric != Procs {
		t.Errorf("alarms = %+v, want one ceiling alarm on procs", alarms)
	}
	if v := m.Verdicts(); len(v) == 0 {
		t.Errorf("Verdicts() is empty")
	}
}

func TestMonitorRunTwice(t *testing.T) {
	m := NewMonitor("self", Runtime(), WithInterval(10*time.Millisecond))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	time.Sleep(30 * time.Millisecond)
	for m.Stats().Samples == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	if err := m.Run(ctx); err != ErrRunning {
		t.Errorf("second Run = %v, want ErrRunning", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
}

// failingSampler fails every other sample and is slow on the others.
type failingSampler struct{ n int }

func (f *failingSampler) Sample(ctx context.Context) (Sample, error) {
	f.n++
	if f.n%2 == 0 {
		return Sample{}, context.DeadlineExceeded
	}
	time.Sleep(15 * time.Millisecond)
	return Sample{Goroutines: 1, GoMemTotal: 1}, nil
}

func TestMonitorCountsSlowAndFailed(t *testing.T) {
	m := NewMonitor("x", &failingSampler{}, WithInterval(10*time.Millisecond))
	runMonitor(t, m, 300*time.Millisecond)
	st := m.Stats()
	if st.Failed == 0 || st.Slow == 0 || st.Samples == 0 || st.LastError == "" {
		t.Errorf("Stats() = %+v, want slow, failed and good samples counted", st)
	}
}

// TestShortRunAdapts replays two minutes sampled at 250 ms of the Go-like
// profile: a blatant leak is called, a stationary run is not.
func TestShortRunAdapts(t *testing.T) {
	const runs = 200
	tests := []struct {
		name     string
		leak     float64 // MiB/min
		want     Outcome
		minShare float64
	}{
		{"leak-30MiB/min", 30, Leak, 0.95},
		{"leak-20MiB/min", 20, Leak, 0.5},
		{"stationary", 0, Leak, 0}, // share of LEAK must be ≤ 1 %
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := 0
			var last Verdict
			for seed := range uint64(runs) {
				var ts []time.Time
				var vs []float64
				sim.Run{Profile: sim.Go, Seed: seed + 1, Duration: 2 * time.Minute, Interval: 250 * time.Millisecond, Leak: tt.leak}.
					Samples(func(at time.Duration, mib float64) {
						ts = append(ts, simEpoch.Add(at))
						vs = append(vs, mib*MiB)
					})
				last = Analyze(RSS, Policy{}, ts, vs)
				if last.Outcome == tt.want {
					hits++
				}
			}
			share := float64(hits) / runs
			if tt.minShare > 0 && share < tt.minShare {
				t.Errorf("%s: %s in %.1f%% of runs, want ≥ %.0f%%; last: %+v", tt.name, tt.want, 100*share, 100*tt.minShare, last)
			}
			if tt.minShare == 0 && share > 0.01 {
				t.Errorf("%s: %s in %.1f%% of runs, want ≤ 1%%", tt.name, tt.want, 100*share)
			}
			t.Logf("%s: %s in %.1f%% of %d runs; e.g. %s, %d points of %s", tt.name, tt.want, 100*share, runs, last.Reason, last.Points, last.Block)
		})
	}
}
