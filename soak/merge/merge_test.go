package merge_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/merge"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// writeRun writes the artifacts of a finished soak of n iterations under
// root, run by runner, whose one step "unit" passes when pass says so.
func writeRun(t testing.TB, root, runner string, n int, pass func(i int) bool) {
	t.Helper()
	l := artifact.Layout{Root: root}
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	a, err := jsonl.Open(l.Iterations(), false)
	if err != nil {
		t.Fatal(err)
	}
	var c artifact.Counts
	for i := 1; i <= n; i++ {
		start := t0.Add(time.Duration(i) * time.Minute)
		ms := int64(1000 + 10*i)
		r := artifact.Record{Iteration: i, Start: start, End: start.Add(time.Duration(ms) * time.Millisecond), DurationMS: ms,
			Result: "OK", Status: artifact.IterPassed,
			Steps: []artifact.StepRecord{{Name: "unit", Status: step.Passed, OK: true, DurationMS: ms, Attempts: 1}}}
		if !pass(i) {
			r.Result, r.Status, r.Reason = "FAIL", artifact.IterFailed, "step unit failed: exit status 1"
			r.Steps[0].Status, r.Steps[0].OK, r.Steps[0].ExitCode = step.Failed, false, 1
			r.Steps[0].Details = "--- FAIL: TestUnit (0.01s)"
			r.Steps[0].Tail = "=== RUN   TestUnit\n    unit_test.go:12: " + runner + ": connection reset by peer\n--- FAIL: TestUnit (0.01s)\nFAIL\n"
			r.Steps[0].Logs = []string{fmt.Sprintf("soak/logs/%06d/unit.stdout.log", i)}
		}
		c.Add(&r)
		if err := a.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	st := artifact.State{Version: artifact.StateVersion, RunID: runner, Started: t0, Updated: t0.Add(time.Hour), Counts: c,
		Stop: artifact.StopCount, Runner: &artifact.Runner{Name: runner, OS: "linux", Arch: "arm64"}}
	if err := canonjson.WriteFile(l.State(), &st); err != nil {
		t.Fatal(err)
	}
}

// setStop records in the state of the run at root that it stopped for
// stop, in words.
func setStop(t testing.TB, root string, stop artifact.StopReason, words string) {
	t.Helper()
	l := artifact.Layout{Root: root}
	st, err := artifact.ReadState(l.State())
	if err != nil {
		t.Fatal(err)
	}
	st.Stop, st.Reason = stop, words
	if err := canonjson.WriteFile(l.State(), st); err != nil {
		t.Fatal(err)
	}
}

func always(v bool) func(int) bool { return func(int) bool { return v } }

func TestRoots(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, filepath.Join(dir, "dl", "b"), "b", 1, always(true))
	writeRun(t, filepath.Join(dir, "dl", "a"), "a", 1, always(true))
	os.MkdirAll(filepath.Join(dir, "dl", "not-artifacts"), 0o755)
	writeRun(t, filepath.Join(dir, "single"), "c", 1, always(true))
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)

	got, err := merge.Roots([]string{filepath.Join(dir, "dl"), filepath.Join(dir, "single"), filepath.Join(dir, "dl", "a")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "dl", "a"), filepath.Join(dir, "dl", "b"), filepath.Join(dir, "single")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Roots (-want +got):\n%s", diff)
	}

	tests := []struct {
		name string
		give string
		want error
	}{
		{"missing", filepath.Join(dir, "nope"), fs.ErrNotExist},
		{"empty", filepath.Join(dir, "empty"), merge.ErrNoArtifacts},
	}
	for _, tt := range tests {
		_, err := merge.Roots([]string{tt.give})
		var se *merge.SourceError
		if !errors.Is(err, tt.want) || !errors.As(err, &se) || se.Source != tt.give {
			t.Errorf("Roots(%s) error = %v, want a SourceError naming it wrapping %v", tt.name, err, tt.want)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, filepath.Join(dir, "dl", "x"), "x", 4, always(true))
	writeRun(t, filepath.Join(dir, "dl", "y"), "y", 4, func(i int) bool { return i%2 == 1 })
	out := filepath.Join(dir, "merged")
	s, err := merge.Write(t.Context(), out, []string{filepath.Join(dir, "dl")}, &merge.Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Runners) != 2 || s.ExitCode() != 1 || len(s.CrossRunner) != 1 || s.CrossRunner[0].Class != "flaky" {
		t.Errorf("merged: %d runners, exit %d, classes %+v", len(s.Runners), s.ExitCode(), s.CrossRunner)
	}
	l := artifact.Layout{Root: out}
	for _, p := range []string{l.Summary(), l.SummaryMarkdown(), l.JUnit(), l.HTMLReport(), l.Manifest()} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("merged file: %v", err)
		}
	}
	for _, c := range []struct {
		root string
		want bool
	}{{out, true}, {filepath.Join(dir, "dl", "x"), false}, {filepath.Join(dir, "nope"), false}} {
		if got := merge.Merged(c.root); got != c.want {
			t.Errorf("Merged(%s) = %v, want %v", c.root, got, c.want)
		}
	}

	// Damaged artifacts are an error naming their root, and nothing is written.
	bad := filepath.Join(dir, "dl", "y")
	if err := os.WriteFile(artifact.Layout{Root: bad}.Iterations(), []byte("{not json\n{\"iteration\":1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(dir, "merged2")
	_, err = merge.Write(t.Context(), out2, []string{filepath.Join(dir, "dl")}, nil)
	var se *merge.SourceError
	if !errors.As(err, &se) || se.Source != bad {
		t.Errorf("Write with damaged artifacts: %v, want a SourceError naming %s", err, bad)
	}
	if _, err := os.Stat(out2); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Write with damaged artifacts wrote %s", out2)
	}
	// The output may not be a source.
	if _, err := merge.Write(t.Context(), filepath.Join(dir, "dl", "x"), []string{filepath.Join(dir, "dl", "x")}, nil); err == nil {
		t.Error("Write into its own source: no error")
	}
}

