package report

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// chartMetrics are the resources charted for every target that carries
// them, in page order.
var chartMetrics = []probe.Metric{probe.RSS, probe.FDs, probe.Threads, probe.Procs, probe.HeapLive, probe.Goroutines}

// A run is what the artifacts tree of one soak holds, as far as it could be
// read, reduced as it is read to what the page shows: its memory does not
// grow with the number of iterations or samples. Files that are missing (a
// soak that just started) or unreadable are noted in problems; only an
// unreadable root is an error.
type run struct {
	layout   artifact.Layout
	state    *artifact.State // nil without state.json
	env      *probe.Env      // nil without env.json
	targets  []*target       // in page order
	problems []string        // what could not be read, for the page
	start    time.Time       // earliest record or sample
	end      time.Time       // latest record end or sample

	timeline  timelineAcc
	failures  []failureView // the first maxFailures failing iterations
	moreFails int
	failIDs   map[int]string // iteration -> id of its details
	steps     []*stepSeries  // top-level steps, in order of first appearance
	stepIdx   map[string]*stepSeries
	byName    map[string]*target
}

// A target is the sample series of one label of samples.jsonl.
type target struct {
	name   string
	last   time.Time
	series map[probe.Metric]*chartBuf
}

// A stepSeries is what a top-level step's duration chart shows.
type stepSeries struct {
	name      string
	runs      int          // runs drawn (not skipped, not cut)
	first     time.Time    // start of the first drawn run
	all, pass chartBuf     // durations in seconds: every drawn run, the passing ones
	fails     []timedPoint // the first maxMarks failed runs
	touts     []timedPoint // the first maxMarks timed-out runs
}

type timedPoint struct {
	t time.Time
	v float64
}

// maxMarks is the most failures and the most timeouts marked on a step's chart.
const maxMarks = 500

// newRun starts reading the artifacts tree at root: state.json and
// env.json. Its records and samples are then taken in by [run.record] and
// [run.sample] (from the summary's pass over them, or [run.readFiles]),
// and [run.done] ends the reading.
func newRun(root string) (*run, error) {
	if fi, err := os.Stat(root); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", root)
	}
	r := &run{layout: artifact.Layout{Root: root}, failIDs: map[int]string{}, stepIdx: map[string]*stepSeries{},
		byName: map[string]*target{}}
	if st, err := artifact.ReadState(r.layout.State()); err == nil {
		r.state = st
	} else {
		r.note("state.json", err)
	}
	var env probe.Env
	if err := canonjson.Read(r.layout.Env(), &env); err == nil {
		r.env = &env
	} else {
		r.note("env.json", err)
	}
	// The timeline's cells are sized from the iterations the checkpoint
	// counts; without one they are merged pairwise as they fill up.
	expect := 0
	if st := r.state; st != nil {
		expect = st.Counts.Iterations
		if st.Running != nil {
			expect++
		}
	}
	r.timeline.perCell = max(1, int(math.Ceil(float64(expect)/maxTimelineCells)))
	return r, nil
}

// note records a file that could not be read, for the page; a missing
// file (a soak that just started) is no problem.
func (r *run) note(what string, err error) {
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		r.problems = append(r.problems, fmt.Sprintf("%s: %v", what, err))
	}
}

// load reads the artifacts tree at root on its own, for a page whose
// summary was computed already.
func load(root string) (*run, error) {
	r, err := newRun(root)
	if err != nil {
		return nil, err
	}
	for rec, err := range artifact.Records(r.layout.Iterations()) {
		if err != nil {
			r.note("iterations.jsonl", err)
			break
		}
		r.record(&rec)
	}
	for s, err := range artifact.Samples(r.layout.Samples()) {
		if err != nil {
			r.note("samples.jsonl", err)
			break
		}
		r.sample(&s)
	}
	r.done()
	return r, nil
}

// sample takes in one sample of samples.jsonl.
func (r *run) sample(s *probe.Sample) {
	if s.Time.IsZero() {
		return
	}
	t := r.byName[s.Target]
	if t == nil {
		t = &target{name: s.Target, series: map[probe.Metric]*chartBuf{}}
		r.byName[s.Target] = t
		r.targets = append(r.targets, t)
	}
	if !t.last.IsZero() && s.Time.Before(t.last) {
		return // out of order (a clock step); trend analysis needs order
	}
	t.last = s.Time
	for _, m := range chartMetrics {
		v, ok := s.Value(m)
		if !ok {
			continue
		}
		b := t.series[m]
		if b == nil {
			b = &chartBuf{}
			t.series[m] = b
		}
		b.add(s.Time, v)
	}
	r.widen(s.Time)
}

