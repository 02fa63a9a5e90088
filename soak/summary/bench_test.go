package summary

import (
	"runtime"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/probe/sim"
	"github.com/soakkit/soakkit/soak/artifact"
)

// write72h writes a 72 h run at 1 Hz: 259,200 samples of a service (the
// research's Go noise profile) and an iteration every 5 minutes.
func write72h(b *testing.B) string {
	b.Helper()
	r := newRun(b)
	r.iterate(864, 5*time.Minute, passing("build", noisy(1, 1500, 0.1, 0, 864)), passing("tests", noisy(2, 9000, 0.1, 0, 864)))
	r.finish(artifact.StopDuration)
	root := r.write(b)
	a, err := jsonl.Open(artifact.Layout{Root: root}.Samples(), false)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	cpu := 0.0
	sim.Run{Profile: sim.Go, Seed: 72, Duration: 72 * time.Hour}.Samples(func(d time.Duration, mib float64) {
		cpu += 0.02
		n++
		if err := a.Append(probe.Sample{Time: t0.Add(d), Target: "service", PID: 4242, Procs: 3, RSS: uint64(mib * probe.MiB),
			CPU: cpu, CPUPct: 2, FDs: 40 + n%7, MaxFDPct: 4, Threads: 12, Took: 412 * time.Microsecond}); err != nil {
			b.Fatal(err)
		}
	})
	if err := a.Close(); err != nil {
		b.Fatal(err)
	}
	if n != 259200 {
		b.Fatalf("%d samples, want 259200", n)
	}
	return root
}

// BenchmarkCompute72h summarises 72 h of 1 Hz samples (259,200 lines) and
// 864 iterations. The budget is 1 s and 64 MiB: ns/op, cpu-s/op (the
// process's CPU time per summary, which a loaded machine does not inflate),
// peak-heap-MiB (the highest live heap seen while summarising) and
// alloc-MiB/op are reported.
func BenchmarkCompute72h(b *testing.B) {
	root := write72h(b)
	runtime.GC()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	stop := benchtest.PeakHeap()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := benchtest.CPUTime()
	for b.Loop() {
		s, err := Compute(root, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Leaks) == 0 || s.Verdict.Status != Passed {
			b.Fatalf("verdict %s (%s), %d leak verdicts", s.Verdict.Status, s.Verdict.Reason, len(s.Leaks))
		}
	}
	b.StopTimer()
	// CPU time too: on a busy machine the wall time says more about the
	// neighbours than about the summary.
	if used := benchtest.CPUTime() - cpu; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N), "cpu-s/op")
	}
	peak := stop()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MiB/op")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}
