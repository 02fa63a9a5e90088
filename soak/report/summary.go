package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/summary"
)

// fromSummary takes the verdict and every figure the summary decides:
// the verdict and its reasons, the leak verdicts, per-step percentiles and
// slowdown trends, flaky steps and tests, and gates. It is the report's only
// dependency on the summary package's types.
func fromSummary(s *summary.Summary) *judgement {
	j := &judgement{
		word:        strings.ToUpper(string(s.Verdict.Status)),
		reason:      s.Verdict.Reason,
		reasons:     s.Verdict.Reasons,
		complete:    s.Run.Complete,
		counts:      s.Iterations.Counts,
		leaks:       map[leakKey]probe.Verdict{},
		steps:       map[string]stepStats{},
		flaky:       []flakyRow{},
		gates:       []gateRow{},
		successRate: fmt.Sprintf("%.1f %% (passed of passed and failed)", 100*s.Iterations.SuccessRate),
	}
	if s.Iterations.Passed+s.Iterations.Failed == 0 {
		j.successRate = ""
	}
	for _, v := range s.Leaks {
		j.leaks[leakKey{v.Target, v.Metric}] = v
	}
	j.runners = runnersOf(s)
	trends := map[string]summary.Trend{}
	for _, t := range s.Slowdowns {
		trends[t.Step] = t
	}
	ms := func(p *int64) time.Duration {
		if p == nil {
			return -1
		}
		return time.Duration(*p) * time.Millisecond
	}
	for _, st := range s.Steps {
		ss := stepStats{p50: ms(st.P50MS), p95: ms(st.P95MS), max: ms(st.MaxMS), passed: st.Passed, failed: st.Failed}
		if t, ok := trends[st.Name]; ok {
			ss.trend, ss.hasTrend = t.Verdict, true
			switch {
			case t.Slower:
				ss.slowdown = wordSlowdown
			case t.Verdict.Outcome == probe.Inconclusive:
				ss.slowdown = "INCONCLUSIVE"
			default:
				ss.slowdown = "NO SLOWDOWN"
			}
			ss.slowdownSentence = t.Reason
		}
		j.steps[st.Name] = ss
	}
	for i := range s.Flaky {
		f := &s.Flaky[i]
		var its []string
		for _, n := range f.FailedIterations {
			its = append(its, fmt.Sprint(n))
		}
		where := strings.Join(its, ", ")
		if f.FailedIterationsMore > 0 {
			where += fmt.Sprintf(" and %d more", f.FailedIterationsMore)
		}
		if f.FailedOn != nil {
			where = failedOnText(f.FailedOn)
		}
		j.flaky = append(j.flaky, flakyRow{Name: f.Name(), Kind: f.Kind, Passed: f.Passed, Failed: f.Failed, Iterations: where})
	}
	for _, g := range s.Gates {
		val := "missing"
		if g.Value != nil {
			val = fmt.Sprintf("%.6g", *g.Value)
		}
		j.gates = append(j.gates, gateRow{Name: g.Name, Value: val, Level: g.Level, Outcome: strings.ToUpper(string(g.Status)), Reason: g.Reason})
	}
	return j
}

// failedOnText says where a step or test of a merged summary failed, by
// runner: "mac-1: 2, 4, 6; windows-1: 3, 4, 5, 6 and 2 more".
func failedOnText(on []summary.RunnerIterations) string {
	parts := make([]string, 0, len(on))
	for _, r := range on {
		its := make([]string, 0, len(r.Iterations))
		for _, n := range r.Iterations {
			its = append(its, fmt.Sprint(n))
		}
		p := r.Runner + ": " + strings.Join(its, ", ")
		switch {
		case r.More > 0 && len(its) == 0:
			p += fmt.Sprintf("%d runs (iterations not recorded)", r.More)
		case r.More > 0:
			p += fmt.Sprintf(" and %d more", r.More)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}
