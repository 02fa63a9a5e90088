package lint_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/lint"
)

// gopathOptions runs the Go loader in GOPATH mode on testdata/src, where
// offline client_golang stubs live.
func gopathOptions(t *testing.T) lint.Options {
	t.Helper()
	gopath, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return lint.Options{
		Dir: filepath.Join(gopath, "src"),
		Env: []string{"GOPATH=" + gopath, "GO111MODULE=off", "GOPROXY=off", "GOFLAGS="},
	}
}

func TestRunGo(t *testing.T) {
	opts := gopathOptions(t)
	rep, err := lint.Run(context.Background(), opts, "./runner/...")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := lint.Write(&buf, rep, lint.FormatText); err != nil {
		t.Fatal(err)
	}
	want := `runner/dirty/dirty.go:5:109: label "user_id" is denied: its values are unbounded and explode the series count (metric "jobs_total") [metriclabels/denied]
runner/dirty/dirty.go:7:1: lint-ok: metriclabels/not-allowed suppresses nothing [lint/unused-suppression]
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("Run text output mismatch (-want +got):\n%s", diff)
	}
	if got := rep.ExitCode(""); got != lint.ExitFindings {
		t.Errorf("ExitCode = %d, want %d", got, lint.ExitFindings)
	}
}
