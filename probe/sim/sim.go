package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// A Profile describes one kind of noise around a stationary baseline.
type Profile struct {
	Name      string
	Base      float64    // MiB
	WarmAmp   float64    // warm-up growth +WarmAmp·(1−e^(−t/WarmTau)), MiB
	WarmTau   float64    // seconds
	SawAmp    float64    // GC sawtooth height, MiB (0 = none)
	SawPeriod [2]float64 // each cycle's period is uniform in this range, seconds
	White     float64    // white noise sd, MiB
	ARSd      float64    // slow AR(1) wander: stationary sd, MiB
	ARTau     float64    // and time constant, seconds
	BurstAmp  float64    // bursts of +BurstAmp MiB ...
	BurstLen  float64    // ... lasting uniform 1..BurstLen seconds ...
	BurstProb float64    // ... starting with this probability per second
	Step      float64    // one benign level step of this size at a uniform time in [T/4, 3T/4], MiB
}

// The research profiles (soak-anchors §2.3).
var (
	Quiet = Profile{Name: "quiet", Base: 50, WarmAmp: 5, WarmTau: 30, White: 0.3, ARSd: 0.5, ARTau: 120}
	Go    = Profile{Name: "go", Base: 200, WarmAmp: 40, WarmTau: 90, SawAmp: 20, SawPeriod: [2]float64{20, 60},
		White: 1, ARSd: 3, ARTau: 300, BurstAmp: 30, BurstLen: 10, BurstProb: 0.002}
	GoStep = func() Profile { p := Go; p.Name, p.Step = "go-step", 15; return p }()
	Heavy  = Profile{Name: "heavy", Base: 1000, WarmAmp: 100, WarmTau: 120, SawAmp: 60, SawPeriod: [2]float64{30, 120},
		White: 3, ARSd: 8, ARTau: 600, BurstAmp: 100, BurstLen: 20, BurstProb: 0.003}
)

// Profiles lists the research profiles.
var Profiles = []Profile{Quiet, Go, GoStep, Heavy}

// A Run is one seeded series.
type Run struct {
	Profile  Profile
	Seed     uint64
	Duration time.Duration // length of the run
	Interval time.Duration // sampling interval (default 1s)
	Leak     float64       // MiB per minute
	LeakFrom time.Duration // leak onset
}

// Samples calls fn with every sample of the run, in order.
func (r Run) Samples(fn func(t time.Duration, mib float64)) {
	g := newGen(r)
	for i := 0; i < g.n; i++ {
		t, v := g.next()
		fn(t, v)
	}
}

// Blocks aggregates the run's samples into consecutive blocks of the given
// length and calls fn with each block's start, median and minimum. It
// simulates every sample but keeps only one block in memory.
func (r Run) Blocks(block time.Duration, fn func(start time.Duration, n int, median, min float64)) {
	g := newGen(r)
	per := int(block / g.dt)
	if per < 1 {
		per = 1
	}
	buf := make([]float64, 0, per)
	var start time.Duration
	for i := 0; i < g.n; i++ {
		t, v := g.next()
		if len(buf) == 0 {
			start = t
		}
		buf = append(buf, v)
		if len(buf) == per {
			med, mn := stats(buf)
			fn(start, len(buf), med, mn)
			buf = buf[:0]
		}
	}
}

func stats(b []float64) (med, mn float64) {
	slices.Sort(b)
	n := len(b)
	if n%2 == 1 {
		return b[n/2], b[0]
	}
	return (b[n/2-1] + b[n/2]) / 2, b[0]
}

type gen struct {
	r            Run
	rng          *rand.Rand
	dt           time.Duration
	dts          float64
	n, i         int
	ar, phi, arK float64
	sawPos       float64 // seconds into the current cycle
	sawPer       float64
	burstLeft    float64
	stepAt       float64
}

func newGen(r Run) *gen {
	if r.Interval <= 0 {
		r.Interval = time.Second
	}
	g := &gen{r: r, rng: rand.New(rand.NewPCG(r.Seed, 0x5eed50a6)), dt: r.Interval}
	g.dts = r.Interval.Seconds()
	g.n = int(r.Duration / r.Interval)
	p := r.Profile
	if p.ARSd > 0 {
		g.phi = math.Exp(-g.dts / p.ARTau)
		g.arK = p.ARSd * math.Sqrt(1-g.phi*g.phi)
		g.ar = p.ARSd * g.rng.NormFloat64()
	}
	if p.SawAmp > 0 {
		g.sawPer = g.period()
		g.sawPos = g.rng.Float64() * g.sawPer
	}
	T := r.Duration.Seconds()
	g.stepAt = T/4 + g.rng.Float64()*T/2
	return g
}

func (g *gen) period() float64 {
	p := g.r.Profile.SawPeriod
	return p[0] + g.rng.Float64()*(p[1]-p[0])
}

func (g *gen) next() (time.Duration, float64) {
	p := g.r.Profile
	t := time.Duration(g.i) * g.dt
	ts := float64(g.i) * g.dts
	g.i++
	v := p.Base
	if p.WarmTau > 0 {
		v += p.WarmAmp * (1 - math.Exp(-ts/p.WarmTau))
	}
	if p.SawAmp > 0 {
		v += p.SawAmp * g.sawPos / g.sawPer
		g.sawPos += g.dts
		for g.sawPos >= g.sawPer {
			g.sawPos -= g.sawPer
			g.sawPer = g.period()
		}
	}
	if p.White > 0 {
		v += p.White * g.rng.NormFloat64()
	}
	if p.ARSd > 0 {
		v += g.ar
		g.ar = g.phi*g.ar + g.arK*g.rng.NormFloat64()
	}
	if p.BurstProb > 0 {
		if g.burstLeft <= 0 && g.rng.Float64() < p.BurstProb*g.dts {
			g.burstLeft = 1 + g.rng.Float64()*(p.BurstLen-1)
		}
		if g.burstLeft > 0 {
			v += p.BurstAmp
			g.burstLeft -= g.dts
		}
	}
	if p.Step != 0 && ts >= g.stepAt {
		v += p.Step
	}
	if g.r.Leak != 0 && t >= g.r.LeakFrom {
		v += g.r.Leak * (t - g.r.LeakFrom).Minutes()
	}
	return t, v
}
