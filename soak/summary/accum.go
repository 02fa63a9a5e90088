package summary

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// An accum reads iterations.jsonl record by record and keeps only what the
// summary needs: counters, bounded duration and trend series per step, and
// the first failures' details. Its memory grows with the number of steps
// and tests, never with the number of iterations.
type accum struct {
	it    Iterations
	first *Failure

	judgedSum, judgedMin, judgedMax int64
	judgedN                         int

	steps   []StepStats
	stepIdx map[string]int
	durs    []durations // by step index

	flakySteps map[string]*flakyAcc
	flakyTests map[[3]string]*flakyAcc
	flakyN     int

	slow      map[string]*series // passing durations in seconds, by step
	slowOrder []string

	leaks     map[string]*leakAcc
	leakOrder []string

	junit junitAcc
}

type flakyAcc struct {
	f     Flaky
	order int
}

type leakAcc struct {
	rss    series
	counts map[probe.Metric]*probe.Counts
}

func newAccum() *accum {
	return &accum{stepIdx: map[string]int{}, flakySteps: map[string]*flakyAcc{}, flakyTests: map[[3]string]*flakyAcc{},
		slow: map[string]*series{}, leaks: map[string]*leakAcc{}}
}

// add takes in one record, in file order.
func (a *accum) add(r *artifact.Record, lc *LeakConfig) {
	a.iteration(r)
	if r.Range != nil {
		a.addRange(r, lc)
		return
	}
	judged := r.Judged()
	walkSteps(r.Steps, "", func(name string, st *artifact.StepRecord) {
		cut := r.StepCut(st)
		i := a.step(name, st, cut)
		a.flaky(r, name, st, cut)
		if st.Status == step.Passed {
			x := a.slow[name]
			if x == nil {
				x = &series{}
				a.slow[name] = x
				a.slowOrder = append(a.slowOrder, name)
			}
			x.add(r.Start, float64(st.DurationMS)/1000)
		}
		if judged {
			a.stepLeak(r, name, st, lc)
		}
		a.junit.step(i, r, name, st, cut)
	})
	a.junit.record(r)
}

func (a *accum) iteration(r *artifact.Record) {
	it := &a.it
	if it.Iterations == 0 || r.Start.Before(it.First) {
		it.First = r.Start
	}
	if r.End.After(it.Last) {
		it.Last = r.End
	}
	it.Counts.Add(r)
	it.DurationMS += r.DurationMS
	if g := r.Range; g != nil {
		// A range keeps the sum of its iterations' durations, not each:
		// their mean stands for them in the minimum and maximum.
		mean := r.DurationMS / int64(g.Count)
		if a.judgedN == 0 || mean < a.judgedMin {
			a.judgedMin = mean
		}
		a.judgedMax = max(a.judgedMax, mean)
		a.judgedSum += r.DurationMS
		a.judgedN += g.Count
		return
	}
	if a.first == nil && r.Status.Failed() {
		a.first = failure(r)
	}
	if !r.Judged() {
		return // its duration is that of its cut, not of an iteration
	}
	if a.judgedN == 0 || r.DurationMS < a.judgedMin {
		a.judgedMin = r.DurationMS
	}
	a.judgedMax = max(a.judgedMax, r.DurationMS)
	a.judgedSum += r.DurationMS
	a.judgedN++
}

// stepIndex returns the index of the step called name, adding it if new.
func (a *accum) stepIndex(name string) int {
	i, ok := a.stepIdx[name]
	if !ok {
		i = len(a.steps)
		a.stepIdx[name] = i
		a.steps = append(a.steps, StepStats{Name: name})
		a.durs = append(a.durs, durations{})
		a.junit.steps = append(a.junit.steps, junitStep{})
	}
	return i
}

// step counts one run of a step and returns the step's index.
func (a *accum) step(name string, st *artifact.StepRecord, cut bool) int {
	i := a.stepIndex(name)
	ss := &a.steps[i]
	ss.Runs++
	ss.PeakRSS = max(ss.PeakRSS, st.PeakRSS)
	switch {
	case st.Status == step.Passed:
		ss.Passed++
		a.durs[i].add(st.DurationMS)
	case st.Status == step.Skipped:
		ss.Skipped++
	case cut:
		ss.Cut++
	default:
		ss.Failed++
		if st.Status == step.TimedOut {
			ss.TimedOut++
		}
	}
	return i
}

