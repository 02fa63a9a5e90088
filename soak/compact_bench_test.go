package soak

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// fastRecord is iteration i of a fast soak of one command step, as the
// engine records it (about 550 bytes); every 500th fails.
func fastRecord(i int, t0 time.Time) *artifact.Record {
	start := t0.Add(time.Duration(i) * 7 * time.Millisecond)
	ms := int64(3 + i%4)
	rec := &artifact.Record{Iteration: i, Start: start, End: start.Add(time.Duration(ms) * time.Millisecond), DurationMS: ms,
		BudgetMS: 600000, Result: "OK", Status: artifact.IterPassed, LogDir: fmt.Sprintf("soak/logs/%06d", i),
		Steps: []artifact.StepRecord{{Name: "tick", Status: step.Passed, OK: true, DurationMS: ms, Attempts: 1, PeakRSS: 3 << 20,
			Details: "tick", Logs: []string{fmt.Sprintf("soak/logs/%06d/tick.stdout.log", i)}}},
		Resources: map[string]artifact.Figures{"step:tick": {RSS: 3 << 20, PeakRSS: 3 << 20, FDs: 4, Threads: 1, Procs: 1}}}
	if i%500 == 0 {
		rec.Status, rec.Result, rec.Reason = artifact.IterFailed, "FAIL", "step tick failed: exit status 1"
		st := &rec.Steps[0]
		st.Status, st.OK, st.ExitCode, st.Details, st.Tail = step.Failed, false, 1, "exit status 1", "tick\nboom\n"
	}
	return rec
}

// writeFastRecords writes n records of fastRecord to path and returns
// their counts.
func writeFastRecords(tb testing.TB, path string, n int) artifact.Counts {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var c artifact.Counts
	for i := 1; i <= n; i++ {
		rec := fastRecord(i, t0)
		b, err := canonjson.Marshal(rec)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(b)
		c.Add(rec)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkCompactRecords compacts an iterations.jsonl of n records of a
// fast one-step soak (about 550 bytes a record) to an eighth of the budget
// of a 256 MiB cap, as the soak does when its tree reaches 70 % of the
// budget; 300,000 records (160 MiB) is about the file of that first
// compaction. The soak waits while it runs: it reports ms/op, cpu-s/op
// and MB/s of the file read.
func BenchmarkCompactRecords(b *testing.B) {
	for _, n := range []int{10_000, 300_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n > 10_000 && testing.Short() {
				b.Skip("large fixture; not in -short")
			}
			tmpl := filepath.Join(b.TempDir(), "iterations.jsonl")
			counts := writeFastRecords(b, tmpl, n)
			fi, err := os.Stat(tmpl)
			if err != nil {
				b.Fatal(err)
			}
			const capBytes = 256 << 20
			budget := int64(capBytes - closingRoom(capBytes))
			var cpu, wall time.Duration
			var after int64
			for b.Loop() {
				b.StopTimer()
				l := artifact.Layout{Root: b.TempDir()}
				if err := os.MkdirAll(l.Dir(), 0o755); err != nil {
					b.Fatal(err)
				}
				// A hard link: the compaction renames its new file over
				// the old name, so the template stays as it is.
				if err := os.Link(tmpl, l.Iterations()); err != nil {
					b.Fatal(err)
				}
				st, err := openStore(l, capBytes, 1, func(int) bool { return false }, nil)
				if err != nil {
					b.Fatal(err)
				}
				iters, err := jsonl.Open(l.Iterations(), false)
				if err != nil {
					b.Fatal(err)
				}
				r := &runner{l: l, st: st, iters: iters, cfg: Config{KeepLogs: 1}, logger: slog.New(slog.DiscardHandler)}
				r.state.Counts = counts
				// What the engine knows of its file from its appends.
				if err := r.cmp.file.count(l.Iterations()); err != nil {
					b.Fatal(err)
				}
				c0, t0 := benchtest.CPUTime(), time.Now()
				b.StartTimer()
				err = r.compactRecords(int64(float64(budget) * compactShare))
				b.StopTimer()
				cpu += benchtest.CPUTime() - c0
				wall += time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				if target := int64(float64(budget) * compactShare); iters.Size() >= fi.Size() || iters.Size() > 2*target {
					b.Fatalf("compacted to %d of %d bytes, aiming at %d", iters.Size(), fi.Size(), target)
				}
				after = iters.Size()
				iters.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/op")
			if cpu > 0 {
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			}
			b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
			b.ReportMetric(float64(after)/(1<<20), "compacted-MiB")
			b.ReportMetric(float64(fi.Size())/(1<<20)/(wall.Seconds()/float64(b.N)), "MiB/s")
		})
	}
}
