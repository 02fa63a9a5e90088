package step_test

import (
	"io"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/soakkit/soakkit/step"
)

func TestGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir, _ := filepath.Abs("testdata/gomod")
	tests := []struct {
		name       string
		env        []string
		wantStatus step.Status
		wantFail   step.Status
	}{
		{"failing", nil, step.Failed, step.Failed},
		{"passing", []string{"GOMOD_PASS=1"}, step.Passed, step.Passed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := step.GoTest{Name: "unit", Dir: dir, Flags: []string{"-count=1"}, Env: append(tt.env, "GOFLAGS=-mod=mod"), Timeout: 5 * time.Minute}
			// Test names pass the redactor too: they reach records,
			// junit.xml and the details.
			r := g.Run(t.Context(), step.Runtime{LogDir: t.TempDir(), Redact: func(w io.Writer) io.WriteCloser { return replacer{w} }})
			if r.Status != tt.wantStatus {
				t.Fatalf("Run: status %q, want %q: %s\n%s", r.Status, tt.wantStatus, r.Details, r.Tail)
			}
			got := make(map[string]step.Status)
			for _, tr := range r.Tests {
				got[tr.Test] = tr.Status
			}
			want := map[string]step.Status{
				"TestPass": step.Passed, "TestFail": tt.wantFail, "TestSkip": step.Skipped,
				"TestSub": step.Passed, "TestSub/a": step.Passed, "TestSub/b": step.Passed,
				"TestSub/[REDACTED]": step.Passed,
				"":                   tt.wantStatus, // the package
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Tests (-want +got):\n%s", diff)
			}
			wantDetails := map[step.Status]string{
				step.Failed: "5 passed, 1 failed (TestFail), 1 skipped",
				step.Passed: "6 passed, 1 skipped",
			}[tt.wantStatus]
			if r.Details != wantDetails {
				t.Errorf("Details = %q, want %q", r.Details, wantDetails)
			}
		})
	}
}
