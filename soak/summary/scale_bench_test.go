package summary

import (
	"bufio"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/internal/benchdata"
	"github.com/soakkit/soakkit/step"
)

// writeScale writes the artifacts of a soak of n iterations spread over
// 72 h, two steps each, every 97th iteration failing with a log tail, and,
// with samples set, 72 h of 1 Hz samples of a service. Records are
// streamed to disk: the generator holds one at a time.
func writeScale(b *testing.B, n int, samples bool) string {
	b.Helper()
	root := b.TempDir()
	l := artifact.Layout{Root: root}
	if err := os.MkdirAll(l.Dir(), 0o755); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(l.Iterations())
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	gap := 72 * time.Hour / time.Duration(n)
	var c artifact.Counts
	for i := 1; i <= n; i++ {
		start := t0.Add(time.Duration(i-1) * gap)
		build := int64(20 + i%7)
		tests := int64(90 + (i*7919)%40)
		rec := artifact.Record{Iteration: i, Start: start, BudgetMS: 60000, Result: "OK", Status: artifact.IterPassed,
			LogDir: fmt.Sprintf("soak/logs/%06d", i),
			Steps: []artifact.StepRecord{
				{Name: "build", Status: step.Passed, OK: true, DurationMS: build, Attempts: 1, PeakRSS: 20 << 20},
				{Name: "tests", Status: step.Passed, OK: true, DurationMS: tests, Attempts: 1, PeakRSS: 30 << 20,
					Tests: []artifact.TestRecord{{Package: "example.com/app", Test: "TestFlaky", Status: step.Passed, ElapsedMS: 12}}},
			},
		}
		if i%97 == 0 {
			ts := &rec.Steps[1]
			rec.Status, rec.Result, rec.Reason = artifact.IterFailed, "FAIL", "step tests failed: exit status 1"
			ts.Status, ts.OK, ts.ExitCode, ts.Details = step.Failed, false, 1, "--- FAIL: TestFlaky (0.01s)"
			ts.Tail = "=== RUN   TestFlaky\n    flaky_test.go:12: connection reset by peer\n--- FAIL: TestFlaky (0.01s)\nFAIL\n"
			ts.Logs = []string{rec.LogDir + "/tests.stdout.log"}
			ts.Tests[0].Status = step.Failed
		}
		rec.DurationMS = build + tests
		rec.End = start.Add(time.Duration(rec.DurationMS) * time.Millisecond)
		c.Add(&rec)
		line, err := canonjson.Marshal(rec)
		if err != nil {
			b.Fatal(err)
		}
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st := &artifact.State{Version: 1, RunID: "0123456789abcdef", Started: t0, Updated: t0.Add(72 * time.Hour),
		Counts: c, Stop: artifact.StopDuration}
	if err := canonjson.WriteFile(l.State(), st); err != nil {
		b.Fatal(err)
	}
	if !samples {
		return root
	}
	benchdata.WriteServiceSamples(b, l.Samples(), t0, 72*time.Hour)
	return root
}

// BenchmarkComputeScale summarises generated soaks of 10³ to 10⁶
// iterations (the largest with 72 h of 1 Hz samples as well). Memory must
// not grow with the iteration count, time at most linearly: it reports
// ms/op, cpu-s/op, peak-heap-MiB (the highest live heap seen while
// summarising) and alloc-MiB/op. The goal for 10⁶ is under 10 s and
// 128 MiB, summary and report together (see the report package's
// BenchmarkRenderScale).
func BenchmarkComputeScale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n > 10_000 && testing.Short() {
				b.Skip("large fixture; not in -short")
			}
			root := writeScale(b, n, n == 1_000_000)
			m := benchtest.Start(b)
			for b.Loop() {
				s, err := Compute(root, nil)
				if err != nil {
					b.Fatal(err)
				}
				if s.Iterations.Iterations != n || s.Verdict.Status != Failed {
					b.Fatalf("%d iterations, verdict %s (%s); want %d, failed", s.Iterations.Iterations, s.Verdict.Status, s.Verdict.Reason, n)
				}
			}
			m.Stop()
		})
	}
}
