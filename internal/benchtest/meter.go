package benchtest

import (
	"runtime"
	"testing"
	"time"
)

// A Meter reports what the loop of a benchmark costs besides its wall
// time. Create it with [Start] after building the benchmark's fixture, and
// call [Meter.Stop] once after the loop.
type Meter struct {
	b        *testing.B
	cpu      time.Duration
	alloc    uint64
	stopHeap func() uint64
}

// Start collects garbage, so that what building a fixture left behind does
// not count, starts sampling the live heap (see [PeakHeap]), turns on b's
// allocation report and resets b's timer.
func Start(b *testing.B) *Meter {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := &Meter{b: b, alloc: ms.TotalAlloc, stopHeap: PeakHeap()}
	b.ReportAllocs()
	b.ResetTimer()
	m.cpu = CPUTime()
	return m
}

// Stop stops b's timer and reports, per iteration of b's loop: cpu-s/op,
// the CPU time of the process (where [CPUTime] measures it), which a loaded
// machine does not inflate as it does the wall time; peak-heap-MiB, the
// highest live heap seen since Start; alloc-MiB/op; and ms/op.
func (m *Meter) Stop() {
	b := m.b
	b.StopTimer()
	if used := CPUTime() - m.cpu; used > 0 {
		b.ReportMetric(used.Seconds()/float64(b.N), "cpu-s/op")
	}
	peak := m.stopHeap()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(ms.TotalAlloc-m.alloc)/float64(b.N)/(1<<20), "alloc-MiB/op")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}
