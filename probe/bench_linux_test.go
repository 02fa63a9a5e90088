//go:build linux

package probe

import (
	"context"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"
)

// shTree starts sh → 3×sh → 2×sleep each: the research's 10-process tree.
func shTree(tb testing.TB) int {
	tb.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		tb.Skip("no sh")
	}
	cmd := exec.Command(sh, "-c", `for i in 1 2 3; do sh -c "sleep 600 & sleep 600 & wait" & done; wait`)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	return cmd.Process.Pid
}

// medianOf times f n times and returns the median duration.
func medianOf(n int, f func()) time.Duration {
	ds := make([]time.Duration, n)
	for i := range ds {
		start := time.Now()
		f()
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return ds[n/2]
}

// BenchmarkTreeSample measures a full sample of a 10-process tree on the
// /proc fast path and reports its median against gopsutil/v4's own path
// (recursive Children plus MemoryInfo, Times, NumFDs, NumThreads per
// process) as x-vs-gopsutil.
func BenchmarkTreeSample(b *testing.B) {
	for _, kind := range []string{"sh", "go"} {
		b.Run(kind, func(b *testing.B) {
			var pid int
			if kind == "sh" {
				pid = shTree(b)
			} else {
				pid = helper(b, "tree", "3,2").Process.Pid
			}
			ctx := context.Background()
			s := Tree(pid)
			deadline := time.Now().Add(10 * time.Second)
			for {
				got, err := s.Sample(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if got.Procs == 10 {
					break
				}
				if time.Now().After(deadline) {
					b.Fatalf("tree has %d processes, want 10", got.Procs)
				}
				time.Sleep(10 * time.Millisecond)
			}
			var g gopsutilState
			gsample := func() {
				procs, _, err := g.collect(ctx, pid, true)
				if err != nil || len(procs) != 10 {
					b.Fatalf("gopsutil collect: %d processes, %v", len(procs), err)
				}
			}
			gsample()
			slow := medianOf(15, gsample)

			var ds []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := s.Sample(ctx); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
			}
			slices.Sort(ds)
			fast := ds[len(ds)/2]
			b.ReportMetric(float64(fast.Microseconds()), "µs-median")
			b.ReportMetric(float64(slow.Microseconds()), "µs-median-gopsutil")
			b.ReportMetric(float64(slow)/float64(fast), "x-vs-gopsutil")
		})
	}
}

// TestTreeSampleFast is the ≤ 1 ms gate: the median of 200 samples of the
// 10-process sh tree. On a loaded machine a median, not a mean, is stable.
func TestTreeSampleFast(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing gate; skipped with -short and -race")
	}
	pid := shTree(t)
	s := Tree(pid)
	sampleUntil(t, s, func(s Sample) bool { return s.Procs == 10 })
	med := medianOf(200, func() { s.Sample(context.Background()) })
	if med > time.Millisecond {
		t.Errorf("median full sample of a 10-process tree = %v, want ≤ 1ms", med)
	}
	t.Logf("median %v", med)
}
