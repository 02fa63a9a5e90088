package report

import (
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

//go:embed runners.html.tmpl
var runnersTemplate string

// runnersView is the runners section of a merged summary's page.
type runnersView struct {
	Rows     []runnerRow
	Cross    []crossRow
	Findings []findingRow     // leak and slowdown verdicts, per runner and target
	Charts   []runnerCharts   // resources per runner and target, from each runner's samples
	runners  []summary.Runner // for the charts: each runner's source and verdicts

	loaded  bool              // series and loadErr are set
	series  []*ResourceSeries // by runner; nil for a runner without samples
	loadErr error
}

// runnerCharts are the resource charts of one runner.
type runnerCharts struct {
	Runner string
	Charts []chartView
}

// runnerChartMetrics are the resources charted per runner and long-lived
// target on a merged page: memory and descriptors, the usual leaks. Each
// runner's own report.html charts every resource.
var runnerChartMetrics = [2]probe.Metric{probe.RSS, probe.FDs}

// maxRunnerChartPoints bounds the points of one chart on a merged page,
// which has two charts per runner and target.
const maxRunnerChartPoints = 300

// load gathers every runner's resource series, once for all the forms of
// the page: from given, by the runner's source, as collected while the
// runner was judged; a runner without one has its samples.jsonl read from
// its source, in parallel with the others, each in bounded memory (see
// [ResourceSeries]).
func (v *runnersView) load(given map[string]*ResourceSeries) error {
	if v.loaded {
		return v.loadErr
	}
	v.loaded = true
	v.series = make([]*ResourceSeries, len(v.runners))
	errs := make([]error, len(v.runners))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range v.runners {
		r := &v.runners[i]
		if rs := given[r.Source]; rs != nil || r.Source == "" {
			v.series[i] = rs
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			rs, err := readResourceSeries(r.Source)
			if err != nil {
				errs[i] = fmt.Errorf("runner %s: %w", r.Name, err)
			}
			v.series[i] = rs
		})
	}
	wg.Wait()
	v.loadErr = errors.Join(errs...)
	return v.loadErr
}

// charts draws, for every runner, its long-lived targets' RSS and FDs,
// each chart with at most min(maxPoints, maxRunnerChartPoints) points and
// the runner's own verdict and trend for that target, from the series
// [runnersView.load] gathered. A runner without samples gets no chart. ids
// makes the chart ids unique on the page.
func (v *runnersView) charts(ids chartIDs, maxPoints int) ([]runnerCharts, error) {
	var out []runnerCharts
	for i, rs := range v.series {
		if rs == nil {
			continue
		}
		r := &v.runners[i]
		charts, err := rs.charts(r, ids, maxPoints)
		if err != nil {
			return nil, fmt.Errorf("runner %s: %w", r.Name, err)
		}
		if len(charts) > 0 {
			out = append(out, runnerCharts{Runner: r.Name, Charts: charts})
		}
	}
	return out, nil
}

// A ResourceSeries collects, from the samples of one runner's run, what
// the page of a merged summary charts of that runner: the RSS and FDs of
// each long-lived target, thinned as they are added to at most
// 2×300 points a chart (spikes and dips kept), so that its memory does not
// grow with the length of the run. Feed it every sample of the run, in
// file order, while the run is judged (summary.Visit(nil, rs.Add)), and
// pass it in [Options].Runners: the runner's samples are then decoded once
// for both. The zero value is ready to use. A ResourceSeries is not safe
// for concurrent use.
type ResourceSeries struct {
	byTarget map[string]*targetSeries
	targets  []*targetSeries // in order of first appearance
	last     *targetSeries   // the last sample's target: most samples repeat it
}

// targetSeries are the charted series of one target, by metric as in
// runnerChartMetrics; nil for a metric none of its samples carried.
type targetSeries struct {
	name string
	bufs [2]*chartBuf
	last time.Time // the newest sample's time
}

// Add takes in one sample. Samples of steps' trees, samples with no time,
// samples older than their target's previous one (a clock stepped back;
// a run's own page drops them too) and metrics the merged page does not
// chart are ignored.
func (rs *ResourceSeries) Add(s *probe.Sample) {
	if artifact.IsStep(s.Target) || s.Time.IsZero() {
		return
	}
	ts := rs.last
	if ts == nil || ts.name != s.Target {
		ts = rs.byTarget[s.Target]
		if ts == nil {
			if rs.byTarget == nil {
				rs.byTarget = map[string]*targetSeries{}
			}
			ts = &targetSeries{name: s.Target}
			rs.byTarget[s.Target] = ts
			rs.targets = append(rs.targets, ts)
		}
		rs.last = ts
	}
	if s.Time.Before(ts.last) {
		return
	}
	ts.last = s.Time
	for i, m := range runnerChartMetrics {
		x, ok := s.Value(m)
		if !ok {
			continue
		}
		b := ts.bufs[i]
		if b == nil {
			b = &chartBuf{limit: 2 * maxRunnerChartPoints}
			ts.bufs[i] = b
		}
		b.add(s.Time, x)
	}
}