// addRange takes in a range record: the compacted records of passing
// iterations. Its counts add up, its duration sketches merge into the
// steps' (p50 and p95 then come from the merged sketch), and its figures
// enter the trend series as points spread over its time span.
func (a *accum) addRange(r *artifact.Record, lc *LeakConfig) {
	g := r.Range
	for k := range g.Steps {
		rs := &g.Steps[k]
		i := a.stepIndex(rs.Name)
		ss := &a.steps[i]
		ss.PeakRSS = max(ss.PeakRSS, rs.PeakRSS)
		js := &a.junit.steps[i]
		js.ms += int64(rs.Duration.Sum())
		f := a.flakyStep(rs.Name)
		for st, n := range rs.Statuses {
			ss.Runs += n
			switch {
			case st == step.Passed:
				ss.Passed += n
				f.f.Passed += n
			case st == step.Skipped:
				ss.Skipped += n
				js.skipped = true
			default: // a range holds passing iterations only; counted anyway
				ss.Failed += n
				f.f.Failed += n
				f.f.FailedIterationsMore += n
				if st == step.TimedOut {
					ss.TimedOut += n
				}
			}
		}
		a.durs[i].merge(&rs.Duration)
		if n := int(rs.Duration.Count()); n > 0 {
			x := a.slow[rs.Name]
			if x == nil {
				x = &series{}
				a.slow[rs.Name] = x
				a.slowOrder = append(a.slowOrder, rs.Name)
			}
			x.spread(r.Start, r.End, rs.Duration.Quantile(0.5)/1000, n)
		}
		for _, t := range rs.Tests {
			if t.Test == "" {
				continue
			}
			ft := a.flakyTest(rs.Name, t.Package, t.Test)
			jt := a.junit.test(rs.Name, t.Package, t.Test)
			for st, n := range t.Statuses {
				switch st {
				case step.Passed:
					ft.f.Passed += n
					jt.passed += n
				case step.Skipped:
					jt.skipped += n
				default:
					ft.f.Failed += n
					ft.f.FailedIterationsMore += n
					jt.failed += n
					jt.more += n
				}
			}
		}
		a.rangeLeak(r, rs, lc)
	}
}

// rangeLeak adds a range's figures of a step's tree to its leak analysis:
// the middle of its lowest and highest peak RSS, spread over the range, and
// its lowest counts (what the per-iteration count rule keeps of a block).
func (a *accum) rangeLeak(r *artifact.Record, rs *artifact.RangeStep, lc *LeakConfig) {
	fig, sampled := r.Range.Resources[artifact.StepTarget(rs.Name)]
	if rs.PeakRSS == 0 && !sampled {
		return
	}
	l := a.leakAcc(rs.Name)
	n := r.Range.Count
	switch {
	case sampled && fig.Max.PeakRSS > 0:
		l.rss.spread(r.Start, r.End, float64(fig.Min.PeakRSS+fig.Max.PeakRSS)/2, n)
	case rs.PeakRSS > 0:
		l.rss.spread(r.Start, r.End, float64(rs.PeakRSS), n)
	}
	if !sampled {
		return
	}
	for _, m := range countMetrics {
		v := countOf(&fig.Min, m)
		if v == 0 {
			continue
		}
		c := l.count(m, lc)
		for range min(n, maxRangeCounts) {
			c.Add(float64(v))
		}
	}
}

// maxRangeCounts bounds the values one range record adds to a per-iteration
// count check.
const maxRangeCounts = 4096

func countOf(fig *artifact.Figures, m probe.Metric) int {
	switch m {
	case probe.FDs:
		return fig.FDs
	case probe.Procs:
		return fig.Procs
	case probe.Threads:
		return fig.Threads
	}
	return 0
}

func (l *leakAcc) count(m probe.Metric, lc *LeakConfig) *probe.Counts {
	c := l.counts[m]
	if c == nil {
		c = probe.NewCounts(m, probe.CountPolicy{Max: lc.Policies[m].Max})
		l.counts[m] = c
	}
	return c
}

func (a *accum) leakAcc(name string) *leakAcc {
	l := a.leaks[name]
	if l == nil {
		l = &leakAcc{counts: map[probe.Metric]*probe.Counts{}}
		a.leaks[name] = l
		a.leakOrder = append(a.leakOrder, name)
	}
	return l
}

func (a *accum) note(f *flakyAcc, ok bool, iter int) {
	if ok {
		f.f.Passed++
		return
	}
	f.f.Failed++
	if len(f.f.FailedIterations) < maxListed {
		f.f.FailedIterations = append(f.f.FailedIterations, iter)
	} else {
		f.f.FailedIterationsMore++
	}
}

