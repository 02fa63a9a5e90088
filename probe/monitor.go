package probe

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A Sink receives every sample a [Monitor] takes, for example a
// [JSONLSink] writing samples.jsonl. Append is called from the goroutine
// that took the sample: [Monitor.Run]'s, or a [Monitor.SampleNow] caller's,
// so a Monitor whose SampleNow is called while it runs needs a Sink that is
// safe for concurrent use. An error is counted, never fatal.
type Sink interface {
	Append(v any) error
}

// A Monitor samples one target at a fixed interval under a context, streams
// every sample to an optional [Sink], keeps bounded per-metric aggregates,
// runs the online leak checks and applies ceilings. Create one with
// [NewMonitor] and start it with [Monitor.Run].
//
// Sampling happens on the goroutine that calls Run, never on the observed
// work's goroutines. A sample that takes longer than the interval is counted
// as slow (ticks it overlaps are skipped, not queued); a sample that fails is
// counted as failed. Neither stops the Monitor.
//
// The methods other than Run may be called concurrently with Run, for
// example to read [Monitor.Verdicts] while sampling goes on.
type Monitor struct {
	target   string
	sampler  Sampler
	cfg      monitorConfig
	mu       sync.Mutex
	running  bool
	stats    MonitorStats
	trackers []*Tracker
	alarms   []Alarm
	last     Sample
	hasLast  bool
}

// MonitorStats counts what a Monitor did.
type MonitorStats struct {
	Samples    int           `json:"samples"`     // samples taken, failed ones excluded
	Slow       int           `json:"slow"`        // samples that took longer than the interval
	Failed     int           `json:"failed"`      // samples whose Sampler returned an error
	SinkErrors int           `json:"sink_errors"` // samples the Sink refused
	Gone       int           `json:"gone"`        // samples whose root process no longer existed
	Restarts   int           `json:"restarts"`    // times the root pid named a new process
	MaxTook    time.Duration `json:"max_took_ns"` // slowest sample
	LastError  string        `json:"last_error,omitempty"`
}

// An Option configures a [Monitor]. Options are applied in order.
type Option interface{ apply(*monitorConfig) }

type optionFunc func(*monitorConfig)

func (f optionFunc) apply(c *monitorConfig) { f(c) }

type monitorConfig struct {
	interval time.Duration
	sink     Sink
	policies map[Metric]Policy
	onAlarm  func(Alarm)
	onSample func(Sample)
}

// WithInterval sets the time between samples. Default: 1s. If given more
// than once, the last value wins. Values below 10ms are raised to 10ms.
func WithInterval(d time.Duration) Option {
	return optionFunc(func(c *monitorConfig) { c.interval = max(d, 10*time.Millisecond) })
}

// WithSink sends every sample (with its Target label set) to s. Default:
// none. If given more than once, the last value wins.
func WithSink(s Sink) Option { return optionFunc(func(c *monitorConfig) { c.sink = s }) }

// WithPolicy sets the policy for metric m, replacing its default; a metric
// with a policy is tracked and analyzed. Repeating it for other metrics adds
// them; for the same metric the last value wins.
func WithPolicy(m Metric, p Policy) Option {
	return optionFunc(func(c *monitorConfig) { c.policies[m] = p })
}

// WithoutMetric stops metric m from being tracked and analyzed. It is
// still written to the Sink.
func WithoutMetric(m Metric) Option {
	return optionFunc(func(c *monitorConfig) { delete(c.policies, m) })
}

// WithAlarm calls fn, from the goroutine that took the sample (see
// [Sink]), whenever a metric raises an alarm (an online leak check
// persisted, or a ceiling was crossed). fn must not block for long.
// Default: none; the alarms are also available from [Monitor.Alarms]. If
// given more than once, the last value wins.
func WithAlarm(fn func(Alarm)) Option { return optionFunc(func(c *monitorConfig) { c.onAlarm = fn }) }

// WithSampleHook calls fn, from the goroutine that took the sample (see
// [Sink]), with every sample taken (after the Sink). Default: none. If
// given more than once, the last value wins.
func WithSampleHook(fn func(Sample)) Option {
	return optionFunc(func(c *monitorConfig) { c.onSample = fn })
}

// NewMonitor returns a Monitor of s labelled target (for example "service"
// or "step:tests"). By default it tracks the metrics in [DefaultPolicies]
// with their default policies, samples every second and writes nowhere.
func NewMonitor(target string, s Sampler, opts ...Option) *Monitor {
	if s == nil {
		panic("probe: NewMonitor with a nil Sampler")
	}
	cfg := monitorConfig{interval: time.Second, policies: DefaultPolicies()}
	for _, o := range opts {
		o.apply(&cfg)
	}
	m := &Monitor{target: target, sampler: s, cfg: cfg}
	for _, metric := range sortedMetrics(cfg.policies) {
		m.trackers = append(m.trackers, NewTracker(metric, cfg.policies[metric]))
	}
	return m
}

