package probe

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// A Tracker keeps the bounded aggregates of one metric of one target and
// judges them: the online leak check, the ceiling, and the end-of-run
// [Verdict]. Memory is O(run length / block): 72 h at 60 s blocks, plus
// the bounded fine blocks kept for short runs, is about 230 KiB per metric
// (BenchmarkTracker72h).
//
// A Tracker is not safe for concurrent use; a [Monitor] serializes access.
type Tracker struct {
	metric Metric
	pol    Policy

	start    time.Time // start of the current segment (first sample, or last restart)
	coarse   agg       // blocks of pol.Block
	fine     agg       // blocks of pol.Block/30, for short runs; bounded
	samples  int
	first    float64
	last     float64
	lastT    time.Time
	peak     float64
	restarts int
	restartT time.Time

	// online state
	lastCheck time.Time
	lastAt    time.Duration // lastCheck - start: the check cadence compares offsets, not times
	posSince  time.Time
	posRun    bool
	alarm     *Alarm
	ceiling   *Alarm
	fdAlarmed bool
	sc        scratch
}

// block is one aggregated block. idx is its index since the segment start.
type block struct {
	idx      int32
	n        int32
	med, min float64
}

// agg aggregates samples into consecutive blocks of one size.
type agg struct {
	size     time.Duration
	limit    int // stop recording after this many blocks; 0 = unlimited
	blocks   []block
	unsorted bool // a block's index is not above its predecessor's (samples out of order)
	curIdx   int64
	cur      []float64
}

const maxPerBlock = 1 << 14 // samples kept for one block's median; more are dropped

// add records v, observed d after the segment's start.
func (a *agg) add(d time.Duration, v float64) {
	if len(a.cur) == 0 && a.limit > 0 && len(a.blocks) >= a.limit {
		return // full: nothing more is recorded
	}
	idx := int64(d / a.size)
	if idx > math.MaxInt32 {
		return // beyond 2³¹ blocks; never reached with sane block sizes
	}
	if len(a.cur) > 0 && idx != a.curIdx {
		a.flush()
	}
	if a.limit > 0 && len(a.blocks) >= a.limit {
		return
	}
	a.curIdx = idx
	if len(a.cur) < maxPerBlock {
		a.cur = append(a.cur, v)
	}
}

func (a *agg) flush() {
	if len(a.cur) == 0 {
		return
	}
	mn := a.cur[0]
	for _, x := range a.cur {
		mn = math.Min(mn, x)
	}
	a.push(block{idx: int32(a.curIdx), n: int32(len(a.cur)), med: medianInPlace(a.cur), min: mn})
	a.cur = a.cur[:0]
}

// push appends b to the blocks, noting whether they stay in index order.
func (a *agg) push(b block) {
	if n := len(a.blocks); n > 0 && b.idx <= a.blocks[n-1].idx {
		a.unsorted = true
	}
	a.blocks = append(a.blocks, b)
}

// withCurrent returns a copy of a whose blocks include the current,
// partial block.
func (a *agg) withCurrent() agg {
	c := *a
	c.blocks = slices.Clone(a.blocks)
	c.cur = slices.Clone(a.cur)
	if c.limit == 0 || len(c.blocks) < c.limit {
		c.flush()
	}
	return c
}

func (a *agg) reset() {
	a.blocks = a.blocks[:0]
	a.cur = a.cur[:0]
	a.unsorted = false
}

// NewTracker returns a tracker of metric m; zero fields of p take their
// defaults.
func NewTracker(m Metric, p Policy) *Tracker {
	p = p.withDefaults(m)
	t := &Tracker{metric: m, pol: p}
	t.coarse.size = p.Block
	t.fine.size = max(p.Block/30, time.Millisecond)
	t.fine.limit = 4096
	return t
}

// Metric returns the tracked metric.
func (t *Tracker) Metric() Metric { return t.metric }

// Policy returns the tracker's policy with defaults filled in.
func (t *Tracker) Policy() Policy { return t.pol }

// Len returns the number of samples (or blocks given to addBlock) seen
// since the last restart.
func (t *Tracker) Len() int { return t.samples }

