package summary

import (
	"math"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// compacted returns recs with every run of consecutive passing iterations
// (every step passed or skipped) folded into range records of at most
// size iterations, as the engine compacts them under its byte cap.
func compacted(recs []artifact.Record, size int) []artifact.Record {
	var out []artifact.Record
	var cur *artifact.Record
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, r := range recs {
		ok := r.Status == artifact.IterPassed && len(r.Survivors) == 0
		for _, st := range r.Steps {
			ok = ok && (st.Status == step.Passed || st.Status == step.Skipped)
			for _, t := range st.Tests {
				ok = ok && (t.Status == step.Passed || t.Status == step.Skipped)
			}
		}
		if !ok {
			flush()
			out = append(out, r)
			continue
		}
		if cur != nil && cur.Range.Count == size {
			flush()
		}
		if cur == nil {
			cur = &artifact.Record{Iteration: r.Iteration, Start: r.Start, Result: "OK", Status: artifact.IterPassed,
				Range: &artifact.Range{Steps: []artifact.RangeStep{}}}
		}
		g := cur.Range
		g.Last, g.Count = r.Iteration, g.Count+1
		cur.End, cur.DurationMS, cur.BudgetMS = r.End, cur.DurationMS+r.DurationMS, max(cur.BudgetMS, r.BudgetMS)
		for _, st := range r.Steps {
			k := -1
			for i := range g.Steps {
				if g.Steps[i].Name == st.Name {
					k = i
				}
			}
			if k < 0 {
				g.Steps = append(g.Steps, artifact.RangeStep{Name: st.Name, Statuses: map[step.Status]int{}})
				k = len(g.Steps) - 1
			}
			rs := &g.Steps[k]
			rs.Statuses[st.Status]++
			if st.Status == step.Passed {
				rs.Duration.Add(float64(st.DurationMS))
			}
			rs.Attempts += st.Attempts
			rs.PeakRSS = max(rs.PeakRSS, st.PeakRSS)
			for _, t := range st.Tests {
				j := -1
				for i := range rs.Tests {
					if rs.Tests[i].Package == t.Package && rs.Tests[i].Test == t.Test {
						j = i
					}
				}
				if j < 0 {
					rs.Tests = append(rs.Tests, artifact.RangeTest{Package: t.Package, Test: t.Test, Statuses: map[step.Status]int{}})
					j = len(rs.Tests) - 1
				}
				rs.Tests[j].Statuses[t.Status]++
			}
		}
	}
	flush()
	return out
}

// A soak whose passing iterations were compacted into range records gets
// the verdicts and counts it had with every record, and percentiles
// within the sketch's accuracy.
func TestRangeRecords(t *testing.T) {
	tests := []struct {
		name      string
		durations func(i int) int64
	}{
		{"40% slower", noisy(1, 10000, 0.08, 0.4, 144)},
		{"stable", noisy(2, 10000, 0.15, 0, 144)},
		{"10% is under the threshold", noisy(3, 10000, 0.05, 0.10, 144)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRun(t)
			r.iterate(144, 5*time.Minute, passing("tests", tt.durations), passing("lint", constMS(500)),
				func(i int) artifact.StepRecord {
					st := artifact.StepRecord{Name: "e2e", Status: step.Passed, OK: true, DurationMS: 2000 + int64(i%5), Attempts: 1,
						Tests: []artifact.TestRecord{{Package: "example.com/app", Test: "TestRace", Status: step.Passed}}}
					if i%40 == 0 {
						st.Status, st.OK, st.Details = step.Failed, false, "1 failed (TestRace)"
						st.Tests[0].Status = step.Failed
					}
					return st
				})
			r.finish(artifact.StopDuration)
			full := compute(t, r.write(t), nil)

			c := newRun(t)
			c.recs, c.state = compacted(r.recs, 10), r.state
			if len(c.recs) >= 30 {
				t.Fatalf("compacted to %d records, want ranges", len(c.recs))
			}
			got := compute(t, c.write(t), nil)

			if got.Iterations.Counts != full.Iterations.Counts || got.Verdict.Status != full.Verdict.Status {
				t.Errorf("with ranges: %+v, %s; with every record: %+v, %s", got.Iterations.Counts, got.Verdict.Status,
					full.Iterations.Counts, full.Verdict.Status)
			}
			if len(got.Steps) != len(full.Steps) {
				t.Fatalf("Steps = %+v, want %+v", got.Steps, full.Steps)
			}
			for i, w := range full.Steps {
				g := got.Steps[i]
				if g.Name != w.Name || g.Runs != w.Runs || g.Passed != w.Passed || g.Failed != w.Failed || g.Flaky != w.Flaky || *g.MaxMS != *w.MaxMS {
					t.Errorf("step %s: %+v, want %+v", w.Name, g, w)
				}
				for _, p := range [][2]*int64{{g.P50MS, w.P50MS}, {g.P95MS, w.P95MS}} {
					if math.Abs(float64(*p[0]-*p[1])) > 2*artifact.SketchAccuracy*float64(*p[1])+1 {
						t.Errorf("step %s: percentile %d, want %d within the sketch's accuracy", w.Name, *p[0], *p[1])
					}
				}
			}
			if len(got.Flaky) != len(full.Flaky) {
				t.Fatalf("Flaky = %+v, want %+v", got.Flaky, full.Flaky)
			}
			for i, w := range full.Flaky {
				if g := got.Flaky[i]; g.Name() != w.Name() || g.Passed != w.Passed || g.Failed != w.Failed {
					t.Errorf("flaky %s: %d passed, %d failed; want %d, %d", w.Name(), g.Passed, g.Failed, w.Passed, w.Failed)
				}
			}
			trends := func(s *Summary) map[string]Trend {
				m := map[string]Trend{}
				for _, tr := range s.Slowdowns {
					m[tr.Step] = tr
				}
				return m
			}
			gt := trends(got)
			for name, w := range trends(full) {
				g, ok := gt[name]
				if !ok || g.Slower != w.Slower || math.Abs(g.Percent-w.Percent) > 5 {
					t.Errorf("trend of %s: slower %v %+.1f%% (%s); want %v %+.1f%%", name, g.Slower, g.Percent, g.Reason, w.Slower, w.Percent)
				}
			}
		})
	}
}
