package step_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/step"
)

// BenchmarkOverhead compares a Command step running `true` with a bare
// exec.Command("true").Run(), interleaved so both see the same load, on an
// otherwise idle host and with 2,000 unrelated sleeping processes present.
// It reports both times, their difference and their ratio, and (on Unix)
// the CPU time the benchmark process itself spent on each, its children
// excluded.
//
// The step's log files go to a directory on disk (logs=disk) or, where
// /dev/shm exists, on tmpfs (logs=tmpfs): creating two files costs about as
// much as the rest of the step on a busy disk, and the tmpfs figure shows
// the step's own work (pipes, process group, containment).
//
// The containment mode is the test binary's: scan mode by default, child
// subreaper mode with STEP_TEST_SUBREAPER=1; the sub-benchmarks are named
// after it.
func BenchmarkOverhead(b *testing.B) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true command")
	}
	mode := "scan"
	if os.Getenv(subreaperEnv) == "1" {
		mode = "subreaper"
	}
	logDirs := map[string]func(testing.TB) string{"disk": func(tb testing.TB) string { return tb.TempDir() }}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		logDirs["tmpfs"] = func(tb testing.TB) string {
			d, err := os.MkdirTemp("/dev/shm", "step-bench-")
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	for _, unrelated := range []int{0, 2000} {
		b.Run(fmt.Sprintf("mode=%s/unrelated=%d", mode, unrelated), func(b *testing.B) {
			if unrelated > 0 {
				startUnrelated(b, unrelated)
			}
			for _, logs := range []string{"disk", "tmpfs"} {
				if logDirs[logs] == nil {
					continue
				}
				b.Run("logs="+logs, func(b *testing.B) {
					overhead(b, truePath, logDirs[logs](b))
				})
			}
		})
	}
}

// overhead is one BenchmarkOverhead measurement with logs in dir.
func overhead(b *testing.B, truePath, dir string) {
	ctx := context.Background()
	rt := step.Runtime{LogDir: dir}
	c := step.Command{Name: "true", Argv: []string{truePath}}
	var bare, stepped, bareCPU, stepCPU time.Duration
	n := 0
	for b.Loop() {
		c0, t0 := benchtest.CPUTime(), time.Now()
		if err := exec.Command(truePath).Run(); err != nil {
			b.Fatal(err)
		}
		c1, t1 := benchtest.CPUTime(), time.Now()
		if r := c.Run(ctx, rt); r.Status != step.Passed {
			b.Fatalf("step: %+v", r)
		}
		bare += t1.Sub(t0)
		stepped += time.Since(t1)
		bareCPU += c1 - c0
		stepCPU += benchtest.CPUTime() - c1
		n++
	}
	b.ReportMetric(float64(bare.Nanoseconds())/float64(n), "bare-ns/run")
	b.ReportMetric(float64(stepped.Nanoseconds())/float64(n), "step-ns/run")
	b.ReportMetric(float64((stepped-bare).Nanoseconds())/float64(n), "overhead-ns/run")
	b.ReportMetric(float64(stepped)/float64(bare), "step/bare")
	if bareCPU > 0 {
		// The runner's own CPU time (children excluded) is far less
		// sensitive to other load on the host than wall time.
		b.ReportMetric(float64(bareCPU.Nanoseconds())/float64(n), "bare-cpu-ns/run")
		b.ReportMetric(float64(stepCPU.Nanoseconds())/float64(n), "step-cpu-ns/run")
	}
}

// BenchmarkCapture1GiB captures 1 GiB of output (100-byte lines) from a
// helper process and reports how far the heap grew above its starting size
// while doing so (sampled every 2ms), which must stay at a few MiB.
func BenchmarkCapture1GiB(b *testing.B) {
	const total = 1 << 30
	b.SetBytes(total)
	var growth float64
	for b.Loop() {
		growth = max(growth, captureGrowth(b, total))
	}
	b.ReportMetric(growth, "peak-heap-growth-MiB")
}

// TestCaptureMemoryBounded is the benchmark's claim as a test: capturing
// 64 MiB must not grow the heap by more than 8 MiB.
func TestCaptureMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MiB")
	}
	g := captureGrowth(t, 64<<20)
	t.Logf("heap growth while capturing 64 MiB: %.2f MiB", g)
	if g > 8 {
		t.Errorf("heap grew by %.1f MiB while capturing 64 MiB, want at most 8", g)
	}
}

// captureGrowth runs a step that prints total bytes in 100-byte lines and
// returns the peak heap growth during the run, in MiB.
func captureGrowth(tb testing.TB, total int) float64 {
	c := helper("spew", "spew="+strconv.Itoa(total)+",100")
	rt := step.Runtime{LogDir: tb.TempDir()}
	runtime.GC()
	base := heapBytes()
	peak := base
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapBytes())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	r := c.Run(context.Background(), rt)
	close(stop)
	wg.Wait()
	if r.Status != step.Passed {
		tb.Fatalf("step: %+v", r)
	}
	if fi, err := os.Stat(r.StdoutLog); err != nil || fi.Size() < int64(total) {
		tb.Fatalf("stdout log: %v, %v; want %d bytes", fi, err, total)
	}
	return float64(peak-base) / (1 << 20)
}

// heapBytes returns the bytes of live and not yet swept heap objects.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