// ErrRunning is returned by [Monitor.Run] when the Monitor is already
// running.
var ErrRunning = errors.New("probe: monitor already running")

// Run samples immediately and then every interval until ctx is done, and
// returns nil then. It returns [ErrRunning] if the Monitor is already
// running. A Monitor may be run again after Run returns; its aggregates
// continue.
func (m *Monitor) Run(ctx context.Context) error {
	m.mu.Lock()
	if m.running {
		m.mu.Unlock()
		return ErrRunning
	}
	m.running = true
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.running = false
		m.mu.Unlock()
	}()
	t := time.NewTicker(m.cfg.interval)
	defer t.Stop()
	for {
		m.sampleOnce(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// SampleNow takes one sample and records it as Run would. It is useful to
// take a final sample at a known point (for example right after an
// iteration) and for callers that drive sampling themselves. Calling it
// while Run is running requires a Sampler that is safe for concurrent use,
// as this package's samplers are, and the Sink and hooks are then called
// from both goroutines.
func (m *Monitor) SampleNow(ctx context.Context) (Sample, error) { return m.sampleOnce(ctx) }

func (m *Monitor) sampleOnce(ctx context.Context) (Sample, error) {
	if ctx.Err() != nil {
		return Sample{}, context.Cause(ctx)
	}
	sctx, cancel := context.WithTimeout(ctx, 4*m.cfg.interval)
	start := time.Now()
	s, err := m.sampler.Sample(sctx)
	cancel()
	took := time.Since(start)
	s.Target = m.target
	if s.Time.IsZero() {
		s.Time = start
	}
	m.mu.Lock()
	if took > m.cfg.interval {
		m.stats.Slow++
	}
	m.stats.MaxTook = max(m.stats.MaxTook, took)
	if err != nil && ctx.Err() != nil {
		m.mu.Unlock()
		return s, context.Cause(ctx) // interrupted by the end of the run: not a failure
	}
	if err != nil {
		m.stats.Failed++
		m.stats.LastError = err.Error()
		m.mu.Unlock()
		return s, err
	}
	m.stats.Samples++
	if s.Gone {
		m.stats.Gone++
	}
	var raised []Alarm
	if s.Restart {
		m.stats.Restarts++
		for _, tr := range m.trackers {
			tr.Restart(s.Time)
		}
	}
	for _, tr := range m.trackers {
		v, ok := s.Value(tr.metric)
		if !ok {
			continue
		}
		if a, ok := tr.Add(s.Time, v); ok {
			a.Target = m.target
			raised = append(raised, a)
		}
	}
	if s.MaxFDPct >= 80 {
		if tr := m.tracker(FDs); tr != nil && tr.fdLimitAlarm() {
			raised = append(raised, Alarm{Target: m.target, Metric: FDs, Time: s.Time, Kind: AlarmCeiling,
				Value: float64(s.FDs), Reason: fdPctReason(s.MaxFDPct)})
		}
	}
	m.alarms = append(m.alarms, raised...)
	m.last, m.hasLast = s, true
	m.mu.Unlock()

	if m.cfg.sink != nil {
		if err := m.cfg.sink.Append(s); err != nil {
			m.mu.Lock()
			m.stats.SinkErrors++
			m.stats.LastError = err.Error()
			m.mu.Unlock()
		}
	}
	if m.cfg.onSample != nil {
		m.cfg.onSample(s)
	}
	if m.cfg.onAlarm != nil {
		for _, a := range raised {
			m.cfg.onAlarm(a)
		}
	}
	return s, nil
}

func (m *Monitor) tracker(metric Metric) *Tracker {
	for _, tr := range m.trackers {
		if tr.metric == metric {
			return tr
		}
	}
	return nil
}

// Target returns the Monitor's label.
func (m *Monitor) Target() string { return m.target }

// Stats returns the Monitor's counters.
func (m *Monitor) Stats() MonitorStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stats
}

// Last returns the most recent successful sample and whether there is one.
func (m *Monitor) Last() (Sample, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.last, m.hasLast
}

// Alarms returns the alarms raised so far, oldest first.
func (m *Monitor) Alarms() []Alarm {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Alarm(nil), m.alarms...)
}

// Verdicts returns the end-of-run verdict of every tracked metric as of the
// last sample, in metric-name order. Metrics never observed are omitted.
func (m *Monitor) Verdicts() []Verdict {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Verdict
	for _, tr := range m.trackers {
		if tr.Len() == 0 {
			continue
		}
		v := tr.Verdict()
		v.Target = m.target
		out = append(out, v)
	}
	return out
}

// Tracker returns the tracker of metric, or nil if it is not tracked. The
// Tracker is shared with the running Monitor: call its methods only after
// Run has returned.
func (m *Monitor) Tracker(metric Metric) *Tracker {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tracker(metric)
}
