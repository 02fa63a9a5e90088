package summary

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/probe/sim"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// t0 is the start of every generated run.
var t0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// run is a generated soak: iteration records and samples written as the
// engine writes them.
type run struct {
	root    string
	recs    []artifact.Record
	samples []probe.Sample
	state   *artifact.State
}

func newRun(t testing.TB) *run { return &run{root: t.TempDir()} }

// stepFn gives a step's record in iteration i.
type stepFn func(i int) artifact.StepRecord

// iterate generates n iterations every gap, with the steps given.
func (r *run) iterate(n int, gap time.Duration, steps ...stepFn) {
	for i := 1; i <= n; i++ {
		start := t0.Add(time.Duration(i-1) * gap)
		rec := artifact.Record{Iteration: i, Start: start, Result: "OK", Status: artifact.IterPassed, BudgetMS: 60000}
		var total int64
		for _, fn := range steps {
			st := fn(i)
			total += st.DurationMS
			rec.Steps = append(rec.Steps, st)
			if !st.OK && st.Status != step.Skipped && rec.Status == artifact.IterPassed {
				rec.Status, rec.Result = artifact.IterFailed, "FAIL"
				if st.Status == step.TimedOut {
					rec.Status = artifact.IterTimedOut
				}
				rec.Reason = "step " + st.Name + " " + string(st.Status)
			}
		}
		rec.DurationMS = total
		rec.End = start.Add(time.Duration(total) * time.Millisecond)
		r.recs = append(r.recs, rec)
	}
}

func passing(name string, ms func(i int) int64) stepFn {
	return func(i int) artifact.StepRecord {
		return artifact.StepRecord{Name: name, Status: step.Passed, OK: true, DurationMS: ms(i), Attempts: 1}
	}
}

func constMS(v int64) func(int) int64 { return func(int) int64 { return v } }

// samplesFrom adds 1 Hz RSS samples of target from a sim run.
func (r *run) samplesFrom(target string, sr sim.Run) {
	sr.Samples(func(d time.Duration, mib float64) {
		r.samples = append(r.samples, probe.Sample{Time: t0.Add(d), Target: target, PID: 42, Procs: 1,
			RSS: uint64(mib * probe.MiB), FDs: 12, Threads: 7})
	})
}

func (r *run) finish(stop artifact.StopReason) {
	var c artifact.Counts
	for i := range r.recs {
		c.Add(&r.recs[i])
	}
	r.state = &artifact.State{Version: 1, RunID: "0123456789abcdef", Started: t0, Updated: t0.Add(12 * time.Hour),
		Counts: c, Stop: stop}
}

func (r *run) write(t testing.TB) string {
	t.Helper()
	l := artifact.Layout{Root: r.root}
	if r.state != nil {
		if err := canonjson.WriteFile(l.State(), r.state); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []struct {
		path string
		vs   func(a *jsonl.Appender) error
	}{
		{l.Iterations(), func(a *jsonl.Appender) error {
			for _, rec := range r.recs {
				if err := a.Append(rec); err != nil {
					return err
				}
			}
			return nil
		}},
		{l.Samples(), func(a *jsonl.Appender) error {
			for _, s := range r.samples {
				if err := a.Append(s); err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		a, err := jsonl.Open(f.path, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.vs(a); err != nil {
			t.Fatal(err)
		}
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return r.root
}

// noisy returns durations around base ms, ±frac, growing by grow (a
// fraction of base) linearly over n iterations, seeded.
func noisy(seed uint64, base float64, frac, grow float64, n int) func(int) int64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	vals := make([]int64, n+1)
	for i := 1; i <= n; i++ {
		trend := base * (1 + grow*float64(i-1)/float64(n-1))
		vals[i] = int64(trend * (1 + frac*(2*rng.Float64()-1)))
	}
	return func(i int) int64 { return vals[i] }
}
