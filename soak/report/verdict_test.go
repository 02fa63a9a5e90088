package report

import (
	"strings"
	"testing"

	"github.com/soakkit/soakkit/soak/summary"
)

// fromRecords is the fallback when the summary cannot be computed.
func TestFromRecords(t *testing.T) {
	crashedLeak := leakySoak()
	crashedLeak.failEvery, crashedLeak.timeoutAt, crashedLeak.running = 0, 0, true
	tests := []struct {
		name       string
		give       func(t *testing.T) string
		wantWord   string
		wantReason []string
		complete   bool
	}{
		{name: "failed-and-leaking", give: func(t *testing.T) string { return synthDir(t, leakySoak()) }, wantWord: wordFailed,
			wantReason: []string{"6 of 48 iterations failed (1 timed out)", "the first was iteration 9", "RSS of service grew +12"}, complete: true},
		{name: "leaking", give: func(t *testing.T) string { return synthDir(t, crashedLeak) }, wantWord: wordLeak,
			wantReason: []string{"RSS of service grew +12"}},
		{name: "healthy", give: func(t *testing.T) string { return synthDir(t, healthySoak()) }, wantWord: wordPassed,
			wantReason: []string{"30 passed, 30 recorded"}, complete: true},
		{name: "empty", give: func(t *testing.T) string { return t.TempDir() }, wantWord: wordNoData,
			wantReason: []string{"has been recorded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := load(tt.give(t))
			if err != nil {
				t.Fatal(err)
			}
			j := fromRecords(r)
			if j.word != tt.wantWord {
				t.Errorf("fromRecords word = %q, want %q (reason %q)", j.word, tt.wantWord, j.reason)
			}
			for _, w := range tt.wantReason {
				if !strings.Contains(j.reason, w) {
					t.Errorf("fromRecords reason = %q, want it to contain %q", j.reason, w)
				}
			}
			if j.complete != tt.complete {
				t.Errorf("fromRecords complete = %v, want %v", j.complete, tt.complete)
			}
			if j.withSummary || j.flaky != nil || j.gates != nil {
				t.Errorf("fromRecords claims summary figures: withSummary %v, flaky %v, gates %v", j.withSummary, j.flaky, j.gates)
			}
		})
	}
}

// A Summary given in Options is the one shown, not a recomputed one.
func TestOptionsSummary(t *testing.T) {
	dir := synthDir(t, leakySoak())
	s, err := summary.Compute(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	same := normalize(render(t, dir, &Options{Summary: s}), dir)
	if want := normalize(render(t, dir, nil), dir); same != want {
		t.Errorf("Render with the computed summary differs from Render computing it")
	}
	s.Verdict.Status, s.Verdict.Reason, s.Verdict.Reasons = summary.Leak, "a verdict planted by the test", nil
	page := render(t, dir, &Options{Summary: s})
	for _, want := range []string{`<p class="word">LEAK</p>`, "a verdict planted by the test"} {
		if !strings.Contains(page, want) {
			t.Errorf("page rendered with a given summary lacks %q", want)
		}
	}
}
