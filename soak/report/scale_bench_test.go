package report

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
)

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
			stop := benchtest.PeakHeap()
			benchRender(b, dir)
			peak := stop()
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