// done ends the reading: the targets are put in page order.
func (r *run) done() {
	slices.SortFunc(r.targets, func(a, b *target) int {
		if c := targetRank(a.name) - targetRank(b.name); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
}

// record takes in one record of iterations.jsonl.
func (r *run) record(rec *artifact.Record) {
	r.widen(rec.Start)
	r.widen(rec.End)
	r.timeline.add(rec)
	if g := rec.Range; g != nil {
		for i := range g.Steps {
			rs := &g.Steps[i]
			if strings.Contains(rs.Name, "/") || rs.Duration.Count() == 0 {
				continue // charts are of top-level steps, of the runs that passed
			}
			ss := r.step(rs.Name)
			n := int(rs.Duration.Count())
			ss.runs += n
			if ss.first.IsZero() {
				ss.first = rec.Start
			}
			spread(rec.Start, rec.End, rs.Duration.Quantile(0.5)/1000, n, func(t time.Time, v float64) {
				ss.all.add(t, v)
				ss.pass.add(t, v)
			})
		}
		return
	}
	if rec.Status != artifact.IterPassed && rec.Status != artifact.IterCancelled && !rec.CutByDeadline() {
		if len(r.failures) == maxFailures {
			r.moreFails++
		} else {
			fv := failureOf(rec)
			r.failIDs[rec.Iteration] = fv.ID
			r.failures = append(r.failures, fv)
		}
	}
	for i := range rec.Steps {
		s := &rec.Steps[i]
		ss := r.step(s.Name)
		if s.Status == step.Skipped || s.Status == "" || rec.StepCut(s) {
			continue // a cut run's duration is that of its cut
		}
		d := float64(s.DurationMS) / 1000
		ss.runs++
		if ss.first.IsZero() {
			ss.first = rec.Start
		}
		ss.all.add(rec.Start, d)
		if s.Status.OK() {
			ss.pass.add(rec.Start, d)
		}
		switch {
		case s.Status == step.TimedOut:
			if len(ss.touts) < maxMarks {
				ss.touts = append(ss.touts, timedPoint{rec.Start, d})
			}
		case !s.Status.OK():
			if len(ss.fails) < maxMarks {
				ss.fails = append(ss.fails, timedPoint{rec.Start, d})
			}
		}
	}
}

// step returns the series of the top-level step called name, adding it.
func (r *run) step(name string) *stepSeries {
	ss := r.stepIdx[name]
	if ss == nil {
		ss = &stepSeries{name: name}
		r.stepIdx[name] = ss
		r.steps = append(r.steps, ss)
	}
	return ss
}

// spread calls add for min(n, 32) points evenly spaced over [from, to],
// each of value v: how a range record, which keeps a step's median
// duration but not each run's, is drawn.
func spread(from, to time.Time, v float64, n int, add func(time.Time, float64)) {
	k := min(n, 32)
	if k <= 1 || !to.After(from) {
		add(from.Add(to.Sub(from)/2), v)
		return
	}
	step := to.Sub(from) / time.Duration(k)
	for i := range k {
		add(from.Add(step/2+time.Duration(i)*step), v)
	}
}

func (r *run) widen(t time.Time) {
	if t.IsZero() {
		return
	}
	if r.start.IsZero() || t.Before(r.start) {
		r.start = t
	}
	if t.After(r.end) {
		r.end = t
	}
}

// targetRank orders targets: the software under test (the service, or any
// sampler label) first, then the soak's own process, then the steps' trees.
func targetRank(name string) int {
	switch {
	case name == artifact.Self:
		return 1
	case artifact.IsStep(name):
		return 2
	}
	return 0
}

// chartPoints is the most points a chart's series keeps while the
// artifacts are read; the chart then draws DefaultMaxPoints of them.
const chartPoints = 1 << 13

// A chartBuf holds a series for a chart in bounded memory. While it has
// fewer than limit points (chartPoints if limit is 0) it holds them all, so
// the chart is drawn from every sample. Past that it thins the series
// evenly by count, keeping the lowest and the highest point of each group
// (so spikes and dips stay), and groups later points the same way; [lttb]
// then picks what is drawn. n counts every point added. The zero value is
// empty.
type chartBuf struct {
	t     []time.Time
	v     []float64
	n     int
	limit int // most points held; 0: chartPoints
	group int // points per group; 0 or 1 while every point is kept

	gn         int
	lo, hi     timedPoint
	loIdx      int // order of lo and hi in the group
	hiIdx      int
	drainedEnd bool
}

func (b *chartBuf) add(t time.Time, v float64) {
	b.n++
	if b.group <= 1 {
		b.push(t, v)
		return
	}
	if b.gn == 0 || v < b.lo.v {
		b.lo, b.loIdx = timedPoint{t, v}, b.gn
	}
	if b.gn == 0 || v > b.hi.v {
		b.hi, b.hiIdx = timedPoint{t, v}, b.gn
	}
	b.gn++
	if b.gn == b.group {
		b.emit()
	}
}

// emit pushes the current group's lowest and highest points, in time order.
func (b *chartBuf) emit() {
	if b.gn == 0 {
		return
	}
	lo, hi, loIdx, hiIdx := b.lo, b.hi, b.loIdx, b.hiIdx
	b.gn = 0
	switch {
	case loIdx == hiIdx:
		b.push(lo.t, lo.v)
	case loIdx < hiIdx:
		b.push(lo.t, lo.v)
		b.push(hi.t, hi.v)
	default:
		b.push(hi.t, hi.v)
		b.push(lo.t, lo.v)
	}
}

func (b *chartBuf) push(t time.Time, v float64) {
	b.t, b.v = append(b.t, t), append(b.v, v)
	if len(b.t) < cmp.Or(b.limit, chartPoints) {
		return
	}
	// Every 4 points become their lowest and highest: half as many.
	k := 0
	for i := 0; i < len(b.t); i += 4 {
		end := min(i+4, len(b.t))
		lo, hi := i, i
		for j := i; j < end; j++ {
			if b.v[j] < b.v[lo] {
				lo = j
			}
			if b.v[j] > b.v[hi] {
				hi = j
			}
		}
		for _, j := range []int{min(lo, hi), max(lo, hi)} {
			b.t[k], b.v[k] = b.t[j], b.v[j]
			k++
			if lo == hi {
				break
			}
		}
	}
	b.t, b.v = b.t[:k], b.v[:k]
	if b.group <= 1 {
		b.group = 4
	} else {
		b.group *= 2
	}
}

// points returns the series, a last partial group included. Call it after
// the last add.
func (b *chartBuf) points() ([]time.Time, []float64) {
	if !b.drainedEnd {
		b.drainedEnd = true
		b.emit()
	}
	return b.t, b.v
}

// A timelineAcc builds the timeline's cells as records are read: perCell
// iterations a cell, cells merged pairwise (perCell doubled) when there
// would be more than maxTimelineCells.
type timelineAcc struct {
	perCell  int
	seen     int // iterations so far
	cells    []cellAcc
	from, to time.Time
}

// A cellAcc is one cell of the timeline: the iterations first to last.
type cellAcc struct {
	first, last              int
	n                        int
	passed, failed, timedOut int
	worst                    artifact.IterStatus
	worstIter                int
	worstMS                  int64
	worstReason              string
}

func (tl *timelineAcc) add(rec *artifact.Record) {
	if tl.seen == 0 {
		tl.from = rec.Start
	}
	tl.to = rec.End
	n := rec.Iterations()
	for done := 0; done < n; {
		k := tl.seen / tl.perCell
		for len(tl.cells) <= k {
			tl.cells = append(tl.cells, cellAcc{})
		}
		c := &tl.cells[k]
		take := min(n-done, (k+1)*tl.perCell-tl.seen)
		it := rec.Iteration + done
		if c.n == 0 {
			c.first = it
			c.worst, c.worstIter = rec.Status, it
			c.worstMS, c.worstReason = rec.DurationMS/int64(n), rec.Reason
		} else if statusRank(rec.Status) > statusRank(c.worst) {
			c.worst, c.worstIter, c.worstMS, c.worstReason = rec.Status, it, rec.DurationMS, rec.Reason
		}
		c.last = it + take - 1
		c.n += take
		switch rec.Status {
		case artifact.IterPassed:
			c.passed += take
		case artifact.IterFailed:
			c.failed += take
		case artifact.IterTimedOut:
			c.timedOut += take
		}
		done += take
		tl.seen += take
		if len(tl.cells) > maxTimelineCells {
			tl.merge()
		}
	}
}

// merge halves the cells, each new one two old ones.
func (tl *timelineAcc) merge() {
	k := 0
	for i := 0; i < len(tl.cells); i += 2 {
		c := tl.cells[i]
		if i+1 < len(tl.cells) {
			d := tl.cells[i+1]
			if statusRank(d.worst) > statusRank(c.worst) {
				c.worst, c.worstIter, c.worstMS, c.worstReason = d.worst, d.worstIter, d.worstMS, d.worstReason
			}
			c.last = d.last
			c.n += d.n
			c.passed += d.passed
			c.failed += d.failed
			c.timedOut += d.timedOut
		}
		tl.cells[k] = c
		k++
	}
	tl.cells = tl.cells[:k]
	tl.perCell *= 2
}
