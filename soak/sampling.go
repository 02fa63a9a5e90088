package soak

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
)

// A sampling runs samplers in the background and writes their samples to
// samples.jsonl, within the byte cap (a sample that does not fit is dropped
// and counted). It remembers, per target, the last sample and the peak RSS
// since the last reset, for the iteration records.
type sampling struct {
	st       *store
	out      *jsonl.Appender
	interval time.Duration
	logger   *slog.Logger

	wg      sync.WaitGroup
	mu      sync.Mutex
	last    map[string]probe.Sample
	peak    map[string]uint64
	dropped int
	failed  int
}

func newSampling(st *store, out *jsonl.Appender, interval time.Duration, logger *slog.Logger) *sampling {
	return &sampling{st: st, out: out, interval: interval, logger: logger,
		last: map[string]probe.Sample{}, peak: map[string]uint64{}}
}

// watch samples s under label now and then every interval until stop is
// called; stop waits for the sampling goroutine to end.
func (sm *sampling) watch(label string, s probe.Sampler) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	sm.wg.Add(1)
	go func() {
		defer sm.wg.Done()
		defer close(done)
		t := time.NewTicker(sm.interval)
		defer t.Stop()
		for {
			sm.take(ctx, label, s)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); <-done }) }
}

func (sm *sampling) take(ctx context.Context, label string, s probe.Sampler) {
	smp, err := s.Sample(ctx)
	if err != nil {
		if ctx.Err() == nil {
			sm.mu.Lock()
			sm.failed++
			sm.mu.Unlock()
		}
		return
	}
	if smp.Time.IsZero() {
		smp.Time = time.Now()
	}
	smp.Target = label
	sm.mu.Lock()
	if !smp.Gone {
		sm.last[label] = smp
		sm.peak[label] = max(sm.peak[label], smp.RSS)
	}
	sm.mu.Unlock()
	if err := sm.st.appendLine(sm.out, smp); err != nil {
		sm.mu.Lock()
		sm.dropped++
		sm.mu.Unlock()
	}
}

// figures returns the figures of every target seen since the last call
// and resets the peaks; targets whose label is in drop are forgotten
// afterwards (the steps of the iteration that ended).
func (sm *sampling) figures(forget func(label string) bool) map[string]Figures {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if len(sm.last) == 0 {
		return nil
	}
	out := make(map[string]Figures, len(sm.last))
	for label, s := range sm.last {
		out[label] = Figures{RSS: s.RSS, PeakRSS: sm.peak[label], FDs: s.FDs, Threads: s.Threads,
			Procs: s.Procs, Goroutines: s.Goroutines, HeapLive: s.HeapLive}
		sm.peak[label] = s.RSS
		if forget(label) {
			delete(sm.last, label)
			delete(sm.peak, label)
		}
	}
	return out
}

// wait waits for every sampling goroutine to end.
func (sm *sampling) wait() { sm.wg.Wait() }

// selfSampler samples the soak's own process: its process figures and its
// Go runtime. For an in-process soak (Go functions as the plan) this is the
// software under test.
type selfSampler struct {
	proc *probe.ProcSampler
	rt   *probe.RuntimeSampler
}

func newSelfSampler() *selfSampler {
	return &selfSampler{proc: probe.Process(os.Getpid()), rt: probe.Runtime()}
}

func (s *selfSampler) Sample(ctx context.Context) (probe.Sample, error) {
	p, err := s.proc.Sample(ctx)
	if err != nil {
		return p, err
	}
	r, _ := s.rt.Sample(ctx)
	p.HeapLive, p.GoMemTotal, p.Goroutines, p.GCCycles = r.HeapLive, r.GoMemTotal, r.Goroutines, r.GCCycles
	return p, nil
}
