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
}

// runnerCharts are the resource charts of one runner.
type runnerCharts struct {
	Runner string
	Charts []chartView
}

// runnerChartMetrics are the resources charted per runner and long-lived
// target on a merged page: memory and descriptors, the usual leaks. Each
// runner's own report.html charts every resource.
var runnerChartMetrics = []probe.Metric{probe.RSS, probe.FDs}

// maxRunnerChartPoints bounds the points of one chart on a merged page,
// which has two charts per runner and target.
const maxRunnerChartPoints = 300

// charts draws, for every runner whose artifacts are at its source, its
// long-lived targets' RSS and FDs from its samples.jsonl, each chart with
// at most min(maxPoints, maxRunnerChartPoints) points and the runner's own
// verdict and trend for that target. Runners are read in parallel, each
// in bounded memory (see [chartBuf]); a runner without samples gets no
// chart. ids makes the chart ids unique on the page.
func (v *runnersView) charts(ids chartIDs, maxPoints int) error {
	maxPoints = min(maxPoints, maxRunnerChartPoints)
	type result struct {
		charts []chartView
		err    error
	}
	out := make([]result, len(v.runners))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var idMu sync.Mutex
	makeID := func(parts ...string) string {
		idMu.Lock()
		defer idMu.Unlock()
		return ids.make(parts...)
	}
	for i := range v.runners {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i].charts, out[i].err = runnerChartsOf(&v.runners[i], makeID, maxPoints)
		})
	}
	wg.Wait()
	var errs []error
	for i, r := range out {
		if r.err != nil {
			errs = append(errs, fmt.Errorf("runner %s: %w", v.runners[i].Name, r.err))
			continue
		}
		if len(r.charts) > 0 {
			v.Charts = append(v.Charts, runnerCharts{Runner: v.runners[i].Name, Charts: r.charts})
		}
	}
	return errors.Join(errs...)
}

// runnerChartsOf charts one runner's resources.
func runnerChartsOf(r *summary.Runner, makeID func(...string) string, maxPoints int) ([]chartView, error) {
	if r.Source == "" {
		return nil, nil
	}
	type key struct {
		target string
		m      probe.Metric
	}
	bufs := map[key]*chartBuf{}
	var targets []string
	for s, err := range artifact.Samples(artifact.Layout{Root: r.Source}.Samples()) {
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, err
		}
		if artifact.IsStep(s.Target) || s.Time.IsZero() {
			continue
		}
		for _, m := range runnerChartMetrics {
			x, ok := s.Value(m)
			if !ok {
				continue
			}
			k := key{s.Target, m}
			b := bufs[k]
			if b == nil {
				b = &chartBuf{}
				bufs[k] = b
				if !slices.Contains(targets, s.Target) {
					targets = append(targets, s.Target)
				}
			}
			b.add(s.Time, x)
		}
	}
	slices.SortFunc(targets, func(a, b string) int { return cmp.Or(targetRank(a)-targetRank(b), strings.Compare(a, b)) })
	verdicts := map[key]probe.Verdict{}
	for _, l := range r.Leaks {
		verdicts[key{l.Target, l.Metric}] = l
	}
	var charts []chartView
	for _, t := range targets {
		for _, m := range runnerChartMetrics {
			b := bufs[key{t, m}]
			if b == nil {
				continue
			}
			ts, vs := b.points()
			if len(ts) == 0 {
				continue
			}
			ax := newTimeAxis(ts[0], ts[len(ts)-1])
			cv, err := resourceChart(ax, makeID("runner", r.Name, t, string(m)), t+" on "+r.Name, m, ts, vs, b.n, verdicts[key{t, m}], maxPoints)
			if err != nil {
				return nil, err
			}
			charts = append(charts, cv)
		}
	}
	return charts, nil
}

type runnerRow struct {
	Name, Platform, Shard, Verdict, Class, Reason string
	Iterations, Passed, Failed                    int
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
			Iterations: r.Iterations, Passed: r.Passed, Failed: r.Failed})
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