// Add records the value v observed at time at, which must not precede the
// previous one. It returns an alarm if this sample crossed the ceiling or
// completed an online check that made the alarm persist; each kind of alarm
// is raised once per Tracker.
func (t *Tracker) Add(at time.Time, v float64) (Alarm, bool) {
	if t.samples == 0 {
		t.start, t.first, t.peak = at, v, v
	}
	t.samples++
	t.last, t.lastT = v, at
	t.peak = math.Max(t.peak, v)
	d := at.Sub(t.start)
	t.coarse.add(d, v)
	t.fine.add(d, v)
	if t.pol.Max > 0 && v > t.pol.Max && t.ceiling == nil {
		t.ceiling = &Alarm{Metric: t.metric, Time: at, Kind: AlarmCeiling, Value: v,
			Reason: fmt.Sprintf("%s %s exceeded the ceiling %s", t.metric, fmtValue(t.metric, v), fmtValue(t.metric, t.pol.Max))}
		return *t.ceiling, true
	}
	return t.online(at, d)
}

// A preBlock is a block aggregated elsewhere, for [Tracker.addBlock].
type preBlock struct {
	Start  time.Time // start of the block; blocks are Policy.Block long
	N      int       // samples in the block (≥ 1)
	Median float64
	Min    float64
}

// addBlock records a block aggregated elsewhere (the simulation tests
// generate months of data this way) and runs any online check that is due
// at the block's end. Blocks must arrive in order and must not be mixed
// with [Tracker.Add] on one Tracker. Short-run adaptation is not available
// for data given this way.
func (t *Tracker) addBlock(b preBlock) (Alarm, bool) {
	if t.samples == 0 {
		t.start, t.first, t.peak = b.Start, b.Median, b.Median
	}
	t.samples += max(b.N, 1)
	end := b.Start.Add(t.pol.Block)
	t.last, t.lastT = b.Median, end
	t.peak = math.Max(t.peak, b.Median)
	t.coarse.push(block{idx: int32(b.Start.Sub(t.start) / t.pol.Block), n: int32(max(b.N, 1)), med: b.Median, min: b.Min})
	return t.online(end, end.Sub(t.start))
}

// Restart tells the tracker that the observed process was replaced at time
// at (the root pid names a new process): aggregates start afresh, alarms
// already raised are kept, and a verdict that would otherwise pass is
// INCONCLUSIVE.
func (t *Tracker) Restart(at time.Time) {
	t.restarts++
	t.restartT = at
	t.samples = 0
	t.coarse.reset()
	t.fine.reset()
	t.lastCheck, t.posRun = time.Time{}, false
}

// fdLimitAlarm records that a process neared its RLIMIT_NOFILE and reports
// whether this is the first time.
func (t *Tracker) fdLimitAlarm() bool {
	if t.fdAlarmed {
		return false
	}
	t.fdAlarmed = true
	return true
}

func fdPctReason(pct float64) string {
	return fmt.Sprintf("a process holds %.0f%% of its RLIMIT_NOFILE soft limit (ceiling 80%%)", pct)
}

// online runs the online check if one is due at time now, d after the
// segment's start.
func (t *Tracker) online(now time.Time, d time.Duration) (Alarm, bool) {
	p := t.pol
	if d < p.CheckAfter || (!t.lastCheck.IsZero() && d-t.lastAt < p.Check) {
		return Alarm{}, false
	}
	t.lastCheck, t.lastAt = now, d
	from := t.start.Add(p.Warmup)
	if w := now.Add(-p.Window); w.After(from) {
		from = w
	}
	// The online window is the policy's blocks only, grouped into the
	// tracker's own buffers: a check allocates nothing.
	pts := t.groupWindow(&t.coarse, from, now, func(n int) int { return max(1, (n+119)/120) }, &t.sc.pts)
	defer func() { t.sc.pts = pts }()
	if pts.n() < minPoints {
		t.posRun = false
		return Alarm{}, false
	}
	// The halves guard is cheaper than the full fit and rejects most
	// stationary windows, so it goes first.
	if !t.guardAbove(pts, p.Floor) {
		t.posRun = false
		return Alarm{}, false
	}
	f := t.fit(pts)
	if !f.positive(p.Floor, p.Budget) {
		t.posRun = false
		return Alarm{}, false
	}
	if !t.posRun {
		t.posRun, t.posSince = true, now
	}
	if now.Sub(t.posSince) < p.Persist-p.Check/2 || t.alarm != nil {
		return Alarm{}, false
	}
	t.alarm = &Alarm{Metric: t.metric, Time: now, Kind: AlarmTrend, Value: t.last,
		Reason: fmt.Sprintf("%s grew %s (lower bound %s) for %s of consecutive checks, above the floor %s",
			t.metric, fmtRate(t.metric, f.slope), fmtRate(t.metric, f.lo), now.Sub(t.posSince).Round(time.Second), fmtRate(t.metric, p.Floor))}
	return *t.alarm, true
}

