package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

// TestSoakDurationFastStep soaks a fast command (soakkit --version) for a
// few seconds with no pause: the soak's own deadline is no evidence against
// the step, so the run is healthy, nothing is flaky, and the last
// iteration either was not started or is reported as cut by the deadline.
// Only outcomes are asserted: how many iterations a loaded machine runs is
// not.
func TestSoakDurationFastStep(t *testing.T) {
	dir := t.TempDir()
	art := filepath.Join(dir, "art")
	r := soakkit(t, dir, nil, "soak", "--duration", "3s", "--heartbeat", "0s", "--sample-interval", "100ms",
		"--artifacts", art, "--", binary, "--version")
	if r.code != exitOK {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, exitOK, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "flaky") || strings.Contains(r.stdout, "failed") {
		t.Errorf("stdout reports a failure or a flaky step:\n%s", r.stdout)
	}
	var sum summary.Summary
	l := artifact.Layout{Root: art}
	if err := canonjson.Read(l.Summary(), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Flaky) != 0 || sum.Iterations.Failed != 0 || sum.Verdict.Status != summary.Passed {
		t.Errorf("summary: verdict %q, %d failed, flaky %+v; want passed, none failed, none flaky",
			sum.Verdict.Status, sum.Iterations.Failed, sum.Flaky)
	}
	var recs []artifact.Record
	for rec, err := range artifact.Records(l.Iterations()) {
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		t.Fatal("no iteration recorded")
	}
	for i, rec := range recs {
		switch {
		case rec.Status == artifact.IterPassed:
		case i == len(recs)-1 && rec.CutByDeadline():
			if !strings.Contains(r.stdout, "1 cut by the deadline") {
				t.Errorf("the last iteration was cut, and stdout does not say so:\n%s", r.stdout)
			}
		default:
			t.Errorf("iteration %d: status %q (%s), want passed (or cut, for the last)", rec.Iteration, rec.Status, rec.Reason)
		}
	}
}
