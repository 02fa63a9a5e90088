package soak_test

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// TestWriteFailureVerdict follows a disk that fills up during a soak of
// passing iterations through to the verdict: the summary computed from the
// artifacts fails the run, never passes it.
func TestWriteFailureVerdict(t *testing.T) {
	root := t.TempDir()
	var writes int
	full := func(path string) error {
		if strings.HasSuffix(path, "iterations.jsonl") {
			writes++
			if writes >= 3 {
				return syscall.ENOSPC
			}
		}
		return nil
	}
	it := &soak.Iteration{Sections: soak.Sections(step.Func("work", func(context.Context) error { return nil }))}
	s, err := soak.New(soak.Config{Count: 5, ArtifactsDir: root, SampleInterval: artifact.Duration(time.Hour)}, it,
		soak.WithHeartbeat(0), soak.WithoutEnv(), soak.WithWriteFault(full))
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Run(t.Context())
	if !errors.Is(err, soak.ErrWriteFailed) || out == nil || out.OK() {
		t.Fatalf("Run: %v, outcome %+v; want a write failure", err, out)
	}
	sum, err := summary.Compute(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Verdict.Status == summary.Passed || sum.ExitCode() == 0 {
		t.Errorf("verdict %q (exit %d): %s; want a failure", sum.Verdict.Status, sum.ExitCode(), sum.Verdict.Reason)
	}
	if !strings.Contains(strings.Join(sum.Verdict.Reasons, "\n")+sum.Verdict.Reason, string(artifact.StopWriteFailed)) {
		t.Errorf("verdict reasons %q do not name %s", sum.Verdict.Reasons, artifact.StopWriteFailed)
	}
}
