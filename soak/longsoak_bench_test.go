package soak

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// BenchmarkEightHourSoak shows that an 8-hour soak at 150 iterations/s
// (4.32 million iterations) keeps its whole artifacts tree under a 256 MiB
// cap, closing files included, without running for 8 hours: it drives the
// engine's own write path at full speed, as [Soak.Run] drives it after each
// iteration of a fast one-command plan (its stdout log through the capped
// log writer, rotation, the record appended through the cap with a
// compaction when the cap refuses it, a compaction check before each
// iteration), with 1 Hz samples of a service and of the soak, a checkpoint
// every 1,000 iterations, and every 500th iteration failing (its record
// and log kept). Then [Finish] judges the compacted tree and writes the
// closing files. Steps are not run: the records are those fastRecord
// makes, about 550 bytes.
//
// It fails if the tree ever holds more than the cap (checked by the
// store's accounting after every write and by walking the tree after every
// compaction and at the end), if a record is lost, or if the summary is
// not the run's. It reports the wall and CPU time of the whole run and of
// Finish, the compactions, the peak size of the tree, and the peak RSS
// of the process. Run it alone, it takes minutes:
//
//	go test -run XXX -bench EightHourSoak -benchtime 1x ./soak
func BenchmarkEightHourSoak(b *testing.B) {
	if testing.Short() {
		b.Skip("4.32 million iterations; not in -short")
	}
	soakAtFullSpeed(b, 8*3600*150, 256<<20)
}

// soakAtFullSpeed is BenchmarkEightHourSoak for n iterations under a cap
// of capBytes.
func soakAtFullSpeed(b *testing.B, n int, capBytes int64) {
	const rate = 150 // iterations per second of the soak's clock
	for b.Loop() {
		root := fastDir(b)
		l := artifact.Layout{Root: root}
		cfg := Config{Count: n, KeepGoing: true, MaxBytes: ByteSize(capBytes), ArtifactsDir: root}.withDefaults()
		st, err := openStore(l, capBytes, cfg.KeepLogs, func(int) bool { return false }, nil)
		if err != nil {
			b.Fatal(err)
		}
		iters, err := jsonl.Open(l.Iterations(), true)
		if err != nil {
			b.Fatal(err)
		}
		samples, err := jsonl.Open(l.Samples(), false)
		if err != nil {
			b.Fatal(err)
		}
		var compactions int
		r := &runner{l: l, st: st, iters: iters, samples: samples, cfg: cfg, logger: slog.New(slog.DiscardHandler)}
		r.cmp.file.known = true
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		r.state = artifact.State{Version: artifact.StateVersion, RunID: "0123456789abcdef", Started: t0, Config: configJSON(cfg)}
		var peakTree int64
		checkTree := func(i int) {
			got := treeBytes(b, root)
			peakTree = max(peakTree, got)
			if got > capBytes {
				b.Fatalf("iteration %d: the tree holds %d bytes > cap %d", i, got, capBytes)
			}
		}
		writeState := func(now time.Time) {
			r.state.Updated = now
			r.state.ElapsedMS = now.Sub(t0).Milliseconds()
			if err := r.fit(func() error { return r.st.writeJSON(r.l.State(), &r.state) }); err != nil {
				b.Fatalf("state.json: %v", err)
			}
		}
		start, cpu := time.Now(), benchtest.CPUTime()
		tick := []byte("tick\n")
		for i := 1; i <= n; i++ {
			runs := r.cmp.runs
			r.maybeCompact(false)
			if first, _, _ := r.st.failure(); first != nil {
				b.Fatalf("iteration %d: %v", i, first)
			}
			if r.cmp.runs != runs {
				compactions++
				checkTree(i)
			}
			rec := fastRecord(i, t0)
			// The step's stdout, through the capped log writer.
			dir := l.IterationLogs(i)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(dir, "tick.stdout.log")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			w := r.st.logWriter(f, path, useLog)
			_, werr := w.Write(tick)
			if err := errors.Join(werr, w.Close(), f.Close()); err != nil {
				b.Fatal(err)
			}
			r.st.finishIteration(i, rec.Status != artifact.IterPassed)
			size := r.iters.Size()
			if err := r.fit(func() error { size = r.iters.Size(); return r.st.appendLine(r.iters, rec) }); err != nil {
				b.Fatalf("iteration %d: record: %v", i, err)
			}
			r.state.Counts.Add(rec)
			r.cmp.file.appended(rec, r.iters.Size()-size)
			if i%rate == 0 {
				sec := i / rate
				for _, s := range []probe.Sample{
					{Time: rec.End, Target: "service", PID: 4242, Procs: 1, RSS: uint64(80<<20 + sec%300*4096), FDs: 30 + sec%3, Threads: 9},
					{Time: rec.End, Target: artifact.Self, PID: 100, Procs: 1, RSS: 30 << 20, FDs: 12, Threads: 7,
						HeapLive: uint64(8<<20 + sec%120*1024), Goroutines: 14},
				} {
					if err := r.fit(func() error { return r.st.appendLine(r.samples, s) }); err != nil {
						b.Fatalf("iteration %d: sample: %v", i, err)
					}
				}
			}
			if i%1000 == 0 {
				writeState(rec.End)
			}
			if used, _, _ := r.st.usage(); used > capBytes {
				b.Fatalf("iteration %d: %d bytes accounted > cap %d", i, used, capBytes)
			}
			if i%250_000 == 0 {
				checkTree(i)
			}
		}
		r.st.openClosing()
		r.st.releaseReserve()
		r.state.Stop = artifact.StopCount
		writeState(t0.Add(8 * time.Hour))
		if err := errors.Join(iters.Close(), samples.Close()); err != nil {
			b.Fatal(err)
		}
		checkTree(n)
		wall, used := time.Since(start), benchtest.CPUTime()-cpu
		fstart, fcpu := time.Now(), benchtest.CPUTime()
		sum, code, err := Finish(l, nil, nil)
		fwall, fused := time.Since(fstart), benchtest.CPUTime()-fcpu
		if err != nil {
			b.Fatalf("Finish: %v", err)
		}
		checkTree(n)
		want := r.state.Counts
		if sum.Iterations.Iterations != n || sum.Iterations.Failed != want.Failed || code != 1 || sum.FirstFailure == nil || sum.FirstFailure.Iteration != 500 {
			b.Errorf("summary: %+v, first failure %+v, code %d; want %d iterations, %d failed from 500, code 1",
				sum.Iterations, sum.FirstFailure, code, n, want.Failed)
		}
		b.ReportMetric(wall.Seconds(), "run-s")
		b.ReportMetric(used.Seconds(), "run-cpu-s")
		b.ReportMetric(fwall.Seconds(), "finish-s")
		b.ReportMetric(fused.Seconds(), "finish-cpu-s")
		b.ReportMetric(float64(compactions), "compactions")
		b.ReportMetric(float64(peakTree)/(1<<20), "peak-tree-MiB")
		b.ReportMetric(float64(treeBytes(b, root))/(1<<20), "final-tree-MiB")
		b.ReportMetric(float64(fileSize(l.Iterations()))/(1<<20), "iterations-MiB")
		b.ReportMetric(float64(fileSize(l.Samples()))/(1<<20), "samples-MiB")
		b.ReportMetric(float64(benchtest.MaxRSS())/(1<<20), "peak-rss-MiB")
		b.ReportMetric(float64(n)/wall.Seconds(), "iterations/s")
	}
}
