package probe

import (
	"fmt"
	"math"
)

// A CountPolicy configures the per-iteration check of an integer resource.
// The zero value of each field selects its default.
type CountPolicy struct {
	Warmup    int     `json:"warmup,omitempty"`    // iterations ignored at the start (default 5)
	Block     int     `json:"block,omitempty"`     // iterations per block minimum (default 10; fewer on short runs)
	Tolerance float64 `json:"tolerance,omitempty"` // least growth that can be a leak (default 3)
	MADs      float64 `json:"mads,omitempty"`      // adaptive tolerance: MADs·MAD(detrended minima)+1 (default 4)
	Max       float64 `json:"max,omitempty"`       // ceiling; a value above it is a LEAK at once (0 = none)
}

func (p CountPolicy) withDefaults() CountPolicy {
	if p.Warmup == 0 {
		p.Warmup = 5
	}
	if p.Block <= 0 {
		p.Block = 10
	}
	if p.Tolerance == 0 {
		p.Tolerance = 3
	}
	if p.MADs == 0 {
		p.MADs = 4
	}
	return p
}

// Counts judges an integer resource (goroutines, FDs, threads, processes)
// sampled once per iteration, ideally after a settle (for goroutines: retry
// until stable for a moment, as goleak does). Transient objects only ever add
// to a count, so the baseline is the minimum of each block of iterations.
//
// The rule (soak research §2.5): after the warm-up, take block minima; the
// metric is a LEAK when the median of the last three minima exceeds the median
// of the first three by at least max(Tolerance, MADs·MAD + 1), where MAD is
// the median absolute deviation of the Sen-detrended minima, and the
// Theil–Sen slope of the minima is positive. Fewer than six blocks are
// INCONCLUSIVE; on short runs blocks shrink (down to one iteration) to reach
// six.
//
// Memory is bounded: past 4096 stored values, neighbouring values are
// merged into their minimum (exact for block minima), so any number of
// iterations fits in 32 KiB; a verdict fits at most 512 blocks (longer runs
// get longer blocks), so judging costs at most ~1 MiB of scratch.
//
// The zero Counts is not usable; create one with [NewCounts]. A Counts is
// not safe for concurrent use.
type Counts struct {
	metric  Metric
	pol     CountPolicy
	n       int       // values added
	unit    int       // iterations per stored minimum (a power of two)
	mins    []float64 // stored minima after the warm-up
	pending float64   // minimum of the partial unit being filled
	filled  int       // values in the pending unit
	peak    float64
	ceiling bool
	sc      scratch
}

const maxCounts = 4096

// maxFitPoints bounds the block minima a verdict fits (see [Counts.Verdict]).
const maxFitPoints = 512

// NewCounts returns a per-iteration checker of metric m.
func NewCounts(m Metric, p CountPolicy) *Counts {
	return &Counts{metric: m, pol: p.withDefaults(), unit: 1}
}

// Add records the value of one iteration.
func (c *Counts) Add(v float64) {
	c.n++
	c.peak = math.Max(c.peak, v)
	if c.pol.Max > 0 && v > c.pol.Max {
		c.ceiling = true
	}
	if c.n <= c.pol.Warmup {
		return
	}
	if c.filled == 0 || v < c.pending {
		c.pending = v
	}
	c.filled++
	if c.filled < c.unit {
		return
	}
	c.mins = append(c.mins, c.pending)
	c.filled = 0
	if len(c.mins) >= maxCounts {
		for i := 0; i < len(c.mins)/2; i++ {
			c.mins[i] = math.Min(c.mins[2*i], c.mins[2*i+1])
		}
		c.mins = c.mins[:len(c.mins)/2]
		c.unit *= 2
	}
}

// Len returns the number of iterations recorded.
func (c *Counts) Len() int { return c.n }

// Verdict judges the iterations so far. Slope and interval are per
// iteration (Unit "<count>/iteration"); Growth is the median of the last
// three block minima minus the median of the first three; Budget is the
// tolerance that growth had to reach.
func (c *Counts) Verdict() Verdict {
	p := c.pol
	v := Verdict{Metric: c.metric, Unit: countNoun(c.metric) + "/iteration", GrowthUnit: countNoun(c.metric), Samples: c.n}
	used := len(c.mins) * c.unit
	block := max(1, min(p.Block, used/6))
	k := max(1, (block+c.unit-1)/c.unit) // stored minima per block
	// The Theil–Sen fit takes every pair of points: at most maxFitPoints
	// blocks keep it to ~130k slopes (1 MiB of scratch) however long the
	// run; past that, blocks grow (a block minimum over more iterations).
	k = max(k, (len(c.mins)+maxFitPoints-1)/maxFitPoints)
	var x, y []float64
	for i := 0; i+k <= len(c.mins); i += k {
		m := c.mins[i]
		for _, w := range c.mins[i : i+k] {
			m = math.Min(m, w)
		}
		x = append(x, float64(p.Warmup)+(float64(i)+float64(k)/2)*float64(c.unit))
		y = append(y, m)
	}
	v.Points = len(y)
	if c.ceiling {
		v.Outcome = Leak
		v.Reason = fmt.Sprintf("%s reached %.0f, above the ceiling %.0f", c.metric, c.peak, p.Max)
		return v
	}
	if len(y) < 6 {
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("only %d iterations after a %d-iteration warm-up (need 6 blocks)", used, p.Warmup)
		return v
	}
	f, _ := c.sc.theilSen(x, y, zOneSided99)
	v.Slope, v.Lower, v.Upper = f.slope, f.lo, f.hi
	res := make([]float64, len(y))
	for i := range y {
		res[i] = y[i] - f.slope*x[i]
	}
	tol := math.Max(p.Tolerance, p.MADs*mad(res)+1)
	v.Growth = median(y[len(y)-3:]) - median(y[:3])
	v.Budget = tol
	if v.Growth >= tol && f.slope > 0 {
		v.Outcome = Leak
		v.Reason = fmt.Sprintf("%s block minima rose by %.0f (tolerance %.0f) over %d iterations, %.3g per iteration",
			c.metric, v.Growth, tol, used, f.slope)
		return v
	}
	v.Outcome = Pass
	v.Reason = fmt.Sprintf("%s block minima changed by %.0f (tolerance %.0f) over %d iterations", c.metric, v.Growth, tol, used)
	return v
}
