package benchtest

import (
	"runtime/metrics"
	"sync"
	"time"
)

// PeakHeap samples the live heap (the bytes of heap objects, reachable or
// not yet swept) every millisecond from now until stop is called; stop
// returns the highest value seen, in bytes. Call stop exactly once: it ends
// the sampling goroutine.
func PeakHeap() (stop func() uint64) {
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
