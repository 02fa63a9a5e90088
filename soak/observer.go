package soak

import (
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// An Observer holds functions a soak calls as things happen, for live
// monitoring while it runs (soak/live serves them as Prometheus metrics).
// Any field may be nil. Like net/http/httptrace's ClientTrace, it only
// watches: it cannot change what the soak does or records, and it is told
// nothing the artifacts do not also hold.
//
// The functions are called from the soak's goroutines, several at once
// (every sampled target has its own), and must not block for long: a slow
// Sample delays that target's next sample.
//
// Further fields may be added in future.
type Observer struct {
	// Start is called once per run, before the first sample, with a
	// function that returns the run's current [Live] state. That function
	// may be called from any goroutine, during the run and after it (it
	// then returns the state at the end).
	Start func(state func() Live)
	// Sample is called with every resource sample taken, its Target set;
	// a sample with Gone set means the target's root process has ended.
	Sample func(probe.Sample)
	// Iteration is called after each iteration's record is written, with
	// that record and the soak's progress.
	Iteration func(rec *artifact.Record, p Progress)
	// Service is called with up true once the service is ready, and with
	// up false once it has ended (on its own or stopped by the soak).
	Service func(name string, up bool)
}

// Live is the state of a running soak that an [Observer] reads on demand.
type Live struct {
	// Runner is the name of the runner the soak runs on, as state.json
	// records it (see [Config.Runner]).
	Runner string
	// Trends are the online monitors' current fits of the long-lived
	// targets (the soak itself, the service, added samplers), one per
	// target and metric. They are early indications, not the verdicts:
	// those are the summary's, under the configured policies, over every
	// sample of the soak.
	Trends []probe.Verdict
	// Bytes is the artifacts tree's size; MaxBytes the cap (0: none).
	Bytes, MaxBytes int64
}

// WithObserver sets the observer of a soak. Default: none. If given more
// than once, the last value wins. A Soak's option only.
func WithObserver(ob Observer) Option {
	return named("WithObserver", func(o *options) { o.observer = ob })
}

// live returns the run's current Live state.
func (r *runner) live() Live {
	used, _, _ := r.st.usage()
	l := Live{Trends: r.sm.trends(), Bytes: used, MaxBytes: int64(r.cfg.MaxBytes)}
	r.stateMu.Lock()
	if rn := r.state.Runner; rn != nil {
		l.Runner = rn.Name
	}
	r.stateMu.Unlock()
	return l
}

// observeService tells the observer, if any, that the service is up or
// has ended.
func (r *runner) observeService(name string, up bool) {
	if fn := r.o.observer.Service; fn != nil {
		fn(name, up)
	}
}
