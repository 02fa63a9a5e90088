package report

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/plot/plotter"
)

func seq(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}

func TestLTTB(t *testing.T) {
	spike := make([]float64, 100)
	spike[37] = 50
	dip := make([]float64, 100)
	for i := range dip {
		dip[i] = 10
	}
	dip[81] = -40
	tests := []struct {
		name   string
		x, y   []float64
		n      int
		want   []int
		reason string
	}{
		{name: "empty", x: nil, y: nil, n: 10, want: []int{}, reason: "nothing to pick"},
		{name: "short", x: seq(4), y: []float64{3, 1, 4, 1}, n: 10, want: []int{0, 1, 2, 3}, reason: "fewer points than asked: all kept"},
		{name: "exact", x: seq(5), y: []float64{3, 1, 4, 1, 5}, n: 5, want: []int{0, 1, 2, 3, 4}, reason: "as many points as asked: all kept"},
		{name: "hand", x: seq(6), y: []float64{0, 1, 0, 5, 0, 0}, n: 4, want: []int{0, 2, 3, 5},
			reason: "worked by hand: buckets {1,2} and {3,4}; 2 spans the largest triangle towards the mean (3.5, 2.5), then 3 towards the last point"},
		{name: "spike", x: seq(100), y: spike, n: 10, want: nil, reason: "a one-sample spike survives"},
		{name: "dip", x: seq(100), y: dip, n: 8, want: nil, reason: "a one-sample dip survives"},
		{name: "tiny-n", x: seq(10), y: seq(10), n: 1, want: nil, reason: "n below 3 is taken as 3"},
		{name: "ragged", x: seq(7), y: seq(5), n: 10, want: []int{0, 1, 2, 3, 4}, reason: "the shorter slice bounds the series"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lttb(tt.x, tt.y, tt.n)
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("lttb(n=%d) mismatch (-want +got) [%s]:\n%s", tt.n, tt.reason, diff)
				}
				return
			}
			checkLTTBShape(t, got, min(len(tt.x), len(tt.y)), max(tt.n, 3))
			switch tt.name {
			case "spike":
				if !contains(got, 37) {
					t.Errorf("lttb dropped the spike at 37: %v [%s]", got, tt.reason)
				}
			case "dip":
				if !contains(got, 81) {
					t.Errorf("lttb dropped the dip at 81: %v [%s]", got, tt.reason)
				}
			case "tiny-n":
				if len(got) != 3 {
					t.Errorf("lttb(n=1) kept %d points, want 3 [%s]", len(got), tt.reason)
				}
			}
		})
	}
}

func contains(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// checkLTTBShape checks the invariants of any downsampling of size points
// to n: exactly n indices (when there were more), strictly increasing, the
// first and last points kept.
func checkLTTBShape(t *testing.T, got []int, size, n int) {
	t.Helper()
	if want := min(size, n); len(got) != want {
		t.Fatalf("lttb kept %d points of %d, want %d", len(got), size, want)
	}
	if size == 0 {
		return
	}
	if got[0] != 0 || got[len(got)-1] != size-1 {
		t.Errorf("lttb = %v..., want the first (0) and last (%d) points kept", got[:min(3, len(got))], size-1)
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("lttb indices not increasing at %d: %d after %d", i, got[i], got[i-1])
		}
	}
}

func TestLTTBRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, size := range []int{3, 4, 17, 1000, 259_200} {
		for _, n := range []int{3, 5, 100, 1000} {
			ys := make([]float64, size)
			for i := range ys {
				ys[i] = rng.NormFloat64()
			}
			checkLTTBShape(t, lttb(seq(size), ys, n), size, n)
		}
	}
}

// A bucket's pick is its most extreme point relative to its neighbours, so
// the global maximum and minimum of a noisy series always survive.
func TestLTTBKeepsExtremes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	ys := make([]float64, 50_000)
	for i := range ys {
		ys[i] = math.Sin(float64(i)/2000) + 0.05*rng.NormFloat64()
	}
	ys[12_345], ys[40_000] = 9, -9
	got := lttb(seq(len(ys)), ys, 500)
	for _, want := range []int{12_345, 40_000} {
		if !contains(got, want) {
			t.Errorf("lttb(50000 → 500) dropped the extreme at %d", want)
		}
	}
}

func TestTrendLine(t *testing.T) {
	start := synthStart
	ax := newTimeAxis(start, start.Add(10*time.Hour))
	var ts []time.Time
	var ys []float64
	for i := range 600 {
		at := start.Add(time.Duration(i) * time.Minute)
		ts = append(ts, at)
		y := 50 + 3*float64(i)/60 // 3 units per hour from 50
		if i%10 == 0 {
			y += 40 // outliers move a mean, not a median
		}
		ys = append(ys, y)
	}
	from, to := start.Add(time.Hour), start.Add(9*time.Hour)
	got := trendLine(ax, ts, ys, from, to, 3)
	want := plotter.XYs{{X: 1, Y: 53}, {X: 9, Y: 77}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("trendLine mismatch (-want +got):\n%s", diff)
	}
	if got := trendLine(ax, ts, ys, start.Add(-2*time.Hour), start.Add(-time.Hour), 3); got != nil {
		t.Errorf("trendLine over a window without samples = %v, want nil", got)
	}
}
