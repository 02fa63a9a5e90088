package summary

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

func failing(name string) stepFn {
	return func(i int) artifact.StepRecord {
		return artifact.StepRecord{Name: name, Status: step.Failed, DurationMS: 10, Attempts: 1, Details: "boom"}
	}
}

func alternating(name string) stepFn {
	return func(i int) artifact.StepRecord {
		if i%2 == 0 {
			return failing(name)(i)
		}
		return passing(name, constMS(10))(i)
	}
}

// TestMergerClassify: steps that pass on one runner and fail on another,
// fail everywhere, or are intermittent somewhere are classified so, and
// the merged verdict fails on the runners that failed.
func TestMergerClassify(t *testing.T) {
	type runner struct {
		name  string
		steps []stepFn
	}
	runners := []runner{
		{"linux", []stepFn{passing("build", constMS(10)), passing("unit", constMS(10)), failing("e2e")}},
		{"windows", []stepFn{passing("build", constMS(10)), failing("unit"), failing("e2e")}},
		{"mac", []stepFn{passing("build", constMS(10)), alternating("unit"), failing("e2e")}},
		{"linux", []stepFn{passing("build", constMS(10)), passing("unit", constMS(10))}}, // same name, no e2e
	}
	var m Merger
	for i, r := range runners {
		run := newRun(t)
		run.iterate(4, time.Minute, r.steps...)
		run.finish(artifact.StopCount)
		run.state.Runner = &artifact.Runner{Name: r.name, OS: "linux", Arch: "amd64"}
		root := run.write(t)
		s, err := Compute(root, nil)
		if err != nil {
			t.Fatalf("runner %d: %v", i, err)
		}
		m.Add(root, s)
	}
	s := m.Summary()
	var names []string
	for _, r := range s.Runners {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"linux", "linux#2", "mac", "windows"}, names); diff != "" {
		t.Errorf("runner names (-want +got):\n%s", diff)
	}
	want := []CrossRunner{
		{Kind: "step", Step: "e2e", Class: ClassFailingEverywhere, FailingOn: []string{"linux", "mac", "windows"},
			FlakyOn: []string{}, PassingOn: []string{}, Failed: 12},
		{Kind: "step", Step: "unit", Class: ClassFlaky, FailingOn: []string{"windows"}, FlakyOn: []string{"mac"},
			PassingOn: []string{"linux", "linux#2"}, Passed: 10, Failed: 6},
	}
	if diff := cmp.Diff(want, s.CrossRunner); diff != "" {
		t.Errorf("CrossRunner (-want +got):\n%s", diff)
	}
	if s.Verdict.Status != Failed || s.Verdict.ExitCode != ExitFailures ||
		!strings.HasPrefix(s.Verdict.Reason, "3 of 4 runners failed; step e2e fails on every runner that ran it") {
		t.Errorf("verdict %s (%d): %s", s.Verdict.Status, s.Verdict.ExitCode, s.Verdict.Reason)
	}
	if s.Iterations.Iterations != 16 || len(s.Flaky) != 1 || s.Flaky[0].Step != "unit" {
		t.Errorf("iterations %d, flaky %+v", s.Iterations.Iterations, s.Flaky)
	}
	var buf bytes.Buffer
	if err := s.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "<testsuite "); n != 4 {
		t.Errorf("junit: %d test suites, want one per runner (4):\n%s", n, buf.String())
	}

	// One runner whose class is runner-specific: it fails only there.
	var m2 Merger
	for _, r := range []runner{{"a", []stepFn{passing("x", constMS(5))}}, {"b", []stepFn{failing("x")}}} {
		run := newRun(t)
		run.iterate(3, time.Minute, r.steps...)
		run.finish(artifact.StopCount)
		run.state.Runner = &artifact.Runner{Name: r.name}
		s, err := Compute(run.write(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		m2.Add(run.root, s)
	}
	got := m2.Summary().CrossRunner
	if len(got) != 1 || got[0].Class != ClassRunnerSpecific || got[0].Sentence() != "step x fails only on b; passes on a" {
		t.Errorf("CrossRunner %+v", got)
	}
}

// TestMergerVerdict: the merged verdict from the runners' verdicts.
func TestMergerVerdict(t *testing.T) {
	sum := func(name string, st Status, complete bool) *Summary {
		code := map[Status]int{Passed: ExitHealthy, Failed: ExitFailures, Leak: ExitLeak, Slowdown: ExitLeak,
			Incomplete: ExitFailures, Stopped: ExitSignal}[st]
		return &Summary{Verdict: Verdict{Status: st, ExitCode: code, Reason: name + " " + string(st)},
			Run: RunInfo{Runner: &artifact.Runner{Name: name}, Complete: complete}}
	}
	tests := []struct {
		name     string
		give     []*Summary
		want     Status
		wantCode int
	}{
		{"all-pass", []*Summary{sum("a", Passed, true), sum("b", Passed, true)}, Passed, ExitHealthy},
		{"leak", []*Summary{sum("a", Passed, true), sum("b", Leak, true)}, Leak, ExitLeak},
		{"slowdown", []*Summary{sum("a", Slowdown, true), sum("b", Passed, true)}, Slowdown, ExitLeak},
		{"leak-and-failure", []*Summary{sum("a", Failed, true), sum("b", Leak, true)}, Failed, ExitFailures},
		{"incomplete", []*Summary{sum("a", Passed, true), sum("b", Incomplete, false)}, Failed, ExitFailures},
		{"stopped", []*Summary{sum("a", Stopped, true)}, Failed, ExitFailures},
		{"none", nil, Failed, ExitFailures},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Merger
			for _, s := range tt.give {
				m.Add("dir/"+s.Run.Runner.Name, s)
			}
			got := m.Summary()
			if got.Verdict.Status != tt.want || got.ExitCode() != tt.wantCode {
				t.Errorf("verdict %s (exit %d), want %s (%d): %s", got.Verdict.Status, got.ExitCode(), tt.want, tt.wantCode, got.Verdict.Reason)
			}
		})
	}
}
