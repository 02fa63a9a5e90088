package summary

import (
	"bytes"
	"fmt"
	"slices"
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
		t.Fatalf("iterations %d, flaky %+v", s.Iterations.Iterations, s.Flaky)
	}
	// Where the flaky step failed: on each runner that failed it, in
	// runner order, that runner's iterations.
	wantOn := []RunnerIterations{{Runner: "mac", Iterations: []int{2, 4}}, {Runner: "windows", Iterations: []int{1, 2, 3, 4}}}
	if diff := cmp.Diff(wantOn, s.Flaky[0].FailedOn); diff != "" {
		t.Errorf("Flaky[0].FailedOn (-want +got):\n%s", diff)
	}
	for _, r := range s.Runners {
		if r.Stop != artifact.StopCount {
			t.Errorf("runner %s: Stop %q, want %q", r.Name, r.Stop, artifact.StopCount)
		}
	}
	// Every runner starts at the same time; the first in name order that
	// failed is "linux", in iteration 1.
	if ff := s.FirstFailure; ff == nil || ff.Runner != "linux" || ff.Iteration != 1 || ff.Step != "e2e" || ff.Details != "boom" {
		t.Errorf("FirstFailure = %+v, want linux's iteration 1, step e2e", ff)
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

// TestMergerPercentiles: a step's p50 and p95 are those of its durations
// on all runners together, not of either runner's; the first failure is
// the earliest of any runner, its logs under the runner's source.
func TestMergerPercentiles(t *testing.T) {
	var m Merger
	for r, name := range []string{"fast", "slow"} {
		run := newRun(t)
		off := int64(100 * r)
		run.iterate(100, time.Minute, passing("build", func(i int) int64 { return off + int64(i) }),
			func(i int) artifact.StepRecord {
				if r == 1 && i == 7 {
					return artifact.StepRecord{Name: "tests", Status: step.Failed, DurationMS: 3, Attempts: 1, Details: "--- FAIL: TestX",
						Tail: "--- FAIL: TestX\nFAIL\n", Logs: []string{"soak/logs/000007/tests.stdout.log"}}
				}
				return passing("tests", constMS(50))(i)
			})
		run.finish(artifact.StopCount)
		run.state.Runner = &artifact.Runner{Name: name}
		s, err := Compute(run.write(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		m.Add("downloaded/"+name, s)
	}
	s := m.Summary()
	ptr := func(v int64) *int64 { return &v }
	want := []StepStats{
		{Name: "build", Runs: 200, Passed: 200, P50MS: ptr(100), P95MS: ptr(190), MaxMS: ptr(200)},
		{Name: "tests", Runs: 200, Passed: 199, Failed: 1, P50MS: ptr(50), P95MS: ptr(50), MaxMS: ptr(50), Flaky: true},
	}
	if diff := cmp.Diff(want, s.Steps); diff != "" {
		t.Errorf("merged Steps (-want +got):\n%s", diff)
	}
	if s.Figures["step.build.p50_ms"] != 100 || s.Figures["step.build.p95_ms"] != 190 {
		t.Errorf("figures step.build.p50_ms %v, p95_ms %v; want 100, 190", s.Figures["step.build.p50_ms"], s.Figures["step.build.p95_ms"])
	}
	wantFF := &Failure{Iteration: 7, Start: t0.Add(6 * time.Minute), Status: artifact.IterFailed, Reason: "step tests failed",
		Step: "tests", Details: "--- FAIL: TestX", Tail: "--- FAIL: TestX\nFAIL\n",
		Logs: []string{"downloaded/slow/soak/logs/000007/tests.stdout.log"}, Runner: "slow"}
	if diff := cmp.Diff(wantFF, s.FirstFailure); diff != "" {
		t.Errorf("merged FirstFailure (-want +got):\n%s", diff)
	}
	md := s.Markdown()
	if !strings.Contains(md, "### First failure") || !strings.Contains(md, "runner slow") {
		t.Errorf("summary.md does not show the first failure and its runner:\n%s", md)
	}
}

// TestDurationsAbsorb: durations absorbed from several runners, exact or
// sketched, in any order, give what one set fed every value gives.
func TestDurationsAbsorb(t *testing.T) {
	fill := func(from, n int, sketch bool) *durations {
		d := &durations{}
		for i := range n {
			d.add(int64(from + i))
		}
		if sketch {
			d.toSketch()
		}
		return d
	}
	tests := []struct {
		name  string
		parts []*durations
	}{
		{"exact", []*durations{fill(1, 100, false), fill(101, 100, false), {}}},
		{"overflow", []*durations{fill(1, exactDurations, false), fill(exactDurations+1, 500, false)}},
		{"sketch and exact", []*durations{fill(1, 1000, true), fill(1001, 1000, false)}},
		{"sketches", []*durations{fill(1, 3000, true), fill(3001, 3000, true), fill(6001, 10, false)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var all durations
			sketched := false
			for _, p := range tt.parts {
				sketched = sketched || p.sketch != nil
			}
			for _, p := range tt.parts {
				for _, v := range p.exact {
					all.add(v)
				}
				if p.sketch != nil {
					all.merge(p.sketch)
					all.max = max(all.max, p.max)
				}
			}
			if sketched {
				all.toSketch()
			}
			w50, w95, wmax, _ := all.percentiles()
			for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}} {
				var d durations
				for _, i := range order {
					if i < len(tt.parts) {
						d.absorb(tt.parts[i])
					}
				}
				p50, p95, mx, ok := d.percentiles()
				if !ok || p50 != w50 || p95 != w95 || mx != wmax || d.n != all.n {
					t.Errorf("order %v: p50 %d p95 %d max %d n %d, want %d %d %d %d", order, p50, p95, mx, d.n, w50, w95, wmax, all.n)
				}
			}
		})
	}
}

// TestMergerFailedOnBounded: a merged summary lists at most 20 failed
// iterations a runner for a flaky test, and counts the rest, including
// those its runner's own summary only counted.
func TestMergerFailedOnBounded(t *testing.T) {
	var m Merger
	for _, name := range []string{"a", "b"} {
		run := newRun(t)
		run.iterate(300, time.Minute, func(i int) artifact.StepRecord {
			st := passing("tests", constMS(50))(i)
			tst := artifact.TestRecord{Package: "p", Test: "TestX", Status: step.Passed}
			if name == "a" && i%2 == 0 {
				tst.Status = step.Failed
			}
			st.Tests = []artifact.TestRecord{tst}
			return st
		})
		run.finish(artifact.StopCount)
		run.state.Runner = &artifact.Runner{Name: name}
		s, err := Compute(run.write(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		m.Add(run.root, s)
	}
	s := m.Summary()
	if len(s.Flaky) != 1 {
		t.Fatalf("Flaky %+v, want p.TestX", s.Flaky)
	}
	var first []int
	for i := 2; i <= 40; i += 2 {
		first = append(first, i)
	}
	want := []RunnerIterations{{Runner: "a", Iterations: first, More: 130}}
	if diff := cmp.Diff(want, s.Flaky[0].FailedOn); diff != "" {
		t.Errorf("FailedOn (-want +got):\n%s", diff)
	}
	if md := s.Markdown(); !strings.Contains(md, "| test | p.TestX | 450 | 150 | a: 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 140 more |") {
		t.Errorf("summary.md Flaky row missing or wrong:\n%s", md)
	}
}

func TestMergedStops(t *testing.T) {
	r := func(name string, stop artifact.StopReason, reason string) Runner {
		x := Runner{Stop: stop, StopReason: reason}
		x.Name = name
		return x
	}
	var many []Runner
	for i := range 8 {
		many = append(many, r(fmt.Sprintf("r%d", i), artifact.StopDuration, "72h0m0s elapsed"))
	}
	tests := []struct {
		name string
		give []Runner
		want string
	}{
		{"one", []Runner{r("a", artifact.StopCount, "")}, "count on a"},
		{"all-same", []Runner{r("a", artifact.StopCount, ""), r("b", artifact.StopCount, "")}, "count on all 2 runners"},
		{"same-words", []Runner{r("a", artifact.StopSignal, "interrupt"), r("b", artifact.StopSignal, "interrupt")},
			"signal: interrupt on all 2 runners"},
		{"mixed-words", []Runner{r("a", artifact.StopSignal, "interrupt"), r("b", artifact.StopSignal, "terminated")},
			"signal on all 2 runners"},
		{"groups", append(slices.Clone(many), r("x", artifact.StopMaxFailures, "3 iterations failed\nmore"), r("y", "", "")),
			"duration: 72h0m0s elapsed on 8 runners (r0, r1, r2, r3, r4 and 3 more); " +
				"max_failures: 3 iterations failed on x; none recorded (running, or the process died) on y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Summary{Runners: tt.give}
			if got := s.mergedStops(); got != tt.want {
				t.Errorf("mergedStops() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFailedOnText(t *testing.T) {
	var seven []RunnerIterations
	for i := range 7 {
		seven = append(seven, RunnerIterations{Runner: fmt.Sprintf("r%d", i), Iterations: []int{i + 1}})
	}
	tests := []struct {
		name string
		give []RunnerIterations
		want string
	}{
		{"one", []RunnerIterations{{Runner: "a", Iterations: []int{3, 9}}}, "a: 3, 9"},
		{"more", []RunnerIterations{{Runner: "a", Iterations: []int{1, 2, 3, 4}, More: 5}}, "a: 1, 2, 3 and 6 more"},
		{"unnumbered", []RunnerIterations{{Runner: "a", More: 4}}, "a: 4 runs (iterations not recorded)"},
		{"runners", seven, "r0: 1; r1: 2; r2: 3; r3: 4; r4: 5; and 2 more runners"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := failedOnText(tt.give, 5, 3); got != tt.want {
				t.Errorf("failedOnText() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCrossRunnerSentence: a sentence names at most ten runners a list,
// then says how many more, whatever the class.
func TestCrossRunnerSentence(t *testing.T) {
	runners := func(n int) []string {
		var l []string
		for i := range n {
			l = append(l, fmt.Sprintf("r%02d", i))
		}
		return l
	}
	tests := []struct {
		name string
		c    CrossRunner
		want string
	}{
		{"everywhere", CrossRunner{Kind: "step", Step: "build", Class: ClassFailingEverywhere, FailingOn: runners(3)},
			"step build fails on every runner that ran it (r00, r01, r02)"},
		{"everywhere, many", CrossRunner{Kind: "step", Step: "build", Class: ClassFailingEverywhere, FailingOn: runners(12)},
			"step build fails on every runner that ran it (r00, r01, r02, r03, r04, r05, r06, r07, r08, r09 and 2 more)"},
		{"runner-specific", CrossRunner{Kind: "test", Package: "p", Test: "TestX", Class: ClassRunnerSpecific, FailingOn: runners(1), PassingOn: runners(11)[1:]},
			"test p.TestX fails only on r00; passes on r01, r02, r03, r04, r05, r06, r07, r08, r09, r10"},
		{"flaky, many", CrossRunner{Kind: "step", Step: "e2e", Class: ClassFlaky, FlakyOn: runners(20), FailingOn: runners(1), Passed: 30, Failed: 7},
			"step e2e is flaky on r00, r01, r02, r03, r04, r05, r06, r07, r08, r09 and 10 more (30 passed, 7 failed over all runners); fails every run on r00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Sentence(); got != tt.want {
				t.Errorf("Sentence() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
