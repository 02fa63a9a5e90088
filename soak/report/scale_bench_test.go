package report

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// peakHeap samples the live heap every millisecond until stop is called,
// and returns the highest value seen.
func peakHeap() (stop func() uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// BenchmarkRenderScale renders the report, summary included, of generated
// 72 h soaks of 10³ to 10⁶ iterations, every 97th failing; the largest
// also has 72 h of 1 Hz samples of a service (and 5 s ones of the soak's
// own process). Memory must not grow with the iteration count, time at
// most linearly; the goal for 10⁶ is under 10 s and 128 MiB. It reports
// s/render, cpu-s/render, peak-heap-MiB and the page's size.
func BenchmarkRenderScale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n > 10_000 && testing.Short() {
				b.Skip("large fixture; not in -short")
			}
			s := synth{start: synthStart, length: 72 * time.Hour, interval: time.Hour, iteration: 72 * time.Hour / time.Duration(n),
				leakPerHour: 2 << 20, failEvery: 97, timeoutAt: 500}
			if n == 1_000_000 {
				s.interval = time.Second
			}
			dir := synthDir(b, s)
			runtime.GC()
			stop := peakHeap()
			b.ReportAllocs()
			var w countingWriter
			start, cpu := time.Now(), cpuTime()
			for b.Loop() {
				w = countingWriter{}
				if err := Render(dir, &w, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			peak := stop()
			b.ReportMetric(float64(w.n), "page-bytes")
			b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/render")
			if used := cpuTime() - cpu; used > 0 {
				b.ReportMetric(used.Seconds()/float64(b.N), "cpu-s/render")
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
