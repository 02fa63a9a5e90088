package sim

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func collect(r Run) []float64 {
	var out []float64
	r.Samples(func(_ time.Duration, v float64) { out = append(out, v) })
	return out
}

func TestDeterministic(t *testing.T) {
	for _, p := range Profiles {
		r := Run{Profile: p, Seed: 42, Duration: 10 * time.Minute, Leak: 1}
		a, b := collect(r), collect(r)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: same seed, different series (-first +second):\n%s", p.Name, diff)
		}
		r.Seed = 43
		if c := collect(r); cmp.Equal(a, c) {
			t.Errorf("%s: seeds 42 and 43 give the same series", p.Name)
		}
		if len(a) != 600 {
			t.Errorf("%s: %d samples in 10 min at 1 Hz, want 600", p.Name, len(a))
		}
	}
}

// TestProfiles checks each profile's level and the leak and step it adds,
// from block medians far from the warm-up.
func TestProfiles(t *testing.T) {
	tests := []struct {
		p    Profile
		base float64 // level after the warm-up, MiB
		tol  float64
	}{
		{Quiet, 55, 2},
		{Go, 250, 15},
		{Heavy, 1130, 50},
	}
	for _, tt := range tests {
		var meds []float64
		Run{Profile: tt.p, Seed: 1, Duration: 2 * time.Hour, Leak: 0.5, LeakFrom: time.Hour}.
			Blocks(time.Minute, func(_ time.Duration, n int, med, mn float64) {
				if n != 60 || mn > med {
					t.Fatalf("%s: block of %d samples, min %v > median %v", tt.p.Name, n, mn, med)
				}
				meds = append(meds, med)
			})
		if len(meds) != 120 {
			t.Fatalf("%s: %d blocks, want 120", tt.p.Name, len(meds))
		}
		level := mean(meds[30:60])
		if math.Abs(level-tt.base) > tt.tol {
			t.Errorf("%s: level %.1f MiB, want %.0f ± %.0f", tt.p.Name, level, tt.base, tt.tol)
		}
		// 0.5 MiB/min from 60 min: 90–120 min sits on average 0.5·45 = 22.5 MiB above 30–60 min.
		if rise := mean(meds[90:]) - level; math.Abs(rise-22.5) > tt.tol {
			t.Errorf("%s: leak added %.1f MiB by 90–120 min, want ≈ 22.5", tt.p.Name, rise)
		}
	}
	var before, after []float64
	r := Run{Profile: GoStep, Seed: 3, Duration: 4 * time.Hour}
	r.Blocks(time.Minute, func(start time.Duration, _ int, med, _ float64) {
		switch {
		case start > 10*time.Minute && start < time.Hour:
			before = append(before, med)
		case start > 3*time.Hour:
			after = append(after, med)
		}
	})
	if step := mean(after) - mean(before); math.Abs(step-15) > 8 {
		t.Errorf("go-step: level moved %.1f MiB, want ≈ 15", step)
	}
}

func TestCountRun(t *testing.T) {
	r := LightTransients
	r.Seed, r.Iterations, r.LeakEvery = 1, 1000, 10
	v := r.Values()
	if len(v) != 1000 || v[0] < 20 {
		t.Fatalf("Values() = %d values starting %v", len(v), v[:1])
	}
	if got := mean(v[900:]) - mean(v[:100]); math.Abs(got-90) > 3 {
		t.Errorf("leak of 1 per 10 iterations added %.1f over 900 iterations, want ≈ 90", got)
	}
	if m := mean(v[:9]) - 20; math.Abs(m-3) > 2 {
		t.Errorf("mean in-flight transients %.1f, want ≈ 3", m)
	}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
