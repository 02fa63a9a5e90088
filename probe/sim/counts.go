package sim

import (
	"math"
	"math/rand/v2"
)

// A CountRun is one seeded series of an integer resource (goroutines, FDs)
// sampled once per iteration: a base level, transient objects in flight
// (Poisson), occasional bursts, and a leak of one object every LeakEvery
// iterations.
type CountRun struct {
	Seed       uint64
	Iterations int
	Base       int
	InFlight   float64 // mean transient objects at a sample (Poisson)
	BurstProb  float64 // probability per iteration of a burst ...
	BurstSize  int     // ... of this many extra objects
	LeakEvery  int     // one leaked object per this many iterations; 0 = none
}

// The research's transient profiles (soak-anchors §2.5).
var (
	LightTransients = CountRun{Base: 20, InFlight: 3}
	HeavyTransients = CountRun{Base: 20, InFlight: 15, BurstProb: 0.05, BurstSize: 20}
)

// Values returns the count observed after each iteration.
func (r CountRun) Values() []float64 {
	rng := rand.New(rand.NewPCG(r.Seed, 0xc0a7))
	out := make([]float64, r.Iterations)
	for i := range out {
		v := r.Base + poisson(rng, r.InFlight)
		if r.BurstProb > 0 && rng.Float64() < r.BurstProb {
			v += r.BurstSize
		}
		if r.LeakEvery > 0 {
			v += (i + 1) / r.LeakEvery
		}
		out[i] = float64(v)
	}
	return out
}

// poisson draws from a Poisson distribution (Knuth; fine for small means).
func poisson(rng *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
