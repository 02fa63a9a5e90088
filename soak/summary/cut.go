package summary

import (
	"fmt"
	"strings"

	"github.com/soakkit/soakkit/soak/artifact"
)

// What the soak's own end does to the figures.
//
// An iteration the soak's deadline ended before it finished (cut), one a
// signal ended (cancelled) and one running when the soak process died
// (interrupted) say nothing about the software under test: they are
// counted by outcome, never as passed or failed. Inside them, and inside
// any iteration for steps the engine marked as cut, a step stopped by that
// end ("timed_out: soak deadline reached", "error: canceled: interrupt")
// is counted as cut, never as a failure of the step, and is no flaky
// evidence; the go test tests it reported failing are ignored too, since
// the end stopped the test binary in the middle of a test. What passed
// before the end still counts as passed.

// String returns the counts in words, the categories that are zero left
// out except passed: "986 run: 985 passed, 1 cut by the deadline",
// "12 run: 10 passed, 2 failed (1 timed out)".
func (it *Iterations) String() string {
	parts := []string{fmt.Sprintf("%d passed", it.Passed)}
	if it.Failed > 0 {
		s := fmt.Sprintf("%d failed", it.Failed)
		if it.TimedOut > 0 {
			s += fmt.Sprintf(" (%d timed out)", it.TimedOut)
		}
		parts = append(parts, s)
	}
	if it.Cut > 0 {
		parts = append(parts, fmt.Sprintf("%d cut by the deadline", it.Cut))
	}
	if it.Cancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled when the soak was stopped", it.Cancelled))
	}
	if it.Interrupted > 0 {
		parts = append(parts, fmt.Sprintf("%d interrupted (the soak process died)", it.Interrupted))
	}
	return fmt.Sprintf("%d run: %s", it.Iterations, strings.Join(parts, ", "))
}

// cutWord says what ended r, for a skipped test case or a table cell.
func cutWord(r *artifact.Record) string {
	switch {
	case r.CutByDeadline():
		return "cut by the soak deadline"
	case r.Status == artifact.IterCancelled:
		return "cancelled when the soak was stopped"
	case r.Status == artifact.IterInterrupted:
		return "interrupted: the soak process died"
	}
	return "stopped by the end of the soak"
}
