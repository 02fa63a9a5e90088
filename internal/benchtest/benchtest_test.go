package benchtest

import (
	"runtime"
	"testing"
	"time"
)

// measured reports whether CPUTime and MaxRSS read anything here.
func measured() bool {
	return runtime.GOOS != "windows" && runtime.GOOS != "plan9" && runtime.GOOS != "js" && runtime.GOOS != "wasip1"
}

func TestCPUTimeAdvances(t *testing.T) {
	c0 := CPUTime()
	if !measured() {
		if c0 != 0 {
			t.Errorf("CPUTime() = %v on %s, want 0", c0, runtime.GOOS)
		}
		return
	}
	// Spin until the process has used more CPU time: bounded, since a
	// loaded machine may give this goroutine little of it.
	deadline := time.Now().Add(30 * time.Second)
	x := uint64(1)
	for CPUTime() <= c0 {
		for i := range 1 << 16 {
			x = x*6364136223846793005 + uint64(i)
		}
		if time.Now().After(deadline) {
			t.Fatalf("CPUTime() stayed at %v for 30 s of spinning (x=%d)", c0, x)
		}
	}
}

func TestMaxRSS(t *testing.T) {
	got := MaxRSS()
	if !measured() {
		if got != 0 {
			t.Errorf("MaxRSS() = %d on %s, want 0", got, runtime.GOOS)
		}
		return
	}
	// A Go test binary's resident set is megabytes; a unit mistake (KiB
	// taken for bytes) would show as less than one.
	if got < 1<<20 {
		t.Errorf("MaxRSS() = %d bytes, want at least 1 MiB", got)
	}
}

func TestPeakHeapSeesLiveAllocation(t *testing.T) {
	const size = 64 << 20
	buf := make([]byte, size)
	stop := PeakHeap()
	// The sampler reads the heap at least once after it starts, and buf is
	// live until stop returns.
	peak := stop()
	runtime.KeepAlive(buf)
	if peak < size {
		t.Errorf("PeakHeap() = %d bytes with %d live, want at least that", peak, size)
	}
}

// BenchmarkMeter shows a Meter's report on a loop that allocates 1 MiB an
// iteration: alloc-MiB/op and peak-heap-MiB near 1.
func BenchmarkMeter(b *testing.B) {
	m := Start(b)
	var keep []byte
	for b.Loop() {
		keep = make([]byte, 1<<20)
	}
	m.Stop()
	runtime.KeepAlive(keep)
}
