package report

import (
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// TestCutIterations: iterations the soak's deadline or a signal cut short
// are shown as such, never as failures: the page says how many were cut,
// lists no failure, and the step chart marks no failed or timed-out run.
func TestCutIterations(t *testing.T) {
	root := t.TempDir()
	l := artifact.Layout{Root: root}
	var c artifact.Counts
	a, err := jsonl.Open(l.Iterations(), false)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		start := synthStart.Add(time.Duration(i) * time.Minute)
		rec := artifact.Record{Iteration: i, Start: start, End: start.Add(30 * time.Millisecond), DurationMS: 30,
			BudgetMS: 60000, Result: "OK", Status: artifact.IterPassed,
			Steps: []artifact.StepRecord{{Name: "sh", Status: step.Passed, OK: true, DurationMS: 30, Attempts: 1}}}
		stop := func(status artifact.IterStatus, reason string, st step.Status, details string) {
			rec.Status, rec.Result, rec.Reason = status, "FAIL", reason
			rec.Steps[0] = artifact.StepRecord{Name: "sh", Status: st, Details: details, ExitCode: -1, DurationMS: 9, Cut: true}
		}
		switch i {
		case 3:
			stop(artifact.IterCancelled, "canceled: interrupt", step.Error, "canceled: interrupt")
		case 6:
			stop(artifact.IterCut, "the soak deadline was reached", step.TimedOut, "timed out: soak deadline reached")
			rec.Cut, rec.BudgetMS = true, 9
		}
		c.Add(&rec)
		if err := a.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	st := artifact.State{Version: artifact.StateVersion, RunID: "c0ffee", Started: synthStart, Updated: synthStart.Add(time.Hour),
		Counts: c, Resumes: 1, Stop: artifact.StopDuration}
	if err := canonjson.WriteFile(l.State(), &st); err != nil {
		t.Fatal(err)
	}

	page := render(t, root, nil)
	for _, want := range []string{
		"6 run: 4 passed, 1 cut by the deadline, 1 cancelled when the soak was stopped",
		"4 runs of step sh drawn as 4 points; 0 failed, 0 timed out",
		`class="s-cut"`,
		"No step or test both passed and failed.",
		"No iteration failed.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{`id="iter-3"`, `id="iter-6"`, "FAILED"} {
		if strings.Contains(page, bad) {
			t.Errorf("page shows %q", bad)
		}
	}
}