const minPoints = 8

// points are the aggregated (x in minutes since segment start, y) values of
// a window.
type points struct {
	x, y     []float64
	block    time.Duration // effective block length
	adaptive bool          // built from fine blocks (short run)
	missing  float64       // fraction of blocks missing in the window
	from, to time.Time
}

func (p *points) n() int { return len(p.x) }

// points aggregates the blocks in [from, to] into at most maxPts points.
// It uses the policy's blocks when there are enough of them, and otherwise
// the fine blocks grouped into about 32 points (short runs).
func (t *Tracker) points(from, to time.Time, maxPts int, allowFine bool) points {
	pts := t.groupBlocks(&t.coarse, from, to, maxPts)
	if pts.n() >= minPoints || !allowFine || len(t.fine.blocks) == 0 {
		return pts
	}
	to = to.Add(t.fine.size) // the last fine block may be partial
	fine := t.groupBlocks(&t.fine, from, to, 1<<30)
	if fine.n() < minPoints {
		return pts
	}
	target := 32
	k := max(1, fine.n()/target)
	return t.groupFine(&t.fine, from, to, k)
}

func (t *Tracker) inWindow(a *agg, from, to time.Time) (lo, hi int64, bs []block) {
	lo = int64(math.Ceil(float64(from.Sub(t.start)) / float64(a.size)))
	hi = int64(to.Sub(t.start)/a.size) - 1 // last block fully inside
	if from.Before(t.start) {
		lo = 0
	}
	if !a.unsorted {
		// In index order (always, unless samples came out of order): the
		// window is one run of blocks, found by binary search; an online
		// check costs the window, not the run so far.
		i, _ := slices.BinarySearchFunc(a.blocks, lo, func(b block, k int64) int { return cmp.Compare(int64(b.idx), k) })
		j, _ := slices.BinarySearchFunc(a.blocks[i:], hi+1, func(b block, k int64) int { return cmp.Compare(int64(b.idx), k) })
		return lo, hi, a.blocks[i : i+j : i+j]
	}
	for _, b := range a.blocks {
		if i := int64(b.idx); i >= lo && i <= hi {
			bs = append(bs, b)
		}
	}
	return lo, hi, bs
}

// groupBlocks groups the blocks of a in [from, to] into at most maxPts
// points.
func (t *Tracker) groupBlocks(a *agg, from, to time.Time, maxPts int) points {
	return t.groupWindow(a, from, to, func(n int) int { return max(1, (n+maxPts-1)/maxPts) }, nil)
}

// groupFine groups the fine blocks in [from, to] k at a time, as adaptive
// (short-run) points.
func (t *Tracker) groupFine(a *agg, from, to time.Time, k int) points {
	pts := t.groupWindow(a, from, to, func(int) int { return k }, nil)
	pts.adaptive = true
	return pts
}

// groupWindow groups the blocks of a in [from, to], k(number of blocks) at
// a time, and notes the window and the fraction of its blocks missing. The
// points reuse the slices of buf, if given.
func (t *Tracker) groupWindow(a *agg, from, to time.Time, k func(n int) int, buf *points) points {
	lo, hi, bs := t.inWindow(a, from, to)
	var pts points
	if buf != nil {
		pts.x, pts.y = buf.x[:0], buf.y[:0]
	}
	t.group(&pts, a, bs, lo, k(len(bs)))
	if span := hi - lo + 1; span > 0 {
		pts.missing = 1 - float64(len(bs))/float64(span)
	}
	pts.from, pts.to = t.start.Add(time.Duration(lo)*a.size), t.start.Add(time.Duration(hi+1)*a.size)
	return pts
}

// group merges consecutive runs of k block indices into points: the median
// of the block medians (or the minimum of the minima) at the mean time,
// appended to pts.
func (t *Tracker) group(pts *points, a *agg, bs []block, lo int64, k int) {
	pts.block = a.size * time.Duration(k)
	sizeMin := a.size.Minutes()
	vals := t.sc.vals[:0]
	var xs float64
	cur := int64(-1)
	emit := func() {
		if len(vals) == 0 {
			return
		}
		var y float64
		if t.pol.Stat == BlockMin {
			y = vals[0]
			for _, v := range vals {
				y = math.Min(y, v)
			}
		} else {
			y = medianInPlace(vals)
		}
		pts.x = append(pts.x, xs/float64(len(vals)))
		pts.y = append(pts.y, y)
		vals, xs = vals[:0], 0
	}
	for _, b := range bs {
		g := (int64(b.idx) - lo) / int64(k)
		if g != cur {
			emit()
			cur = g
		}
		if t.pol.Stat == BlockMin {
			vals = append(vals, b.min)
		} else {
			vals = append(vals, b.med)
		}
		xs += (float64(b.idx) + 0.5) * sizeMin
	}
	emit()
	t.sc.vals = vals
}

