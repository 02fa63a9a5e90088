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
	wordNoData   = "NO DATA" // nothing recorded yet: no verdict
)

// judgement is what the page says about a run: its verdict and every
// figure the summary decides. It is filled either from soak/summary's
// Summary (see fromSummary) or, when that is not available, from the engine's own
// records and probe's verdicts (fromRecords).
type judgement struct {
	word    string   // one of the word* constants
	reason  string   // one sentence
	reasons []string // every finding behind the word, worst first; may be empty
	source  string   // where the verdict comes from, shown under it
	// complete says the run recorded its end (a stop reason).
	complete bool
	// successRate is worded by whoever defines it; "" to leave it out.
	successRate string

	leaks map[leakKey]probe.Verdict // per target and metric
	steps map[string]stepStats      // per top-level step; may be empty
	// flaky and gates are nil when nothing computed them (no summary);
	// empty when computed and there is nothing to show.
	flaky []flakyRow
	gates []gateRow
	// withSummary says the summary computed steps, flaky and gates.
	withSummary bool
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

// counts tallies the iterations of a run by status.
type counts struct {
	total, passed, failed, timedOut, cancelled, interrupted int
	firstFailure                                            *artifact.Record
}

func countRecords(recs []artifact.Record) counts {
	var c counts
	for i := range recs {
		c.total++
		switch recs[i].Status {
		case artifact.IterPassed:
			c.passed++
		case artifact.IterFailed:
			c.failed++
		case artifact.IterTimedOut:
			c.timedOut++
		case artifact.IterCancelled:
			c.cancelled++
		case artifact.IterInterrupted:
			c.interrupted++
		}
		if recs[i].Status.Failed() && c.firstFailure == nil {
			c.firstFailure = &recs[i]
		}
	}
	return c
}

// analyzeLeaks judges every charted series with probe's default policies.
func analyzeLeaks(r *run) map[leakKey]probe.Verdict {
	out := map[leakKey]probe.Verdict{}
	for _, t := range r.targets {
		for _, m := range chartMetrics {
			ts, vs := t.series(m)
			if len(ts) == 0 {
				continue
			}
			v := probe.Analyze(m, probe.DefaultPolicy(m), ts, vs)
			v.Target = t.name
			out[leakKey{t.name, m}] = v
		}
	}
	return out
}

// fromRecords judges a run from what the engine wrote: failed and timed-out
// iterations, a service that ended on its own, and probe's leak verdicts.
// Slowdown, flaky steps and gates are the summary's to decide, so they are
// left out.
func fromRecords(r *run) *judgement {
	j := &judgement{
		leaks:    analyzeLeaks(r),
		source:   "from iterations.jsonl and probe's leak analysis of samples.jsonl: the summary could not be computed, so slowdown, flaky steps and gates are not judged",
		complete: r.state != nil && r.state.Stop != "",
	}
	c := countRecords(r.records)
	var leaks []string
	for _, v := range sortedVerdicts(j.leaks) {
		if v.Outcome == probe.Leak {
			leaks = append(leaks, fmt.Sprintf("%s of %s grew %s", metricName(v.Metric), v.Target, slopeText(v)))
		}
	}
	var failed []string
	if n := c.failed + c.timedOut; n > 0 {
		s := fmt.Sprintf("%d of %d iterations failed", n, c.total)
		if c.timedOut > 0 {
			s += fmt.Sprintf(" (%d timed out)", c.timedOut)
		}
		if f := c.firstFailure; f != nil {
			s += fmt.Sprintf("; the first was iteration %d", f.Iteration)
			if f.Reason != "" {
				s += ": " + f.Reason
			}
		}
		failed = append(failed, s)
	}
	if st := r.state; st != nil {
		switch st.Stop {
		case artifact.StopServiceExited, artifact.StopServiceFailed, artifact.StopByteCap, artifact.StopError, artifact.StopWriteFailed:
			s := "the soak stopped: " + string(st.Stop)
			if st.Reason != "" {
				s += " (" + st.Reason + ")"
			}
			failed = append(failed, s)
		}
	}
	switch {
	case len(failed) > 0:
		j.word = wordFailed
		j.reason = strings.Join(append(failed, leaks...), "; ") + "."
	case len(leaks) > 0:
		j.word = wordLeak
		j.reason = strings.Join(leaks, "; ") + "."
	case c.total == 0 && len(r.targets) == 0:
		j.word = wordNoData
		j.reason = "Neither an iteration nor a resource sample has been recorded yet."
	default:
		j.word = wordPassed
		j.reason = fmt.Sprintf("No iteration failed (%d passed, %d recorded) and no resource leaked.", c.passed, c.total)
	}
	return j
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