func (a *accum) flaky(r *artifact.Record, name string, st *artifact.StepRecord, cut bool) {
	if st.Status == step.Skipped || st.Status == "" {
		return
	}
	f := a.flakyStep(name)
	if !cut {
		a.note(f, st.Status == step.Passed, r.Iteration)
	}
	for _, t := range st.Tests {
		if t.Test == "" || t.Status == step.Skipped {
			continue // the package line repeats its tests' outcome
		}
		if cut && t.Status != step.Passed {
			continue // stopped by the soak's end in the middle of the test
		}
		a.note(a.flakyTest(name, t.Package, t.Test), t.Status == step.Passed, r.Iteration)
	}
}

func (a *accum) flakyStep(name string) *flakyAcc {
	f := a.flakySteps[name]
	if f == nil {
		f = &flakyAcc{f: Flaky{Kind: "step", Step: name}, order: a.flakyN}
		a.flakyN++
		a.flakySteps[name] = f
	}
	return f
}

func (a *accum) flakyTest(name, pkg, test string) *flakyAcc {
	k := [3]string{name, pkg, test}
	f := a.flakyTests[k]
	if f == nil {
		f = &flakyAcc{f: Flaky{Kind: "test", Step: name, Package: pkg, Test: test}, order: a.flakyN}
		a.flakyN++
		a.flakyTests[k] = f
	}
	return f
}

// countMetrics are the per-iteration counts judged for a step's tree.
var countMetrics = []probe.Metric{probe.FDs, probe.Procs, probe.Threads}

func (a *accum) stepLeak(r *artifact.Record, name string, st *artifact.StepRecord, lc *LeakConfig) {
	fig, sampled := r.Resources[artifact.StepTarget(name)]
	if st.PeakRSS == 0 && !sampled {
		return
	}
	l := a.leakAcc(name)
	if st.PeakRSS > 0 {
		l.rss.add(r.Start, float64(st.PeakRSS))
	}
	if !sampled {
		return
	}
	for _, m := range countMetrics {
		if v := countOf(&fig, m); v != 0 {
			l.count(m, lc).Add(float64(v))
		}
	}
}

// finish fills in s from what was added.
func (a *accum) finish(s *Summary, cfg *Config) {
	s.Iterations = a.it
	s.FirstFailure = a.first
	it := &s.Iterations
	if n := it.Passed + it.Failed; n > 0 {
		it.SuccessRate = float64(it.Passed) / float64(n)
		it.FailureRate = float64(it.Failed) / float64(n)
		// Of the iterations that passed or failed, like SuccessRate: one
		// cut by the deadline or a signal is neither.
		s.SuccessRatePercent = math.Round(10000*it.SuccessRate) / 100
	}
	s.TotalIterations, s.Successful, s.FailedIterations = it.Iterations, it.Passed, it.Failed
	if a.judgedN > 0 {
		s.DurationSeconds = DurationSeconds{Avg: round3(float64(a.judgedSum) / float64(a.judgedN) / 1000),
			Min: float64(a.judgedMin) / 1000, Max: float64(a.judgedMax) / 1000}
	}

	s.Steps = a.steps
	s.stepDurs = a.durs
	if s.Steps == nil {
		s.Steps = []StepStats{}
	}
	for i := range s.Steps {
		ss := &s.Steps[i]
		p50, p95, mx, ok := a.durs[i].percentiles()
		if !ok {
			continue
		}
		ss.P50MS, ss.P95MS, ss.MaxMS = &p50, &p95, &mx
		ss.Flaky = ss.Passed > 0 && ss.Failed > 0
	}

	all := make([]*flakyAcc, 0, len(a.flakySteps)+len(a.flakyTests))
	for _, f := range a.flakySteps {
		all = append(all, f)
	}
	for _, f := range a.flakyTests {
		all = append(all, f)
	}
	slices.SortFunc(all, func(x, y *flakyAcc) int { return x.order - y.order })
	s.Flaky = []Flaky{}
	s.outcomes = make([]Outcome, 0, len(all))
	for _, f := range all {
		s.outcomes = append(s.outcomes, Outcome{Kind: f.f.Kind, Step: f.f.Step, Package: f.f.Package, Test: f.f.Test,
			Passed: f.f.Passed, Failed: f.f.Failed, FailedIterations: slices.Clone(f.f.FailedIterations),
			FailedIterationsMore: f.f.FailedIterationsMore})
		if f.f.Passed > 0 && f.f.Failed > 0 {
			s.Flaky = append(s.Flaky, f.f)
		}
	}

	s.Slowdowns = []Trend{}
	for _, name := range a.slowOrder {
		if tr, ok := slowdown(name, a.slow[name], cfg.Slowdown); ok {
			s.Slowdowns = append(s.Slowdowns, tr)
		}
	}
	a.finishLeaks(s, &cfg.Leaks)
	s.junit = &a.junit
}

