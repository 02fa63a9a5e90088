package summary

import (
	"math"
	"slices"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

// Bounds on what the summary keeps per step, whatever the number of
// iterations: below them every figure is exact, past them it is
// approximated (see [durations] and [series]).
const (
	// exactDurations is how many passing durations of a step are kept
	// for exact percentiles; past it they move into a quantile sketch.
	exactDurations = 1 << 14
	// seriesPoints is how many points a per-step trend series keeps;
	// past it neighbouring points are averaged pairwise.
	seriesPoints = 1 << 13
)

// durations holds the passing durations of a step in milliseconds: exactly
// while there are at most exactDurations of them, then in a DDSketch of
// 1 % relative accuracy ([artifact.Sketch]), so that its memory does not
// grow with the run; a range record's sketch is merged in. The maximum is
// always exact. The zero value is empty and ready to use.
type durations struct {
	exact  []int64
	sketch *artifact.Sketch // non-nil once exact overflowed or a sketch was merged
	n      int
	max    int64
}

func (d *durations) add(ms int64) {
	if d.n == 0 || ms > d.max {
		d.max = ms
	}
	d.n++
	if d.sketch == nil && len(d.exact) < exactDurations {
		d.exact = append(d.exact, ms)
		return
	}
	d.toSketch()
	d.sketch.Add(float64(ms))
}

// toSketch moves the exact durations into the sketch.
func (d *durations) toSketch() {
	if d.sketch != nil {
		return
	}
	d.sketch = &artifact.Sketch{}
	for _, v := range d.exact {
		d.sketch.Add(float64(v))
	}
	d.exact = nil
}

// merge adds the durations of a sketch, a range record's.
func (d *durations) merge(o *artifact.Sketch) {
	if o.Count() == 0 {
		return
	}
	if mx := int64(math.Round(o.Max())); d.n == 0 || mx > d.max {
		d.max = mx
	}
	d.n += int(o.Count())
	d.toSketch()
	d.sketch.Merge(o)
}

// percentiles returns the nearest-rank p50 and p95 (exact, or the sketch's
// estimate, never above the maximum) and the maximum; ok is false when no
// duration was added.
func (d *durations) percentiles() (p50, p95, mx int64, ok bool) {
	if d.n == 0 {
		return 0, 0, 0, false
	}
	if d.sketch == nil {
		slices.Sort(d.exact)
		return percentile(d.exact, 50), percentile(d.exact, 95), d.max, true
	}
	q := func(p float64) int64 { return min(int64(math.Round(d.sketch.Quantile(p))), d.max) }
	return q(0.50), q(0.95), d.max, true
}

// percentile returns the nearest-rank percentile p of sorted d.
func percentile(d []int64, p float64) int64 {
	k := int(math.Ceil(p/100*float64(len(d)))) - 1
	return d[min(max(k, 0), len(d)-1)]
}

// A series is one per-iteration series of a step, for a trend fit. It keeps
// every point while there are at most seriesPoints of them; past that,
// neighbouring points are averaged pairwise (time and value) and later
// points are averaged in groups of the same size, so that the series stays
// evenly thinned and its memory bounded. The zero value is empty.
type series struct {
	t    []time.Time
	v    []float64
	last time.Time // the latest time added
	unit int       // points averaged into each stored point; 0 means 1

	// The group being averaged while unit > 1.
	pn   int
	pt0  time.Time
	pdt  time.Duration // sum of the group's offsets from pt0
	pv   float64
	done bool
}

// add appends (t, v). A point before the latest one is dropped: trend
// analysis needs time order, and a clock step must not reorder the run.
func (x *series) add(t time.Time, v float64) {
	if !x.last.IsZero() && t.Before(x.last) {
		return
	}
	x.last = t
	if x.unit <= 1 {
		x.push(t, v)
		return
	}
	if x.pn == 0 {
		x.pt0 = t
	}
	x.pn++
	x.pdt += t.Sub(x.pt0)
	x.pv += v
	if x.pn == x.unit {
		x.flush()
	}
}

func (x *series) flush() {
	if x.pn == 0 {
		return
	}
	x.push(x.pt0.Add(x.pdt/time.Duration(x.pn)), x.pv/float64(x.pn))
	x.pn, x.pdt, x.pv = 0, 0, 0
}

func (x *series) push(t time.Time, v float64) {
	x.t, x.v = append(x.t, t), append(x.v, v)
	if len(x.t) < seriesPoints {
		return
	}
	n := len(x.t) / 2
	for i := range n {
		a, b := x.t[2*i], x.t[2*i+1]
		x.t[i] = a.Add(b.Sub(a) / 2)
		x.v[i] = (x.v[2*i] + x.v[2*i+1]) / 2
	}
	x.t, x.v = x.t[:n], x.v[:n]
	x.unit = max(x.unit, 1) * 2
}

// points returns the series, a last partial group included. Call it once,
// after the last add.
func (x *series) points() ([]time.Time, []float64) {
	if !x.done {
		x.done = true
		x.flush()
	}
	return x.t, x.v
}

// len returns the number of stored points, a partial group not included.
func (x *series) len() int { return len(x.t) }

// rangePoints is the most points a range record adds to a series.
const rangePoints = 32

// spread adds the value v of n runs between from and to, as a range record
// gives them: min(n, rangePoints) points evenly spaced over the range, so
// that the range weighs in the fit as a stretch of runs, not as one run.
func (x *series) spread(from, to time.Time, v float64, n int) {
	k := min(n, rangePoints)
	if k <= 1 || !to.After(from) {
		x.add(from.Add(to.Sub(from)/2), v)
		return
	}
	step := to.Sub(from) / time.Duration(k)
	for i := range k {
		x.add(from.Add(step/2+time.Duration(i)*step), v)
	}
}
