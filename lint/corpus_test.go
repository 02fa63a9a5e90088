package lint_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/soakkit/soakkit/lint"
)

// TestCleanCorpus lints a corpus of idiomatic Go, Python and exposition
// code with every analyzer and expects no findings at all (info included):
// the false-positive guard.
func TestCleanCorpus(t *testing.T) {
	skipWithoutGoUnderWine(t)
	opts := gopathOptions(t)
	rep, err := lint.Run(context.Background(), opts, "./corpus/...", "corpus/metrics.prom")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 3 {
		t.Errorf("Files = %d, want 3", rep.Files)
	}
	for _, e := range rep.Errors {
		t.Errorf("target error: %v", e)
	}
	for _, f := range rep.Findings {
		t.Errorf("finding in the clean corpus: %v", f)
	}
}

// TestSelfClean lints soakkit's own lint packages, tests included, in
// module mode against the real client_golang: they must be clean too.
func TestSelfClean(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the module with go list")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	root, _ := filepath.Abs("..")
	rep, err := lint.Run(context.Background(), lint.Options{Dir: root, Tests: true, Env: []string{"GOPROXY=off"},
		Analyzers: []string{"metriclabels", "metricnames", "atomicwrite", "asciilogs"}}, "./lint/...", "./cmd/soakkit-vet/...")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Errors {
		t.Errorf("target error: %v", e)
	}
	for _, f := range rep.Findings {
		t.Errorf("finding in soakkit's own lint code: %v", f)
	}
	if rep.Files < 20 {
		t.Errorf("Files = %d, expected the lint packages (20+ files)", rep.Files)
	}
}
