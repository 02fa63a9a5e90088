package summary

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// Write computes the summary of the artifacts under root and writes
// soak/summary.json (canonical JSON), soak/summary.md and soak/junit.xml,
// each atomically. It is what the soak command calls at the end of a run,
// on a signal, and from `soakkit report` for a run that crashed.
func Write(root string, cfg *Config) (*Summary, error) {
	s, err := Compute(root, cfg)
	if err != nil {
		return nil, err
	}
	return s, s.WriteFiles(root)
}

// WriteFiles writes s as summary.json, summary.md and junit.xml into the
// soak directory of the artifacts tree at root, each atomically.
func (s *Summary) WriteFiles(root string) error {
	l := artifact.Layout{Root: root}
	if err := canonjson.WriteFile(l.Summary(), s); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	if err := atomicfile.WriteFile(l.SummaryMarkdown(), []byte(s.Markdown()), 0o644); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	if err := atomicfile.Write(l.JUnit(), 0o644, s.WriteJUnit); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	return nil
}

// Limits that keep summary.md well under the 1 MiB GitHub allows for a
// step summary.
const (
	mdMaxRows = 50
	mdMaxTail = 4 << 10
	// In a merged summary: the most runners named in a cell, and the most
	// iterations listed per runner in the Flaky table.
	mdMaxRunners          = 5
	mdMaxRunnerIterations = 10
)

// noStop is the Stopped line of a run that recorded no end.
const noStop = "none recorded (running, or the process died)"

