package soak

import (
	"context"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// A sampling runs a [probe.Monitor] per target and streams every sample to
// samples.jsonl within the byte cap (a sample that does not fit is dropped
// and counted by the Monitor as a sink error). It remembers, per target, the
// last sample and the peak RSS since the last reset for the iteration
// records, and logs and keeps the Monitors' online alarms.
type sampling struct {
	sink     sink
	interval time.Duration
	logger   *slog.Logger

	wg     sync.WaitGroup
	mu     sync.Mutex
	last   map[string]probe.Sample
	peak   map[string]uint64
	alarms []probe.Alarm
	// monitors are those of the long-lived targets, for their trends;
	// onSample, if set, is given every sample (an Observer's).
	monitors map[string]*probe.Monitor
	onSample func(probe.Sample)
}

// sink is a probe.Sink writing to samples.jsonl through the store.
type sink struct {
	st  *store
	out *jsonl.Appender
}

func (s sink) Append(v any) error { return s.st.appendLine(s.out, v) }

func newSampling(st *store, out *jsonl.Appender, interval time.Duration, logger *slog.Logger, onSample func(probe.Sample)) *sampling {
	return &sampling{sink: sink{st, out}, interval: interval, logger: logger,
		last: map[string]probe.Sample{}, peak: map[string]uint64{}, monitors: map[string]*probe.Monitor{}, onSample: onSample}
}

// watch samples s under label now and then every interval until stop is
// called; stop waits for the sampling goroutine to end. Targets whose label
// starts with "step:" are short-lived and left out of the verdicts.
func (sm *sampling) watch(label string, s probe.Sampler) (stop func()) {
	m := probe.NewMonitor(label, s,
		probe.WithInterval(sm.interval),
		probe.WithSink(sm.sink),
		probe.WithSampleHook(func(smp probe.Sample) {
			sm.record(label, smp)
			if sm.onSample != nil {
				sm.onSample(smp)
			}
		}),
		probe.WithAlarm(func(a probe.Alarm) {
			sm.mu.Lock()
			sm.alarms = append(sm.alarms, a)
			sm.mu.Unlock()
			sm.logger.Warn("resource alarm", "target", a.Target, "metric", a.Metric, "kind", a.Kind, "value", a.Value, "reason", a.Reason)
		}),
	)
	if !artifact.IsStep(label) {
		sm.mu.Lock()
		sm.monitors[label] = m
		sm.mu.Unlock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	sm.wg.Add(1)
	go func() {
		defer sm.wg.Done()
		defer close(done)
		m.Run(ctx)
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); <-done }) }
}

func (sm *sampling) record(label string, smp probe.Sample) {
	if smp.Gone {
		return
	}
	sm.mu.Lock()
	sm.last[label] = smp
	sm.peak[label] = max(sm.peak[label], smp.RSS)
	sm.mu.Unlock()
}

// figures returns the figures of every target seen so far and resets the
// peaks; targets for which forget is true are dropped afterwards (the steps
// of the iteration that ended).
func (sm *sampling) figures(forget func(label string) bool) map[string]artifact.Figures {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	if len(sm.last) == 0 {
		return nil
	}
	out := make(map[string]artifact.Figures, len(sm.last))
	for label, s := range sm.last {
		out[label] = artifact.Figures{RSS: s.RSS, PeakRSS: sm.peak[label], FDs: s.FDs, Threads: s.Threads,
			Procs: s.Procs, Goroutines: s.Goroutines, HeapLive: s.HeapLive}
		sm.peak[label] = s.RSS
		if forget(label) {
			delete(sm.last, label)
			delete(sm.peak, label)
		}
	}
	return out
}

// verdicts returns the end-of-run verdicts of the long-lived targets and
// the alarms raised, oldest first.
func (sm *sampling) alarmsRaised() []probe.Alarm {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	return slices.Clone(sm.alarms)
}

// trends returns the online monitors' current fits of the long-lived
// targets, in target order.
func (sm *sampling) trends() []probe.Verdict {
	sm.mu.Lock()
	labels := slices.Sorted(maps.Keys(sm.monitors))
	ms := make([]*probe.Monitor, len(labels))
	for i, l := range labels {
		ms[i] = sm.monitors[l]
	}
	sm.mu.Unlock()
	var out []probe.Verdict
	for _, m := range ms {
		out = append(out, m.Verdicts()...)
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

// latest returns the latest figures of every target seen so far, without
// resetting the peaks that the next iteration record reports.
func (sm *sampling) latest() map[string]artifact.Figures {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	out := make(map[string]artifact.Figures, len(sm.last))
	for label, s := range sm.last {
		out[label] = artifact.Figures{RSS: s.RSS, PeakRSS: sm.peak[label], FDs: s.FDs, Threads: s.Threads,
			Procs: s.Procs, Goroutines: s.Goroutines, HeapLive: s.HeapLive}
	}
	return out
}
