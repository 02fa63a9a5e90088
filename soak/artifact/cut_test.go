package artifact

import (
	"testing"

	"github.com/soakkit/soakkit/step"
)

// TestCutByDeadline: the soak's deadline and a signal are told apart, in
// records of today's engine and in older ones, and neither makes a step
// record a failure.
func TestCutByDeadline(t *testing.T) {
	stopped := StepRecord{Name: "sh", Status: step.TimedOut, Details: "timed out: soak deadline reached"}
	marked := stopped
	marked.Cut = true
	failed := StepRecord{Name: "sh", Status: step.Failed}
	tests := []struct {
		name                string
		give                Record
		step                StepRecord
		wantCut, wantJudged bool
		wantStepCut         bool
		wantCounts          Counts
	}{
		{"cut", Record{Status: IterCut, Cut: true, Reason: "the soak deadline was reached"}, marked,
			true, false, true, Counts{Iterations: 1, Cut: 1}},
		{"older cut", Record{Status: IterCancelled, Cut: true, Reason: "the soak deadline was reached"}, stopped,
			true, false, true, Counts{Iterations: 1, Cut: 1}},
		{"signal", Record{Status: IterCancelled, Reason: "canceled: interrupt"}, marked,
			false, false, true, Counts{Iterations: 1, Cancelled: 1}},
		{"older signal", Record{Status: IterCancelled, Cut: true, Reason: "canceled: interrupt"}, stopped,
			false, false, true, Counts{Iterations: 1, Cancelled: 1}},
		{"failed then cut", Record{Status: IterFailed, Reason: "failed: [a]; then the soak deadline was reached"}, marked,
			false, true, true, Counts{Iterations: 1, Failed: 1}},
		{"failed step in a failed iteration", Record{Status: IterFailed}, failed,
			false, true, false, Counts{Iterations: 1, Failed: 1}},
		{"timed out", Record{Status: IterTimedOut}, stopped,
			false, true, false, Counts{Iterations: 1, Failed: 1, TimedOut: 1}},
		{"interrupted", Record{Status: IterInterrupted}, stopped,
			false, false, true, Counts{Iterations: 1, Interrupted: 1}},
	}
	for _, tt := range tests {
		r := tt.give
		var c Counts
		c.Add(&r)
		if got := r.CutByDeadline(); got != tt.wantCut {
			t.Errorf("%s: CutByDeadline() = %v, want %v", tt.name, got, tt.wantCut)
		}
		if got := r.Judged(); got != tt.wantJudged {
			t.Errorf("%s: Judged() = %v, want %v", tt.name, got, tt.wantJudged)
		}
		if got := r.StepCut(&tt.step); got != tt.wantStepCut {
			t.Errorf("%s: StepCut(%s %s) = %v, want %v", tt.name, tt.step.Status, tt.step.Details, got, tt.wantStepCut)
		}
		if c != tt.wantCounts {
			t.Errorf("%s: Counts.Add = %+v, want %+v", tt.name, c, tt.wantCounts)
		}
	}
}

// TestCheckOlderCheckpoint: a checkpoint written before Counts.Cut existed
// counted the deadline's cut as cancelled; its artifacts stay consistent.
func TestCheckOlderCheckpoint(t *testing.T) {
	recs := []Record{
		{Iteration: 1, Status: IterPassed},
		{Iteration: 2, Status: IterCancelled, Cut: true, Reason: "the soak deadline was reached"},
	}
	var tl Tally
	for i := range recs {
		if err := tl.Add(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	older := &State{Stop: StopDuration, Counts: Counts{Iterations: 2, Passed: 1, Cancelled: 1}}
	if err := tl.Check(older, false); err != nil {
		t.Errorf("Check against an older checkpoint: %v", err)
	}
	current := &State{Stop: StopDuration, Counts: Counts{Iterations: 2, Passed: 1, Cut: 1}}
	if err := tl.Check(current, false); err != nil {
		t.Errorf("Check against a current checkpoint: %v", err)
	}
	wrong := &State{Stop: StopDuration, Counts: Counts{Iterations: 2, Passed: 2}}
	if err := tl.Check(wrong, false); err == nil {
		t.Error("Check against a checkpoint that counts the cut as passed: no error")
	}
}