// Markdown returns the summary as Markdown fitting $GITHUB_STEP_SUMMARY:
// the verdict first, in words (never only a colour), then tables.
func (s *Summary) Markdown() string {
	var b strings.Builder
	v := s.Verdict
	fmt.Fprintf(&b, "## Soak %s: %s\n\n", strings.ToUpper(string(v.Status)), mdText(v.Reason))
	if len(v.Reasons) > 1 {
		for i, r := range v.Reasons {
			if i == mdMaxRows {
				fmt.Fprintf(&b, "- … and %d more\n", len(v.Reasons)-i)
				break
			}
			fmt.Fprintf(&b, "- %s\n", mdText(r))
		}
		b.WriteString("\n")
	}
	it := s.Iterations
	b.WriteString("| Run | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Exit status | %d |\n", v.ExitCode)
	fmt.Fprintf(&b, "| Iterations | %s |\n", it.String())
	if it.Passed+it.Failed > 0 {
		fmt.Fprintf(&b, "| Success rate | %.1f%% |\n", 100*it.SuccessRate)
	}
	if it.Iterations > 0 {
		fmt.Fprintf(&b, "| Span | %s (%s to %s) |\n", dur(it.Last.Sub(it.First)), fmtTime(it.First), fmtTime(it.Last))
	}
	stop := string(s.Run.Stop)
	switch {
	case len(s.Runners) > 0:
		stop = s.mergedStops()
	case stop == "":
		stop = noStop
	case s.Run.Reason != "":
		stop += ": " + firstLine(s.Run.Reason)
	}
	if p := s.Run.Schedule; p != nil {
		fmt.Fprintf(&b, "| Plan | %s |\n", mdText(p.Describe(time.Time{})))
	}
	fmt.Fprintf(&b, "| Stopped | %s |\n", mdText(stop))
	if s.reportLink != "" {
		fmt.Fprintf(&b, "| Report | [%s](%s) |\n", mdText(s.reportLink), s.reportLink)
	}
	s.runnersMarkdown(&b)

	if len(s.Steps) > 0 {
		// A Cut column only when the soak's end stopped a step.
		showCut := slices.ContainsFunc(s.Steps, func(st StepStats) bool { return st.Cut > 0 })
		cutHead, cutRule := "", ""
		if showCut {
			cutHead, cutRule = " Cut |", "--:|"
		}
		fmt.Fprintf(&b, "\n### Steps\n\n| Step | Runs | Passed | Failed |%s p50 | p95 | max | Trend |\n|---|--:|--:|--:|%s--:|--:|--:|---|\n",
			cutHead, cutRule)
		trends := map[string]Trend{}
		for _, t := range s.Slowdowns {
			trends[t.Step] = t
		}
		for i, st := range s.Steps {
			if i == mdMaxRows {
				fmt.Fprintf(&b, "| … %d more | | | | | | | |\n", len(s.Steps)-i)
				break
			}
			trend := "–"
			if t, ok := trends[st.Name]; ok {
				switch {
				case t.Slower:
					trend = fmt.Sprintf("SLOWER %+.0f%%", t.Percent)
				case t.Verdict.Outcome == probe.Inconclusive:
					trend = "inconclusive"
				default:
					trend = fmt.Sprintf("ok %+.0f%%", t.Percent)
				}
			}
			name := st.Name
			if st.Flaky {
				name += " (flaky)"
			}
			cut := ""
			if showCut {
				cut = fmt.Sprintf(" %d |", st.Cut)
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %d |%s %s | %s | %s | %s |\n", mdText(name), st.Runs, st.Passed, st.Failed, cut,
				ms(st.P50MS), ms(st.P95MS), ms(st.MaxMS), trend)
		}
	}
	if len(s.Flaky) > 0 {
		b.WriteString("\n### Flaky\n\n| Kind | Name | Passed | Failed | Failed in iterations |\n|---|---|--:|--:|---|\n")
		for i, f := range s.Flaky {
			if i == mdMaxRows {
				fmt.Fprintf(&b, "| … %d more | | | | |\n", len(s.Flaky)-i)
				break
			}
			its := make([]string, 0, len(f.FailedIterations))
			for j, n := range f.FailedIterations {
				if j == 20 {
					its = append(its, "…")
					break
				}
				its = append(its, strconv.Itoa(n))
			}
			where := strings.Join(its, ", ")
			if f.FailedOn != nil {
				where = mdText(failedOnText(f.FailedOn, mdMaxRunners, mdMaxRunnerIterations))
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %s |\n", f.Kind, mdText(f.Name()), f.Passed, f.Failed, where)
		}
	}
	if len(s.Leaks) > 0 {
		b.WriteString("\n### Resources\n\n| Target | Metric | Verdict | Slope | Growth | Reason |\n|---|---|---|--:|--:|---|\n")
		for i, l := range s.Leaks {
			if i == mdMaxRows {
				fmt.Fprintf(&b, "| … %d more | | | | | |\n", len(s.Leaks)-i)
				break
			}
			slope, growth := "–", "–"
			if l.Points > 0 {
				slope = fmtQuantity(l.Slope, l.Unit)
				growth = fmtQuantity(l.Growth, l.GrowthUnit)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdText(l.Target), l.Metric, l.Outcome, slope, growth, mdText(l.Reason))
		}
		if slices.ContainsFunc(s.Leaks, func(l probe.Verdict) bool { return l.Target == artifact.Self }) {
			b.WriteString("\n`self` is soakkit's own process, shown so that the harness's cost is visible; it never decides the verdict.\n")
		}
	}
	if len(s.Gates) > 0 {
		b.WriteString("\n### Gates\n\n| Gate | Status | Value | Reason |\n|---|---|--:|---|\n")
		for _, g := range s.Gates {
			val := "missing"
			if g.Value != nil {
				val = strconv.FormatFloat(*g.Value, 'g', 6, 64)
			}
			status := strings.ToUpper(string(g.Status))
			if g.Level != "" {
				status += " (" + g.Level + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdText(g.Name), status, val, mdText(g.Reason))
		}
	}
	if f := s.FirstFailure; f != nil {
		fmt.Fprintf(&b, "\n### First failure\n\nIteration %d (%s, %s)", f.Iteration, f.Status, fmtTime(f.Start))
		if f.Runner != "" {
			fmt.Fprintf(&b, " of runner %s", mdText(f.Runner))
		}
		if f.Step != "" {
			fmt.Fprintf(&b, ", step %s", mdText(f.Step))
		}
		b.WriteString(".")
		if f.Reason != "" {
			fmt.Fprintf(&b, " %s", mdText(firstLine(f.Reason)))
		}
		b.WriteString("\n")
		if len(f.Logs) > 0 {
			fmt.Fprintf(&b, "\nLogs: %s\n", mdText(strings.Join(f.Logs, ", ")))
		}
		if f.Tail != "" {
			tail := f.Tail
			if len(tail) > mdMaxTail {
				cut := len(tail) - mdMaxTail
				for cut < len(tail) && !utf8.RuneStart(tail[cut]) {
					cut++ // never split a character
				}
				tail = "…" + tail[cut:]
			}
			fence := "```"
			for strings.Contains(tail, fence) {
				fence += "`"
			}
			fmt.Fprintf(&b, "\n<details><summary>Log tail</summary>\n\n%s\n%s\n%s\n\n</details>\n", fence, strings.TrimRight(tail, "\n"), fence)
		}
	}
	return b.String()
}

func ms(p *int64) string {
	if p == nil {
		return "–"
	}
	return fmtMS(*p)
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// mdText makes s safe inside a Markdown table cell: one line, pipes and
// HTML escaped.
func mdText(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// WriteGitHubStepSummary appends s's Markdown to the job summary of a
// GitHub Actions step, the file named by $GITHUB_STEP_SUMMARY. Outside
// GitHub Actions (the variable unset) it does nothing and returns nil.
func (s *Summary) WriteGitHubStepSummary() error {
	return ghactions.AppendSummary(s.Markdown())
}