// zHalves is the one-sided level (90 %) at which each half of a window must
// show an increase on its own.
const zHalves = 1.2815516

// guard implements the step guard: it returns the smaller Theil–Sen slope of
// the window's two halves, or a value ≤ 0 unless each half's one-sided 90 %
// Sen lower bound is above zero. A one-time step lies in one half only; a
// leak raises both. Requiring each half to rise on its own, not merely to
// slope above the floor, cut false alarms on the heavy-noise profile
// (0.6 % to 0 % of 24 h runs) at no cost in power on the Go-like profile.
func (t *Tracker) guard(pts points) float64 {
	if constant(pts.y) {
		// Every slope is 0, and so are both halves' bounds: the guard is
		// 0. A count that does not move (threads, processes, a block
		// minimum of FDs) is the common case, and this spares its online
		// checks the quadratic fits.
		return 0
	}
	return t.guardFit(pts)
}

// guardAbove reports whether guard(pts) > floor. With floor ≥ 0 it first
// checks each half's lower bound by counting slope signs: a bound ≤ 0 makes
// the guard ≤ 0, not above the floor, and the fits are spared. Most online
// checks of a stationary metric end there.
func (t *Tracker) guardAbove(pts points, floor float64) bool {
	if floor >= 0 {
		n, h := pts.n(), pts.n()/2
		if constant(pts.y) || !t.sc.senLowerPositive(pts.x[:h], pts.y[:h], zHalves) ||
			!t.sc.senLowerPositive(pts.x[n-h:], pts.y[n-h:], zHalves) {
			return false
		}
	}
	return t.guard(pts) > floor
}

// guardFit is guard without the shortcut for constant windows.
func (t *Tracker) guardFit(pts points) float64 {
	n, h := pts.n(), pts.n()/2
	a, _ := t.sc.theilSen(pts.x[:h], pts.y[:h], zHalves)
	b, _ := t.sc.theilSen(pts.x[n-h:], pts.y[n-h:], zHalves)
	g := math.Min(a.slope, b.slope)
	if a.lo <= 0 || b.lo <= 0 {
		g = math.Min(g, 0)
	}
	return g
}

// constant reports whether y holds one finite value, repeated. (Equal
// infinities would make every slope NaN, not 0.)
func constant(y []float64) bool {
	if len(y) == 0 || math.IsInf(y[0], 0) || math.IsNaN(y[0]) {
		return false
	}
	for _, v := range y[1:] {
		if v != y[0] {
			return false
		}
	}
	return true
}

// trendFit is the analysis of one window.
type trendFit struct {
	senFit
	halves   float64 // smaller Theil–Sen slope of the two halves
	span     float64 // minutes covered by the points
	noise    float64 // robust sd of the detrended points
	adaptive bool
}

func (t *Tracker) fit(pts points) trendFit {
	f, _ := t.sc.theilSen(pts.x, pts.y, zOneSided99)
	n := pts.n()
	tf := trendFit{senFit: f, adaptive: pts.adaptive}
	tf.halves = t.guard(pts)
	tf.span = pts.x[n-1] - pts.x[0] + pts.block.Minutes()
	if pts.adaptive {
		res := make([]float64, n)
		for i := range res {
			res[i] = pts.y[i] - f.slope*pts.x[i]
		}
		tf.noise = 1.4826 * mad(res)
	}
	return tf
}

// positive reports whether the fit is a leak above floor: the lower bound
// and both halves above it. On adaptive (short-run) points, which cannot
// average out a GC sawtooth or tell a warm-up ramp from a leak, the growth
// over the window must also exceed the growth budget and stand out of the
// noise by 4 robust sds.
func (f trendFit) positive(floor, budget float64) bool {
	ok := f.lo > floor && f.halves > floor
	if ok && f.adaptive {
		ok = f.lo*f.span > math.Max(4*f.noise, budget)
	}
	return ok
}
