package probe

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The window of an online check is found by binary search in blocks kept
// in index order; it must be the blocks the linear filter selects.
func TestInWindowMatchesLinearFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	tr := NewTracker(RSS, Policy{})
	at := simEpoch
	for range 6 * 3600 {
		at = at.Add(time.Duration(500+rng.IntN(1500)) * time.Millisecond)
		if rng.IntN(500) == 0 {
			at = at.Add(time.Duration(rng.IntN(30)) * time.Minute) // a gap: missing blocks
		}
		tr.Add(at, float64(rng.IntN(100)))
	}
	if tr.coarse.unsorted || len(tr.coarse.blocks) < 100 {
		t.Fatalf("fixture: %d blocks, unsorted %v", len(tr.coarse.blocks), tr.coarse.unsorted)
	}
	span := at.Sub(tr.start)
	for i := range 500 {
		from := tr.start.Add(time.Duration(rng.Int64N(int64(span))) - 10*time.Minute)
		to := from.Add(time.Duration(rng.Int64N(int64(3 * time.Hour))))
		if i%50 == 0 {
			to = from.Add(-time.Minute) // an empty window
		}
		for _, a := range []*agg{&tr.coarse, &tr.fine} {
			lo, hi, got := tr.inWindow(a, from, to)
			linear := *a
			linear.unsorted = true
			wlo, whi, want := tr.inWindow(&linear, from, to)
			if lo != wlo || hi != whi || !cmp.Equal(want, got, cmp.AllowUnexported(block{})) && (len(want) > 0 || len(got) > 0) {
				t.Fatalf("inWindow(%v, %v) on %v blocks = [%d, %d] %d blocks, linear filter [%d, %d] %d blocks",
					from, to, a.size, lo, hi, len(got), wlo, whi, len(want))
			}
		}
	}
}

// Blocks that arrive out of index order (addBlock given them so) fall back
// to the linear filter, which does not depend on order.
func TestInWindowUnsortedBlocks(t *testing.T) {
	tr := NewTracker(RSS, Policy{})
	tr.start = simEpoch
	for _, idx := range []int32{5, 3, 9, 4} {
		tr.coarse.push(block{idx: idx, n: 1, med: float64(idx)})
	}
	if !tr.coarse.unsorted {
		t.Fatal("blocks 5, 3, 9, 4 not marked unsorted")
	}
	_, _, got := tr.inWindow(&tr.coarse, simEpoch.Add(3*time.Minute), simEpoch.Add(6*time.Minute))
	var idx []int32
	for _, b := range got {
		idx = append(idx, b.idx)
	}
	if diff := cmp.Diff([]int32{5, 3, 4}, idx); diff != "" {
		t.Errorf("inWindow(3m, 6m) blocks mismatch (-want +got):\n%s", diff)
	}
}

// The guard's shortcut for a constant window gives what the fits give.
func TestGuardConstantShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	tests := []struct {
		name string
		y    func(i int) float64
	}{
		{"constant", func(int) float64 { return 40 }},
		{"zero", func(int) float64 { return 0 }},
		{"negative", func(int) float64 { return -3 }},
		{"one step", func(i int) float64 { return 40 + float64(i/50) }},
		{"rising", func(i int) float64 { return float64(i) }},
		{"noise", func(int) float64 { return float64(rng.IntN(3)) }},
		{"infinite", func(int) float64 { return math.Inf(1) }},
		{"NaN", func(int) float64 { return math.NaN() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(FDs, Policy{})
			for _, n := range []int{8, 9, 60, 120} {
				var pts points
				for i := range n {
					pts.x = append(pts.x, float64(i)+0.5)
					pts.y = append(pts.y, tt.y(i))
				}
				got, want := tr.guard(pts), tr.guardFit(pts)
				if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("guard(%d points) = %v, fits give %v", n, got, want)
				}
			}
		})
	}
}

// guardAbove, which counts slope signs before fitting, decides as the
// fits do, on series that rise, fall, step and stay flat.
func TestGuardAboveMatchesFits(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13))
	tr := NewTracker(RSS, Policy{})
	shapes := []func(i int) float64{
		func(int) float64 { return rng.NormFloat64() },
		func(i int) float64 { return float64(i)*0.1 + rng.NormFloat64() },
		func(i int) float64 { return float64(i)*0.02 + rng.NormFloat64() },
		func(i int) float64 { return -float64(i)*0.05 + rng.NormFloat64() },
		func(i int) float64 { return float64(i/30) + 0.01*rng.NormFloat64() },
		func(i int) float64 { return float64(rng.IntN(3)) },
		func(i int) float64 { return float64(i) },
		func(int) float64 { return 7 },
	}
	var decided [2]int
	for trial := range 3000 {
		n := 8 + rng.IntN(113)
		shape := shapes[trial%len(shapes)]
		var pts points
		x := 0.0
		for i := range n {
			x += 0.5 + rng.Float64()
			if rng.IntN(20) == 0 && i > 0 {
				x -= 0.5 // a repeated x now and then: pairs without a slope
				x = max(x, pts.x[len(pts.x)-1])
			}
			pts.x = append(pts.x, x)
			pts.y = append(pts.y, shape(i))
		}
		for _, floor := range []float64{0, 0.01, 0.5, -0.01} {
			got, want := tr.guardAbove(pts, floor), tr.guardFit(pts) > floor
			if got != want {
				t.Fatalf("trial %d: guardAbove(%d points, floor %v) = %v, fits say %v", trial, n, floor, got, want)
			}
			decided[btoi(want)]++
		}
	}
	if decided[0] == 0 || decided[1] == 0 {
		t.Errorf("fixture: %d windows above the floor, %d not; want both", decided[1], decided[0])
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
