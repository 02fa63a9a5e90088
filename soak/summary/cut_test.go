package summary

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// goTestStep is a passing go test step with two tests.
func goTestStep(i int) artifact.StepRecord {
	return artifact.StepRecord{Name: "sh", Status: step.Passed, OK: true, DurationMS: 30 + int64(i%3), Attempts: 1,
		Tests: []artifact.TestRecord{
			{Package: "example.com/app", Test: "TestA", Status: step.Passed},
			{Package: "example.com/app", Test: "TestB", Status: step.Passed},
			{Package: "example.com/app", Status: step.Passed},
		}}
}

// cutRun is a healthy soak of 10 iterations whose 5th was cancelled by a
// signal (then resumed) and whose last, the 11th, the deadline cut, both
// with their step stopped in the middle of TestB. marked says whether the
// records mark the stopped steps (as the engine does) or are older records
// that do not (and show a deadline cut as cancelled).
func cutRun(t *testing.T, marked bool) string {
	t.Helper()
	r := newRun(t)
	r.iterate(11, time.Minute, goTestStep)
	stopped := func(rec *artifact.Record, status step.Status, details string) {
		st := &rec.Steps[0]
		st.Status, st.OK, st.Details, st.ExitCode, st.Cut = status, false, details, -1, marked
		st.Tests = []artifact.TestRecord{
			{Package: "example.com/app", Test: "TestA", Status: step.Passed},
			{Package: "example.com/app", Test: "TestB", Status: step.Failed},
			{Package: "example.com/app", Status: step.Failed},
		}
		rec.Result = "FAIL"
	}
	sig := &r.recs[4]
	stopped(sig, step.Error, "canceled: interrupt")
	sig.Status, sig.Reason = artifact.IterCancelled, "canceled: interrupt"
	last := &r.recs[10]
	stopped(last, step.TimedOut, "timed out: soak deadline reached")
	last.Status, last.Reason, last.Cut, last.BudgetMS = artifact.IterCut, "the soak deadline was reached", true, 9
	if !marked {
		last.Status = artifact.IterCancelled
	}
	r.finish(artifact.StopDuration)
	r.state.Resumes = 1
	r.state.Schedule = &artifact.Plan{Ends: t0.Add(11 * time.Minute), IterationTimeout: artifact.Duration(20 * time.Minute),
		Reserve: artifact.Duration(time.Second)}
	return r.write(t)
}