func (a *accum) finishLeaks(s *Summary, lc *LeakConfig) {
	order := slices.Clone(a.leakOrder)
	slices.Sort(order)
	for _, name := range order {
		l := a.leaks[name]
		target := artifact.StepTarget(name)
		if ts, vs := l.rss.points(); len(ts) > 0 {
			p := lc.policy(probe.RSS)
			if p.Block == 0 {
				p.Block = spacingBlock(ts)
			}
			v := probe.Analyze(probe.RSS, p, ts, vs)
			v.Target = target
			v.Reason = "peak RSS per iteration: " + v.Reason
			s.Leaks = append(s.Leaks, v)
		}
		ms := make([]probe.Metric, 0, len(l.counts))
		for m := range l.counts {
			ms = append(ms, m)
		}
		slices.Sort(ms)
		for _, m := range ms {
			v := l.counts[m].Verdict()
			v.Target = target
			s.Leaks = append(s.Leaks, v)
		}
	}
}

// slowdown judges the duration trend of one step's passing runs; ok is
// false when there are too few runs or no baseline.
func slowdown(name string, x *series, c SlowdownConfig) (Trend, bool) {
	ts, vs := x.points()
	if len(ts) < 8 {
		return Trend{}, false
	}
	frac := c.minIncrease()
	span := ts[len(ts)-1].Sub(ts[0])
	warm := probe.DefaultPolicy(probe.RSS).Warmup
	if c.Warmup > 0 {
		warm = c.Warmup.Std()
	}
	warm = min(warm, span/5)
	// The baseline: the median of the first runs after the warm-up.
	var head []float64
	for i, t := range ts {
		if t.Sub(ts[0]) >= warm {
			head = vs[i:min(i+max(3, (len(vs)-i)/10), len(vs))]
			break
		}
	}
	base := aggregate(head, "median")
	if base <= 0 || span <= 0 {
		return Trend{}, false
	}
	minutes := (span - warm).Minutes()
	p := probe.Policy{
		Floor: base * frac / minutes, Budget: base * frac, BudgetFrac: -1,
		Warmup: max(warm, time.Nanosecond), Block: spacingBlock(ts), Stat: probe.BlockMedian,
		// Only the end-of-run judgement: a slowdown is growth over the
		// run, not a burst of slow runs.
		CheckAfter: math.MaxInt64,
	}
	v := probe.Analyze(durationMetric, p, ts, vs)
	v.Target = artifact.StepTarget(name)
	v.Unit, v.GrowthUnit = "s/h", "s"
	tr := Trend{Step: name, Verdict: v, BaselineMS: math.Round(base * 1000),
		Percent: math.Round(1000*v.Growth/base) / 10}
	tr.Slower = v.Outcome == probe.Leak && !c.Disabled
	over := dur(v.To.Sub(v.From))
	switch {
	case v.Outcome == probe.Leak:
		tr.Reason = fmt.Sprintf("step %s got %.0f%% slower over %s (%.3g s → %.3g s per run; at least %.0f%% is a slowdown)",
			name, tr.Percent, over, base, base+v.Growth, 100*frac)
	case v.Outcome == probe.Inconclusive:
		tr.Reason = fmt.Sprintf("step %s: duration trend inconclusive (%s)", name, inSeconds(v.Reason))
	case tr.Percent >= 100*frac:
		// The fitted growth is past the threshold, but probe's check
		// also wants its lower bound there and both halves of the run
		// rising: a one-time step or a noisy series is not a slowdown.
		tr.Reason = fmt.Sprintf("step %s: duration %+.0f%% over %s, not a slowdown: the rise is not steady over both halves of the run, or not clear of the noise",
			name, tr.Percent, over)
	default:
		tr.Reason = fmt.Sprintf("step %s: duration %+.0f%% over %s, below the %.0f%% slowdown threshold", name, tr.Percent, over, 100*frac)
	}
	tr.Verdict.Reason = tr.Reason
	return tr, true
}

// spacingBlock is the aggregation block for a per-iteration series: twice
// the median spacing between its points, so that nearly every block holds
// one, and at least a second.
func spacingBlock(ts []time.Time) time.Duration {
	if len(ts) < 2 {
		return time.Minute
	}
	gaps := make([]int64, 0, len(ts)-1)
	for i := 1; i < len(ts); i++ {
		gaps = append(gaps, int64(ts[i].Sub(ts[i-1])))
	}
	slices.Sort(gaps)
	return max(2*time.Duration(gaps[len(gaps)/2]), time.Second)
}