// readResourceSeries reads the samples of the run whose artifacts are at
// root; a run without samples.jsonl has none.
func readResourceSeries(root string) (*ResourceSeries, error) {
	rs := &ResourceSeries{}
	for s, err := range artifact.Samples(artifact.Layout{Root: root}.Samples()) {
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, err
		}
		rs.Add(&s)
	}
	return rs, nil
}

// charts draws the charts of runner r from its series, each with at most
// min(maxPoints, maxRunnerChartPoints) points.
func (rs *ResourceSeries) charts(r *summary.Runner, ids chartIDs, maxPoints int) ([]chartView, error) {
	maxPoints = min(maxPoints, maxRunnerChartPoints)
	targets := slices.Clone(rs.targets)
	slices.SortFunc(targets, func(a, b *targetSeries) int {
		return cmp.Or(targetRank(a.name)-targetRank(b.name), strings.Compare(a.name, b.name))
	})
	type key struct {
		target string
		m      probe.Metric
	}
	verdicts := map[key]probe.Verdict{}
	for _, l := range r.Leaks {
		verdicts[key{l.Target, l.Metric}] = l
	}
	var charts []chartView
	for _, t := range targets {
		for i, m := range runnerChartMetrics {
			b := t.bufs[i]
			if b == nil {
				continue
			}
			ts, vs := b.points()
			if len(ts) == 0 {
				continue
			}
			ax := newTimeAxis(ts[0], ts[len(ts)-1])
			cv, err := resourceChart(ax, ids.make("runner", r.Name, t.name, string(m)), t.name+" on "+r.Name, m, ts, vs, b.n,
				verdicts[key{t.name, m}], maxPoints)
			if err != nil {
				return nil, err
			}
			charts = append(charts, cv)
		}
	}
	return charts, nil
}

type runnerRow struct {
	Name, Platform, Shard, Verdict, Class, Reason, Stopped string
	Iterations, Passed, Failed                             int
}

type crossRow struct {
	Name, Kind, Class, Failing, Flaky, Passing string
}

type findingRow struct {
	Runner, Target, Metric, Outcome, Class, Trend, Reason string
}

// runnersOf words the runners of a merged summary (summary.Merger) and
// their classification across runners; nil for the summary of one run.
func runnersOf(s *summary.Summary) *runnersView {
	if len(s.Runners) == 0 {
		return nil
	}
	v := &runnersView{runners: s.Runners}
	list := func(names []string) string {
		if len(names) == 0 {
			return "–"
		}
		return strings.Join(names, ", ")
	}
	for _, r := range s.Runners {
		v.Rows = append(v.Rows, runnerRow{Name: r.Name, Platform: r.OS + "/" + r.Arch, Shard: orNone(r.Shard),
			Verdict: strings.ToUpper(string(r.Verdict)), Class: strings.ToLower(string(r.Verdict)), Reason: r.Reason,
			Iterations: r.Iterations, Passed: r.Passed, Failed: r.Failed, Stopped: stoppedText(&r)})
		leaks := append([]probe.Verdict(nil), r.Leaks...)
		sortVerdicts(leaks)
		for _, l := range leaks {
			if l.Outcome == probe.Leak {
				v.Findings = append(v.Findings, findingRow{Runner: r.Name, Target: l.Target, Metric: metricName(l.Metric),
					Outcome: string(l.Outcome), Class: "leak", Trend: slopeText(l), Reason: l.Reason})
			}
		}
		for _, t := range r.Slowdowns {
			if t.Slower {
				v.Findings = append(v.Findings, findingRow{Runner: r.Name, Target: "step " + t.Step, Metric: "duration",
					Outcome: wordSlowdown, Class: "slowdown", Trend: slopeText(t.Verdict), Reason: t.Reason})
			}
		}
	}
	for i := range s.CrossRunner {
		c := &s.CrossRunner[i]
		v.Cross = append(v.Cross, crossRow{Name: c.Name(), Kind: c.Kind, Class: strings.ReplaceAll(string(c.Class), "_", " "),
			Failing: list(c.FailingOn), Flaky: list(c.FlakyOn), Passing: list(c.PassingOn)})
	}
	return v
}

// stoppedText says why a runner's soak ended.
func stoppedText(r *summary.Runner) string {
	if r.Stop == "" {
		return "not recorded (running, or the soak process died)"
	}
	if r.StopReason != "" {
		return string(r.Stop) + ": " + r.StopReason
	}
	return string(r.Stop)
}
