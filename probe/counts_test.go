package probe

import (
	"testing"

	"github.com/soakkit/soakkit/probe/sim"
)

// TestCountsSim checks the per-iteration rule on seeded transient noise
// against the research's bar (soak-anchors §2.6, item 4).
func TestCountsSim(t *testing.T) {
	const runs = 1000
	tests := []struct {
		name      string
		profile   sim.CountRun
		iters     int
		leakEvery int
		atLeast   float64 // share of runs judged LEAK must be ≥ this ...
		atMost    float64 // ... and ≤ this
	}{
		{"light-1per1-50", sim.LightTransients, 50, 1, 0.95, 1},
		{"light-1per10-100", sim.LightTransients, 100, 10, 0.95, 1},
		{"light-none-100", sim.LightTransients, 100, 0, 0, 0.001},
		{"light-none-500", sim.LightTransients, 500, 0, 0, 0.001},
		{"heavy-1per1-100", sim.HeavyTransients, 100, 1, 0.95, 1},
		{"heavy-none-100", sim.HeavyTransients, 100, 0, 0, 0.03},
		{"heavy-none-10000", sim.HeavyTransients, 10000, 0, 0, 0.03},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := runs
			if tt.iters > 1000 {
				n = 20
			}
			leaks := 0
			for seed := range uint64(n) {
				r := tt.profile
				r.Seed, r.Iterations, r.LeakEvery = seed+1, tt.iters, tt.leakEvery
				c := NewCounts(Goroutines, CountPolicy{})
				for _, v := range r.Values() {
					c.Add(v)
				}
				if c.Verdict().Outcome == Leak {
					leaks++
				}
			}
			share := float64(leaks) / float64(n)
			if share < tt.atLeast || share > tt.atMost {
				t.Errorf("LEAK in %.1f%% of %d runs, want within [%.1f%%, %.1f%%]", 100*share, n, 100*tt.atLeast, 100*tt.atMost)
			}
			t.Logf("LEAK in %.2f%% of %d runs", 100*share, n)
		})
	}
}

func TestCountsVerdicts(t *testing.T) {
	tests := []struct {
		name string
		give []float64
		pol  CountPolicy
		want Outcome
	}{
		{"too-few", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, CountPolicy{}, Inconclusive},
		{"flat", repeat(10, 40), CountPolicy{}, Pass},
		{"ramp", ramp(0, 1, 40), CountPolicy{}, Leak},
		{"ceiling", append(repeat(10, 3), 500), CountPolicy{Max: 100}, Leak},
		{"step-then-flat", append(repeat(10, 20), repeat(12, 20)...), CountPolicy{}, Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCounts(FDs, tt.pol)
			for _, v := range tt.give {
				c.Add(v)
			}
			if got := c.Verdict(); got.Outcome != tt.want {
				t.Errorf("Verdict() = %s (%s), want %s", got.Outcome, got.Reason, tt.want)
			}
		})
	}
}

// TestCountsBounded feeds a million iterations: memory stays bounded and a
// slow leak is still found.
func TestCountsBounded(t *testing.T) {
	c := NewCounts(FDs, CountPolicy{})
	for i := range 1_000_000 {
		c.Add(float64(100 + i/10000 + i%3))
	}
	if len(c.mins) >= maxCounts || c.unit < 256 {
		t.Errorf("stored %d minima of %d iterations each; want < %d", len(c.mins), c.unit, maxCounts)
	}
	v := c.Verdict()
	if v.Outcome != Leak {
		t.Errorf("Verdict() = %s (%s), want LEAK", v.Outcome, v.Reason)
	}
	// Judging is bounded too: the fit takes every pair of points.
	if v.Points > maxFitPoints || cap(c.sc.slopes) > maxFitPoints*maxFitPoints {
		t.Errorf("Verdict fitted %d points with %d slopes of scratch; want at most %d points", v.Points, cap(c.sc.slopes), maxFitPoints)
	}
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func ramp(from, step float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + step*float64(i)
	}
	return out
}
