package summary

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// Past exactDurations runs, p50 and p95 come from the sketch, within its
// relative accuracy of the exact nearest-rank values; the maximum stays
// exact.
func TestDurationsSketch(t *testing.T) {
	for _, n := range []int{10, exactDurations, 3 * exactDurations} {
		var d durations
		all := make([]int64, 0, n)
		for i := range n {
			v := int64(5 + (i*7919)%2000) // a spread of 5 ms to 2 s, shuffled
			d.add(v)
			all = append(all, v)
		}
		slices.Sort(all)
		p50, p95, mx, ok := d.percentiles()
		if !ok {
			t.Fatalf("n=%d: no percentiles", n)
		}
		for _, c := range []struct {
			name      string
			got, want int64
		}{{"p50", p50, percentile(all, 50)}, {"p95", p95, percentile(all, 95)}, {"max", mx, all[len(all)-1]}} {
			tol := 0.0
			if n > exactDurations && c.name != "max" {
				tol = 2 * artifact.SketchAccuracy * float64(c.want)
			}
			if math.Abs(float64(c.got-c.want)) > tol+0.5 {
				t.Errorf("n=%d: %s = %d, want %d ± %.1f", n, c.name, c.got, c.want, tol)
			}
		}
		if n <= exactDurations && d.sketch != nil || n > exactDurations && (d.sketch == nil || d.exact != nil) {
			t.Errorf("n=%d: sketch in use = %v, want %v", n, d.sketch != nil, n > exactDurations)
		}
	}
}

// A series keeps every point up to its bound, then stays within it, evenly
// thinned: a straight line stays the same line.
func TestSeriesBounded(t *testing.T) {
	for _, n := range []int{100, seriesPoints - 1, 5*seriesPoints + 3} {
		var x series
		for i := range n {
			x.add(t0.Add(time.Duration(i)*time.Second), 10+0.5*float64(i))
		}
		x.add(t0, 1) // before the latest point: dropped
		ts, vs := x.points()
		if n < seriesPoints && len(ts) != n {
			t.Errorf("n=%d: %d points, want all", n, len(ts))
		}
		if len(ts) > seriesPoints {
			t.Errorf("n=%d: %d points, want at most %d", n, len(ts), seriesPoints)
		}
		for i := range ts {
			want := 10 + 0.5*ts[i].Sub(t0).Seconds()
			if math.Abs(vs[i]-want) > 1e-6 {
				t.Fatalf("n=%d: point %d = (%s, %v), want %v: off the line", n, i, ts[i].Sub(t0), vs[i], want)
			}
			if i > 0 && !ts[i].After(ts[i-1]) {
				t.Fatalf("n=%d: point %d at %s is not after point %d", n, i, ts[i].Sub(t0), i-1)
			}
		}
	}
}

// junit.xml details the first failures of a step and counts the rest; its
// size does not grow with the number of iterations.
func TestJUnitBounded(t *testing.T) {
	size := func(n int) (int, string) {
		r := newRun(t)
		r.iterate(n, time.Minute, func(i int) artifact.StepRecord {
			st := artifact.StepRecord{Name: "probe", Status: step.Passed, OK: true, DurationMS: 30, Attempts: 1,
				Tests: []artifact.TestRecord{{Package: "example.com/app", Test: "TestPing", Status: step.Passed, ElapsedMS: 3}}}
			if i%3 == 0 {
				st.Status, st.OK, st.Details, st.Tail = step.Failed, false, "connection refused", "dial tcp: connection refused\n"
				st.Tests[0].Status = step.Failed
			}
			return st
		})
		r.finish(artifact.StopCount)
		s := compute(t, r.write(t), nil)
		var b strings.Builder
		if err := s.WriteJUnit(&b); err != nil {
			t.Fatal(err)
		}
		return b.Len(), b.String()
	}
	small, _ := size(300)
	big, x := size(3000)
	if big > small+200 {
		t.Errorf("junit.xml: %d bytes for 3000 iterations, %d for 300: want about the same size", big, small)
	}
	for _, w := range []string{`<failure message="1000 of 3000 runs failed; first: iteration 3: connection refused" type="failed">`,
		"… and 990 more failed runs", "failed in 1000 of 3000 runs of step probe; iterations 3, 6, 9", "and 900 more"} {
		if !strings.Contains(x, w) {
			t.Errorf("junit.xml lacks %q", w)
		}
	}
	if n := strings.Count(x, "dial tcp: connection refused"); n != junitDetails {
		t.Errorf("junit.xml details %d failures, want %d", n, junitDetails)
	}
}