// TestCutIterations: iterations the soak's deadline or a signal cut short
// count as such, never as failures of the iteration, the step or its tests:
// no flaky finding, a healthy verdict, and the cut shown in words in
// summary.md and as skipped test cases in junit.xml. Older records, which
// show a deadline cut as cancelled and do not mark the stopped step, read
// the same.
func TestCutIterations(t *testing.T) {
	for _, marked := range []bool{true, false} {
		name := "marked"
		if !marked {
			name = "older records"
		}
		t.Run(name, func(t *testing.T) {
			s := compute(t, cutRun(t, marked), nil)
			if s.Verdict.Status != Passed || s.ExitCode() != ExitHealthy {
				t.Errorf("verdict %s/%d (%v), want passed/0", s.Verdict.Status, s.ExitCode(), s.Verdict.Reasons)
			}
			if len(s.Flaky) != 0 {
				t.Errorf("Flaky = %+v, want none", s.Flaky)
			}
			it := s.Iterations
			if it.Passed != 9 || it.Failed != 0 || it.Cut != 1 || it.Cancelled != 1 || it.Iterations != 11 {
				t.Errorf("Iterations = %+v, want 11: 9 passed, 1 cut, 1 cancelled", it.Counts)
			}
			if got, want := it.String(), "11 run: 9 passed, 1 cut by the deadline, 1 cancelled when the soak was stopped"; got != want {
				t.Errorf("Iterations.String() = %q, want %q", got, want)
			}
			want := []StepStats{{Name: "sh", Runs: 11, Passed: 9, Cut: 2}}
			if diff := cmp.Diff(want, s.Steps, cmpIgnoreDurations); diff != "" {
				t.Errorf("Steps mismatch (-want +got):\n%s", diff)
			}
			if s.SuccessRatePercent != 100 || s.DurationSeconds.Min < 0.030 {
				t.Errorf("legacy figures: success %v%%, durations %+v; want 100%% over the iterations that ran to their end",
					s.SuccessRatePercent, s.DurationSeconds)
			}
			for _, f := range []string{"step.sh.failed", "step.sh.failure_rate", "failed"} {
				if s.Figures[f] != 0 {
					t.Errorf("figure %s = %v, want 0", f, s.Figures[f])
				}
			}
			if s.Figures["cut"] != 1 {
				t.Errorf("figure cut = %v, want 1", s.Figures["cut"])
			}
			if s.FirstFailure != nil {
				t.Errorf("FirstFailure = %+v, want none", s.FirstFailure)
			}

			md := s.Markdown()
			for _, w := range []string{"| Iterations | 11 run: 9 passed, 1 cut by the deadline, 1 cancelled when the soak was stopped |",
				"| Step | Runs | Passed | Failed | Cut |", "| sh | 11 | 9 | 0 | 2 |",
				"| Plan | ends at 00:11:00 UTC; iteration timeout 20m0s, cut to end 1s before the end (stop reserve);"} {
				if !strings.Contains(md, w) {
					t.Errorf("summary.md lacks %q:\n%s", w, md)
				}
			}
			if strings.Contains(md, "flaky") {
				t.Errorf("summary.md mentions flaky:\n%s", md)
			}

			var b bytes.Buffer
			if err := s.WriteJUnit(&b); err != nil {
				t.Fatal(err)
			}
			x := b.String()
			if strings.Contains(x, "<failure") || strings.Contains(x, "<error") {
				t.Errorf("junit.xml has a failure or error:\n%s", x)
			}
			for _, w := range []string{`<skipped message="2 iterations were stopped by the end of the soak, not judged">`,
				"iteration 5: cancelled when the soak was stopped: canceled: interrupt&#xA;iteration 11: cut by the soak deadline",
				"<system-out>11 runs: 9 passed, 0 failed, 2 stopped by the end of the soak (first: cancelled when the soak was stopped: canceled: interrupt)</system-out>",
				"<system-out>step sh: 11 runs: 9 passed, 0 failed, 0 skipped, 2 stopped by the end of the soak</system-out>"} {
				if !strings.Contains(x, w) {
					t.Errorf("junit.xml lacks %s", w)
				}
			}
		})
	}
}

// TestCutStepInFailedIteration: in an iteration that failed on its own and
// was then cut by the deadline, the step the cut stopped is not a failure
// of that step; the step that failed is.
func TestCutStepInFailedIteration(t *testing.T) {
	r := newRun(t)
	r.iterate(5, time.Minute, passing("build", constMS(10)), passing("e2e", constMS(20)))
	last := &r.recs[4]
	last.Status, last.Result, last.Reason = artifact.IterFailed, "FAIL", "failed: [build]; then the soak deadline was reached"
	last.Steps[0].Status, last.Steps[0].OK, last.Steps[0].Details = step.Failed, false, "exit status 1"
	last.Steps[1].Status, last.Steps[1].OK, last.Steps[1].Details, last.Steps[1].Cut = step.TimedOut, false, "timed out: soak deadline reached", true
	r.finish(artifact.StopDuration)
	s := compute(t, r.write(t), nil)
	want := []StepStats{{Name: "build", Runs: 5, Passed: 4, Failed: 1, Flaky: true}, {Name: "e2e", Runs: 5, Passed: 4, Cut: 1}}
	if diff := cmp.Diff(want, s.Steps, cmpIgnoreDurations); diff != "" {
		t.Errorf("Steps mismatch (-want +got):\n%s", diff)
	}
	if s.Verdict.Status != Failed || s.Iterations.Failed != 1 {
		t.Errorf("verdict %s, %d failed; want failed, 1", s.Verdict.Status, s.Iterations.Failed)
	}
}

var cmpIgnoreDurations = cmpopts.IgnoreFields(StepStats{}, "P50MS", "P95MS", "MaxMS")
