package step_test

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/soakkit/soakkit/step"
)

// BenchmarkOverhead compares a Command step running `true` with a bare
// exec.Command("true").Run(), interleaved so both see the same load. It
// reports both times and their ratio.
func BenchmarkOverhead(b *testing.B) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true command")
	}
	ctx := context.Background()
	rt := step.Runtime{LogDir: b.TempDir()}
	c := step.Command{Name: "true", Argv: []string{truePath}}
	var bare, stepped time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		if err := exec.Command(truePath).Run(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if r := c.Run(ctx, rt); r.Status != step.Passed {
			b.Fatalf("step: %+v", r)
		}
		bare += t1.Sub(t0)
		stepped += time.Since(t1)
		n++
	}
	b.ReportMetric(float64(bare.Nanoseconds())/float64(n), "bare-ns/run")
	b.ReportMetric(float64(stepped.Nanoseconds())/float64(n), "step-ns/run")
	b.ReportMetric(float64(stepped)/float64(bare), "step/bare")
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
