package merge_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/internal/benchdata"
	"github.com/soakkit/soakkit/soak/merge"
	"github.com/soakkit/soakkit/step"
)

// benchRunners is the number of runners of the merge benchmark.
const benchRunners = 100

// write72hRunners writes the artifacts of n runners, each a 72 h soak
// sampled at 1 Hz (259,200 samples of its service) with an iteration every
// 5 minutes (864, each a build step and a go test step of 20 tests). Every
// fifth runner fails one test in every 50th iteration. The two variants of
// iterations.jsonl and the samples are written once and hard-linked into
// each runner's tree (copied where links are not supported), so that the
// fixture takes seconds to write; a merge still reads every byte of every
// runner. With SOAKKIT_MERGE_BENCH_DIR set, the fixture is written there
// and kept, for timing `soakkit merge` on it.
func write72hRunners(b *testing.B, n int) string {
	b.Helper()
	dir := os.Getenv("SOAKKIT_MERGE_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	proto := filepath.Join(dir, "proto")
	samples := filepath.Join(proto, "samples.jsonl")
	src := filepath.Join(dir, "downloaded")
	for _, d := range []string{proto, src} { // a kept fixture is written afresh, not appended to
		if err := os.RemoveAll(d); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.MkdirAll(proto, 0o755); err != nil {
		b.Fatal(err)
	}
	benchdata.WriteServiceSamples(b, samples, t0, 72*time.Hour)
	iters := [2]string{filepath.Join(proto, "pass.jsonl"), filepath.Join(proto, "flaky.jsonl")}
	var counts [2]artifact.Counts
	for v, path := range iters {
		a, err := jsonl.Open(path, false)
		if err != nil {
			b.Fatal(err)
		}
		for i := 1; i <= 864; i++ {
			start := t0.Add(time.Duration(i-1) * 5 * time.Minute)
			r := artifact.Record{Iteration: i, Start: start, End: start.Add(11 * time.Second), DurationMS: 11000, BudgetMS: 60000,
				Result: "OK", Status: artifact.IterPassed}
			tests := make([]artifact.TestRecord, 0, 21)
			ok := true
			for j := range 20 {
				st := step.Passed
				if v == 1 && j == 7 && i%50 == 0 {
					st, ok = step.Failed, false
				}
				tests = append(tests, artifact.TestRecord{Package: "example.com/app", Test: fmt.Sprintf("Test%02d", j), Status: st, ElapsedMS: 300})
			}
			gt := artifact.StepRecord{Name: "tests", Status: step.Passed, OK: true, DurationMS: 9000 + int64(i%13)*10, Attempts: 1, Tests: tests}
			if !ok {
				gt.Status, gt.OK, gt.Details = step.Failed, false, "19 passed, 1 failed (Test07)"
				r.Status, r.Result = artifact.IterFailed, "FAIL"
			}
			r.Steps = []artifact.StepRecord{{Name: "build", Status: step.Passed, OK: true, DurationMS: 1500 + int64(i%7)*10, Attempts: 1}, gt}
			counts[v].Add(&r)
			if err := a.Append(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := a.Close(); err != nil {
			b.Fatal(err)
		}
	}
	for r := range n {
		name := fmt.Sprintf("runner-%03d", r)
		l := artifact.Layout{Root: filepath.Join(src, name)}
		if err := os.MkdirAll(l.Dir(), 0o755); err != nil {
			b.Fatal(err)
		}
		v := 0
		if r%5 == 0 {
			v = 1
		}
		link(b, iters[v], l.Iterations())
		link(b, samples, l.Samples())
		st := artifact.State{Version: artifact.StateVersion, RunID: name, Started: t0, Updated: t0.Add(72 * time.Hour),
			ElapsedMS: (72 * time.Hour).Milliseconds(), Counts: counts[v], Stop: artifact.StopDuration,
			Runner: &artifact.Runner{Name: name, OS: "linux", Arch: "amd64", Shard: fmt.Sprintf("%d/%d", r, n)}}
		if err := canonjson.WriteFile(l.State(), &st); err != nil {
			b.Fatal(err)
		}
	}
	return src
}

func link(b *testing.B, from, to string) {
	os.Remove(to)
	if os.Link(from, to) == nil {
		return
	}
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMerge100x72h merges 100 runners, each 72 h at 1 Hz (25.9
// million samples and 86,400 iterations in all) and writes the merged
// files. The goal is 30 s and 256 MiB: ms/op, cpu-s/op (the process's
// CPU time, which neighbours on a shared machine do not inflate as they
// do the wall time), peak-heap-MiB (the highest live heap seen while
// merging) and alloc-MiB/op are reported. Time is one summary per runner,
// most of it decoding and judging its 259,200 samples, which also gathers
// the series of the merged report's per-runner charts.
func BenchmarkMerge100x72h(b *testing.B) {
	src := write72hRunners(b, benchRunners)
	out := b.TempDir()
	m := benchtest.Start(b)
	for b.Loop() {
		s, err := merge.Write(b.Context(), out, []string{src}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Runners) != benchRunners || s.Verdict.Status != "failed" || len(s.CrossRunner) != 2 {
			b.Fatalf("merged %d runners, verdict %s (%s), %d cross-runner rows", len(s.Runners), s.Verdict.Status, s.Verdict.Reason, len(s.CrossRunner))
		}
	}
	m.Stop()
}
