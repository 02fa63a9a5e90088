package soak

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// markerWriter checks, when the marker is printed, that the report is
// already on disk and agrees with it.
type markerWriter struct {
	t      *testing.T
	path   string
	lines  []string
	onDisk []string
}

func (w *markerWriter) Write(p []byte) (int, error) {
	w.lines = append(w.lines, strings.TrimSuffix(string(p), "\n"))
	var rep Report
	if err := readJSON(w.path, &rep); err != nil {
		w.t.Errorf("marker %q printed before the report was written: %v", p, err)
	}
	w.onDisk = append(w.onDisk, rep.Result)
	return len(p), nil
}

func TestValidate(t *testing.T) {
	pass := step.Func("lint", func(context.Context) error { return nil })
	fail := step.Func("tests", func(context.Context) error { return errTest })
	tests := []struct {
		name         string
		give         []Section
		wantResult   string
		wantStatuses []step.Status
	}{
		{
			name: "all pass, one skipped by condition",
			give: []Section{
				{Step: pass},
				{Step: fail, SkipIf: func(context.Context) string { return "no credentials for the e2e suite" }},
				{Step: step.Skip("dashboards", "FAST mode")},
			},
			wantResult:   "OK",
			wantStatuses: []step.Status{step.Passed, step.Skipped, step.Skipped},
		},
		{
			name:         "a failure later does not hide an earlier pass",
			give:         []Section{{Step: pass}, {Step: fail}, {Step: sleepStep("after", 0)}},
			wantResult:   "FAIL",
			wantStatuses: []step.Status{step.Passed, step.Failed, step.Passed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			w := &markerWriter{t: t, path: artifact.Layout{Root: root}.Report()}
			rep, err := Validate(t.Context(), &Iteration{Sections: tt.give}, root, w, WithVersion("v1.2.3"))
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if diff := cmp.Diff([]string{"RESULT=" + tt.wantResult}, w.lines); diff != "" {
				t.Errorf("marker lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{tt.wantResult}, w.onDisk); diff != "" {
				t.Errorf("report on disk when the marker was printed (-want +got):\n%s", diff)
			}
			if (rep.ExitCode() == 0) != (tt.wantResult == "OK") {
				t.Errorf("ExitCode() = %d disagrees with %s", rep.ExitCode(), tt.wantResult)
			}
			b, err := os.ReadFile(artifact.Layout{Root: root}.Report())
			if err != nil {
				t.Fatal(err)
			}
			var generic any
			if err := json.Unmarshal(b, &generic); err != nil {
				t.Fatal(err)
			}
			canon, _ := canonjson.Marshal(generic)
			if !bytes.Equal(b, canon) {
				t.Errorf("report.json is not canonical JSON:\n%s", b)
			}
			var top map[string]json.RawMessage
			json.Unmarshal(b, &top)
			if diff := cmp.Diff([]string{"result", "runtime", "sections"}, keys(top)); diff != "" {
				t.Errorf("report keys (-want +got):\n%s", diff)
			}
			var got Report
			json.Unmarshal(b, &got)
			var statuses []step.Status
			for _, s := range got.Sections {
				statuses = append(statuses, s.Status)
				if s.Status == step.Skipped && s.Details == "" {
					t.Errorf("section %q skipped without a reason", s.Name)
				}
			}
			if diff := cmp.Diff(tt.wantStatuses, statuses); diff != "" {
				t.Errorf("section statuses in declared order (-want +got):\n%s", diff)
			}
			if got.Runtime.Version != "v1.2.3" || got.Runtime.UTC.Location().String() != "UTC" {
				t.Errorf("runtime = %+v", got.Runtime)
			}
			if tt.wantResult == "OK" && !strings.Contains(got.Sections[1].Details, "no credentials") {
				t.Errorf("skip reason missing: %q", got.Sections[1].Details)
			}
		})
	}
}

func keys(m map[string]json.RawMessage) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sortStrings(k)
	return k
}

func TestValidateRejectsBadPlan(t *testing.T) {
	var out strings.Builder
	dup := step.Func("x", func(context.Context) error { return nil })
	_, err := Validate(t.Context(), &Iteration{Sections: Sections(dup, dup)}, t.TempDir(), &out)
	if err == nil || out.String() != "RESULT=FAIL\n" {
		t.Errorf("Validate(duplicate names) = %v, printed %q; want an error and one FAIL marker", err, out.String())
	}
}

