package report

import (
	"math"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

// A chartBuf keeps every point up to its bound, then stays within it and
// keeps the extremes: a one-sample spike survives 10⁵ samples.
func TestChartBufBounded(t *testing.T) {
	for _, n := range []int{100, chartPoints - 1, 100_000} {
		var b chartBuf
		for i := range n {
			v := math.Sin(float64(i) / 500)
			if i == n/3 {
				v = 50
			}
			b.add(synthStart.Add(time.Duration(i)*time.Second), v)
		}
		ts, vs := b.points()
		if n < chartPoints && len(ts) != n {
			t.Errorf("n=%d: %d points, want all", n, len(ts))
		}
		if len(ts) > chartPoints || b.n != n {
			t.Errorf("n=%d: %d points kept, %d counted; want at most %d, %d", n, len(ts), b.n, chartPoints, n)
		}
		peak := 0.0
		for i, v := range vs {
			peak = max(peak, v)
			if i > 0 && ts[i].Before(ts[i-1]) {
				t.Fatalf("n=%d: point %d is before point %d", n, i, i-1)
			}
		}
		if peak != 50 {
			t.Errorf("n=%d: highest kept %v, want the spike 50", n, peak)
		}
	}
}

// Without a checkpoint the timeline's cells merge pairwise as they fill;
// a range record fills the cells it spans.
func TestTimelineAcc(t *testing.T) {
	tl := timelineAcc{perCell: 1}
	rec := func(i int, st artifact.IterStatus) *artifact.Record {
		return &artifact.Record{Iteration: i, Start: synthStart.Add(time.Duration(i) * time.Minute), Status: st}
	}
	tl.add(&artifact.Record{Iteration: 1, Start: synthStart, End: synthStart.Add(time.Hour), Status: artifact.IterPassed,
		Range: &artifact.Range{Last: 1000, Count: 1000}})
	tl.add(rec(1001, artifact.IterFailed))
	for i := 1002; i <= 1500; i++ {
		tl.add(rec(i, artifact.IterPassed))
	}
	if len(tl.cells) > maxTimelineCells || tl.seen != 1500 {
		t.Fatalf("%d cells over %d iterations, want at most %d", len(tl.cells), tl.seen, maxTimelineCells)
	}
	n, failed := 0, 0
	for _, c := range tl.cells {
		n += c.n
		failed += c.failed
		if c.worst == artifact.IterFailed && c.worstIter != 1001 {
			t.Errorf("worst of cell %d–%d is iteration %d, want 1001", c.first, c.last, c.worstIter)
		}
	}
	if n != 1500 || failed != 1 || tl.cells[0].first != 1 || tl.cells[len(tl.cells)-1].last != 1500 {
		t.Errorf("cells hold %d iterations (%d failed) from %d to %d; want 1500 (1 failed) from 1 to 1500",
			n, failed, tl.cells[0].first, tl.cells[len(tl.cells)-1].last)
	}
}