// TestWriteGolden: the merged summary.md and junit.xml of three runners,
// one always passing, one failing from its third iteration on (and
// stopped by max_failures), one failing every second iteration, with the
// durations of all runners in each step's p50 and p95, why each runner
// stopped, where the flaky step failed on each runner, and the earliest
// failure's log tail. Temporary paths are normalized.
func TestWriteGolden(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "dl")
	writeRun(t, filepath.Join(src, "linux-1"), "linux-1", 6, always(true))
	writeRun(t, filepath.Join(src, "windows-1"), "windows-1", 6, func(i int) bool { return i < 3 })
	setStop(t, filepath.Join(src, "windows-1"), artifact.StopMaxFailures, "4 iterations failed (max_failures: 4)")
	writeRun(t, filepath.Join(src, "mac-1"), "mac-1", 6, func(i int) bool { return i%2 == 1 })
	out := filepath.Join(dir, "merged")
	if _, err := merge.Write(t.Context(), out, []string{src}, &merge.Options{Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	l := artifact.Layout{Root: out}
	for _, f := range []struct{ path, golden string }{
		{l.SummaryMarkdown(), "merged.summary.md.golden"},
		{l.JUnit(), "merged.junit.xml.golden"},
	} {
		got, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		// Sources are recorded as given (native on Windows), logs with
		// slashes: the golden is the same on every OS.
		got = bytes.ReplaceAll(got, []byte(src+string(filepath.Separator)), []byte("$SRC/"))
		got = bytes.ReplaceAll(got, []byte(filepath.ToSlash(src)), []byte("$SRC"))
		got = bytes.ReplaceAll(got, []byte(src), []byte("$SRC"))
		golden := filepath.Join("testdata", f.golden)
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s mismatch with %s (-want +got):\n%s", f.path, golden, diff)
		}
	}
}

// writeSamples writes n samples, one a second, of a service whose RSS
// grows by a MiB a minute, under root.
func writeSamples(t testing.TB, root string, n int) {
	t.Helper()
	a, err := jsonl.Open(artifact.Layout{Root: root}.Samples(), false)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		if err := a.Append(probe.Sample{Time: t0.Add(time.Duration(i) * time.Second), Target: "service", PID: 7, Procs: 1,
			RSS: uint64(100<<20 + i*(1<<20)/60), FDs: 12, Threads: 4}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestWriteCharts: the merged report draws each runner's long-lived
// targets' RSS and FDs from its samples, with bounded points, and says so
// for a runner without samples.
func TestWriteCharts(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "dl")
	writeRun(t, filepath.Join(src, "a"), "a", 3, always(true))
	writeSamples(t, filepath.Join(src, "a"), 3*3600)
	writeRun(t, filepath.Join(src, "b"), "b", 3, always(true))
	out := filepath.Join(dir, "merged")
	if _, err := merge.Write(t.Context(), out, []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(artifact.Layout{Root: out}.HTMLReport())
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	for _, want := range []string{`id="chart-runner-a-service-rss"`, `id="chart-runner-a-service-fds"`, "<h4>a</h4>",
		"10800 samples drawn as 300 points"} {
		if !strings.Contains(page, want) {
			t.Errorf("merged report.html lacks %q", want)
		}
	}
	if strings.Contains(page, "chart-runner-b-") || strings.Contains(page, "<h4>b</h4>") {
		t.Errorf("merged report.html charts runner b, which has no samples")
	}
}

// TestComputeDeterministic: whatever the number of runners judged at once
// and the order they finish in, the merged summary is the same, and each
// runner's verdicts (leaks from its samples included) are those of its
// own summary computed alone: collecting the report's series while judging
// changes nothing.
func TestComputeDeterministic(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "dl")
	for i, pass := range []func(int) bool{always(true), always(false), func(i int) bool { return i%2 == 1 },
		func(i int) bool { return i != 3 }, always(true)} {
		root := filepath.Join(src, fmt.Sprintf("r%d", i))
		writeRun(t, root, fmt.Sprintf("r%d", i), 5, pass)
		if i%2 == 0 {
			writeSamples(t, root, 2*3600+i*60)
		}
	}
	var first []byte
	for _, par := range []int{1, 2, 5, 1, 3} {
		out := filepath.Join(dir, fmt.Sprintf("out-%d-%d", par, len(first)))
		s, err := merge.Write(t.Context(), out, []string{src}, &merge.Options{Parallel: par})
		if err != nil {
			t.Fatal(err)
		}
		got, err := canonjson.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
			for _, r := range s.Runners {
				alone, err := summary.Compute(r.Source, &summary.Config{Dir: r.Source})
				if err != nil {
					t.Fatal(err)
				}
				if r.Verdict != alone.Verdict.Status || r.Reason != alone.Verdict.Reason {
					t.Errorf("runner %s: merged verdict %s (%s), alone %s (%s)", r.Name, r.Verdict, r.Reason,
						alone.Verdict.Status, alone.Verdict.Reason)
				}
				if diff := cmp.Diff(alone.Leaks, r.Leaks, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("runner %s: leak verdicts (-alone +merged):\n%s", r.Name, diff)
				}
			}
			if s.Runners[0].Verdict != summary.Leak {
				t.Errorf("runner r0 verdict %s, want a leak judged from its samples", s.Runners[0].Verdict)
			}
			continue
		}
		if diff := cmp.Diff(string(first), string(got)); diff != "" {
			t.Errorf("Parallel %d: merged summary differs (-first +this):\n%s", par, diff)
		}
	}
}
