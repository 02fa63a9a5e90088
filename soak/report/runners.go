package report

import (
	_ "embed"
	"strings"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/summary"
)

//go:embed runners.html.tmpl
var runnersTemplate string

// runnersView is the runners section of a merged summary's page.
type runnersView struct {
	Rows     []runnerRow
	Cross    []crossRow
	Findings []findingRow // leak and slowdown verdicts, per runner and target
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
	v := &runnersView{}
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
