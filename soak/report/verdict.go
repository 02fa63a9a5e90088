package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// Verdict words. They are shown as words, never as colour alone.
const (
	wordPassed   = "PASSED"
	wordFailed   = "FAILED"
	wordLeak     = "LEAK"
	wordSlowdown = "SLOWDOWN"
)

// judgement is what the page says about a run: its verdict and every
// figure the summary decides, taken from soak/summary's Summary (see
// fromSummary). The page never judges on its own.
type judgement struct {
	word    string   // the summary's status, upper-cased
	reason  string   // one sentence
	reasons []string // every finding behind the word, worst first; may be empty
	// complete says the run recorded its end (a stop reason).
	complete bool
	// successRate is worded by whoever defines it; "" to leave it out.
	successRate string
	counts      artifact.Counts // the iterations by outcome

	leaks map[leakKey]probe.Verdict // per target and metric
	steps map[string]stepStats      // per top-level step; may be empty
	flaky []flakyRow                // empty when there is nothing to show
	gates []gateRow
	// runners are a merged summary's runners; nil for one run.
	runners *runnersView
}

type leakKey struct {
	target string
	metric probe.Metric
}

// stepStats are a step's figures from the summary.
type stepStats struct {
	p50, p95, max    time.Duration // negative when no run passed
	passed, failed   int
	slowdown         string // SLOWDOWN, NO SLOWDOWN or INCONCLUSIVE; "" without a trend
	slowdownSentence string
	trend            probe.Verdict // the duration trend, in s/h
	hasTrend         bool
}

type flakyRow struct {
	Name, Kind     string
	Passed, Failed int
	Iterations     string // where it failed
}

type gateRow struct {
	Name, Value, Level, Outcome, Reason string
}

func sortedVerdicts(m map[leakKey]probe.Verdict) []probe.Verdict {
	var out []probe.Verdict
	for _, v := range m {
		out = append(out, v)
	}
	sortVerdicts(out)
	return out
}

func sortVerdicts(vs []probe.Verdict) {
	rank := map[probe.Metric]int{}
	for i, m := range chartMetrics {
		rank[m] = i
	}
	slices.SortFunc(vs, func(a, b probe.Verdict) int {
		if c := targetRank(a.Target) - targetRank(b.Target); c != 0 {
			return c
		}
		if c := strings.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		ra, okA := rank[a.Metric]
		rb, okB := rank[b.Metric]
		if !okA {
			ra = len(chartMetrics)
		}
		if !okB {
			rb = len(chartMetrics)
		}
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(string(a.Metric), string(b.Metric))
	})
}

// slopeText is the trend in the form "+3.1 MiB/h, leak".
func slopeText(v probe.Verdict) string {
	if v.Points == 0 {
		return "no trend (" + strings.ToLower(string(v.Outcome)) + ")"
	}
	return fmt.Sprintf("%+.3g %s, %s", v.Slope, v.Unit, strings.ToLower(string(v.Outcome)))
}

// metricName is how a metric is named in titles.
func metricName(m probe.Metric) string {
	switch m {
	case probe.RSS:
		return "RSS"
	case probe.FDs:
		return "open files/handles"
	case probe.Threads:
		return "threads"
	case probe.Procs:
		return "processes"
	case probe.HeapLive:
		return "Go live heap"
	case probe.Goroutines:
		return "goroutines"
	}
	return string(m)
}

// metricAxis is the y axis label of a metric, with its unit, and the factor
// from the sample's unit to the axis's.
func metricAxis(m probe.Metric) (string, float64) {
	if m.Unit() == "B" {
		return metricName(m) + " (MiB)", 1.0 / probe.MiB
	}
	return metricName(m) + " (count)", 1
}
