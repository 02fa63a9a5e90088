package probe

import (
	"context"
	"runtime/metrics"
	"sync"
	"time"
)

// A RuntimeSampler samples the current Go process through runtime/metrics:
// live heap, total runtime memory, goroutines and GC cycles. It never calls
// runtime.ReadMemStats, which stops the world. Create one with [Runtime].
type RuntimeSampler struct {
	mu      sync.Mutex
	samples []metrics.Sample
}

const (
	mHeapLive   = "/gc/heap/live:bytes"
	mMemTotal   = "/memory/classes/total:bytes"
	mGoroutines = "/sched/goroutines:goroutines"
	mGCCycles   = "/gc/cycles/total:gc-cycles"
)

// Runtime returns a sampler of the current Go process's runtime.
func Runtime() *RuntimeSampler {
	names := []string{mHeapLive, mMemTotal, mGoroutines, mGCCycles}
	r := &RuntimeSampler{}
	for _, n := range names {
		r.samples = append(r.samples, metrics.Sample{Name: n})
	}
	return r
}

// Sample reads the runtime metrics. It never fails.
func (r *RuntimeSampler) Sample(context.Context) (Sample, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	start := time.Now()
	metrics.Read(r.samples)
	s := Sample{Time: start}
	for _, m := range r.samples {
		if m.Value.Kind() != metrics.KindUint64 {
			continue // unsupported by this toolchain
		}
		v := m.Value.Uint64()
		switch m.Name {
		case mHeapLive:
			s.HeapLive = v
		case mMemTotal:
			s.GoMemTotal = v
		case mGoroutines:
			s.Goroutines = int(v)
		case mGCCycles:
			s.GCCycles = v
		}
	}
	s.Took = time.Since(start)
	return s, nil
}