// TestRunStep: one section alone, its output streamed as produced, with the
// runner's debug records.
func TestRunStep(t *testing.T) {
	talk := step.Command{Name: "talk", Argv: helperArgv(t, "talk"), Env: helperEnv("talk")}
	other := step.Func("other", func(context.Context) error { t.Error("another section ran"); return nil })
	it := &Iteration{Sections: []Section{{Step: other}, {Step: talk.Step(), SkipIf: func(context.Context) string { return "ignored" }}}}
	var out bytes.Buffer
	r, err := it.RunStep(t.Context(), "talk", t.TempDir(), &out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != step.Passed {
		t.Errorf("status %q: %s", r.Status, r.Details)
	}
	for _, want := range []string{"line 0 of output", "line 2 of output", "a line on stderr", "level=DEBUG", "run step alone"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("RunStep output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := it.RunStep(t.Context(), "nope", t.TempDir(), &out); err == nil {
		t.Error("RunStep of an unknown section succeeded")
	}
}

// TestCutIterationKeepsEarlierFailure: an iteration cut short by the soak
// deadline is cut, and one cut short by a cancellation cancelled, not
// failed, unless a section had already failed on its own (failed, or timed
// out by its own timeout); that failure must not be hidden. The section
// running at the cut is the one whose steps a record marks as cut.
func TestCutIterationKeepsEarlierFailure(t *testing.T) {
	fail := step.Func("tests", func(context.Context) error { return errTest })
	pass := step.Func("lint", func(context.Context) error { return nil })
	tests := []struct {
		name       string
		give       []step.Step // followed by a section that waits for the end
		cause      error       // nil: canceled
		wantStatus artifact.IterStatus
	}{
		{"deadline after a failure", []step.Step{fail}, errSoakDeadline, artifact.IterFailed},
		{"cancel after a failure", []step.Step{fail}, nil, artifact.IterFailed},
		{"cancel after a nested failure", []step.Step{step.Parallel("group", 0, pass, fail)}, nil, artifact.IterFailed},
		{"deadline after a pass", []step.Step{pass}, errSoakDeadline, artifact.IterCut},
		{"cancel after a pass", []step.Step{pass}, nil, artifact.IterCancelled},
		{"deadline after a step's own timeout", []step.Step{step.Timeout(sleepStep("slow", time.Hour), 10*time.Millisecond)}, errSoakDeadline, artifact.IterFailed},
		{"cancel after a step's own timeout", []step.Step{step.Timeout(sleepStep("slow", time.Hour), 10*time.Millisecond)}, nil, artifact.IterFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The last section ends the context itself, so that the earlier
			// ones surely ran, however loaded the machine.
			ctx, cancel := context.WithCancelCause(t.Context())
			defer cancel(nil)
			wait := step.Func("wait", func(ctx context.Context) error {
				if tt.cause != nil {
					cancel(tt.cause)
				} else {
					cancel(errors.New("interrupt"))
				}
				<-ctx.Done()
				return ctx.Err()
			})
			it := &Iteration{Sections: Sections(append(tt.give, wait)...)}
			rep := it.run(ctx, step.Runtime{LogDir: t.TempDir()}, 0)
			if rep.Runtime.Status != tt.wantStatus {
				t.Errorf("status %q (%s), want %q", rep.Runtime.Status, rep.Runtime.Reason, tt.wantStatus)
			}
			if want := len(tt.give); rep.cutAt != want {
				t.Errorf("cutAt = %d, want %d (the waiting section)", rep.cutAt, want)
			}
			if tt.wantStatus == artifact.IterFailed && !strings.Contains(rep.Runtime.Reason, tt.give[0].Name()) {
				t.Errorf("reason %q does not name the failed section %q", rep.Runtime.Reason, tt.give[0].Name())
			}
		})
	}
}

// TestNilIteration: a nil plan is bad input, reported as an error, never a
// panic.
func TestNilIteration(t *testing.T) {
	var out strings.Builder
	if _, err := Validate(t.Context(), nil, t.TempDir(), &out); err == nil || out.String() != "RESULT=FAIL\n" {
		t.Errorf("Validate(nil) = %v, printed %q; want an error and RESULT=FAIL", err, out.String())
	}
	var it *Iteration
	if _, err := it.RunStep(t.Context(), "x", t.TempDir(), &out); err == nil {
		t.Error("RunStep on a nil Iteration: no error")
	}
}

// TestValidateKeepsLastLogsOnly: each Validate replaces the previous run's
// step logs, as it replaces report.json, so repeated runs do not pile up.
func TestValidateKeepsLastLogsOnly(t *testing.T) {
	root := t.TempDir()
	talk := step.Command{Name: "talk", Argv: helperArgv(t, "talk"), Env: helperEnv("talk")}
	it := &Iteration{Sections: Sections(talk.Step())}
	var out strings.Builder
	for range 3 {
		if _, err := Validate(t.Context(), it, root, &out); err != nil {
			t.Fatal(err)
		}
	}
	ents, err := os.ReadDir(artifact.Layout{Root: root}.ValidateLogs())
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("logs/validate after 3 runs holds %v, want the last run's two logs", names)
	}
	var rep Report
	if err := readJSON(artifact.Layout{Root: root}.Report(), &rep); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{rep.Sections[0].StdoutLog, rep.Sections[0].StderrLog} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("report.json names a log that is gone: %v", err)
		}
	}
}

// TestEntryPointsRejectOptionsTheyIgnore: Validate and RunStep refuse an
// option they would not honour, naming it, rather than ignore it; the
// options they do honour are accepted.
func TestEntryPointsRejectOptionsTheyIgnore(t *testing.T) {
	it := &Iteration{Sections: Sections(step.Func("ok", func(context.Context) error { return nil }))}
	var out strings.Builder
	_, err := Validate(t.Context(), it, t.TempDir(), &out, WithHeartbeat(time.Second), WithVersion("v1"))
	if err == nil || !strings.Contains(err.Error(), "WithHeartbeat") || strings.Contains(err.Error(), "WithVersion") || out.String() != "RESULT=FAIL\n" {
		t.Errorf("Validate with WithHeartbeat: %v, marker %q; want an error naming it alone and RESULT=FAIL", err, out.String())
	}
	if _, err := Validate(t.Context(), it, t.TempDir(), io.Discard, WithVersion("v1"), WithRedactor(nil), WithLogger(nil)); err != nil {
		t.Errorf("Validate with the options it honours: %v", err)
	}
	if _, err := it.RunStep(t.Context(), "ok", t.TempDir(), io.Discard, WithSampler("x", nil)); err == nil || !strings.Contains(err.Error(), "WithSampler") {
		t.Errorf("RunStep with WithSampler: %v, want an error naming it", err)
	}
	if _, err := it.RunStep(t.Context(), "ok", t.TempDir(), io.Discard, WithRedactor(nil)); err != nil {
		t.Errorf("RunStep with WithRedactor: %v", err)
	}
}
