package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// Config configures [New]. The zero value is valid: no runner label.
type Config struct {
	// Runner is the value of a runner label on every series, so that
	// several runners feeding one Prometheus or OTLP backend stay apart.
	// Default: the soak's own runner name (soak.Live.Runner), which the
	// series get from the start of the run; none if that is empty too.
	//
	// A name longer than [MaxLabelValue] bytes is shortened in the label
	// (see [LabelValue]), so that the exposition stays within the
	// metrics lint's value length; the OTLP resource carries it whole.
	Runner string
}

// MaxLabelValue is the longest runner label value, in bytes: the default
// value length of soakkit's own exposition lint (lint.expo).
const MaxLabelValue = 64

// LabelValue returns runner as the runner label shows it: unchanged up to
// [MaxLabelValue] bytes; a longer name is cut to its first 55 bytes (at a
// character boundary), then "~" and the first 8 hex digits of the SHA-256
// of the whole name, so that long names with a common prefix stay apart
// and one name always gives the same label.
func LabelValue(runner string) string {
	if len(runner) <= MaxLabelValue {
		return runner
	}
	sum := sha256.Sum256([]byte(runner))
	cut := MaxLabelValue - 9
	for cut > 0 && !utf8.RuneStart(runner[cut]) {
		cut--
	}
	return runner[:cut] + "~" + hex.EncodeToString(sum[:4])
}

// DurationBuckets are the upper bounds, in seconds, of the step duration
// histogram: 10 ms to about 3 h, roughly ×2.5 apart.
var DurationBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 150, 300, 600, 1500, 3600, 9000}

// Metrics holds a soak's live metrics. Create it with [New]; it is safe
// for concurrent use.
type Metrics struct {
	reg    *prometheus.Registry
	once   sync.Once     // registers the collectors, runner label known
	known  chan struct{} // closed once registered: the runner is known
	runner string
	iters  *prometheus.CounterVec
	steps  *prometheus.CounterVec
	durs   *prometheus.HistogramVec

	mu       sync.Mutex
	state    func() soak.Live
	last     map[string]probe.Sample // by target
	services map[string]bool
}

// New returns the Metrics of one soak, registered in a registry of their
// own (see [Metrics.Gatherer]).
func New(cfg Config) *Metrics {
	m := &Metrics{
		reg:      prometheus.NewRegistry(),
		known:    make(chan struct{}),
		last:     map[string]probe.Sample{},
		services: map[string]bool{},
		iters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "soakkit_iterations_total",
			Help: "Iterations recorded, by result (the iteration's status)."}, []string{"result"}),
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "soakkit_steps_total",
			Help: "Step runs by step and status; cut means the soak's end stopped the step."}, []string{"step", "status"}),
		durs: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "soakkit_step_duration_seconds",
			Help: "Durations of the step runs that were neither skipped nor cut.", Buckets: DurationBuckets}, []string{"step"}),
	}
	for _, s := range []artifact.IterStatus{artifact.IterPassed, artifact.IterFailed, artifact.IterTimedOut} {
		m.iters.WithLabelValues(string(s)) // present at zero, so that rates start at once
	}
	if cfg.Runner != "" {
		m.register(cfg.Runner)
	}
	return m
}

// register registers the collectors, with a runner label if runner is
// set, the first time it is called. Without a Config.Runner, that is when
// the soak starts and says its runner's name: the label is constant, so
// nothing is exposed before (nothing has happened either).
func (m *Metrics) register(runner string) {
	m.once.Do(func() {
		var r prometheus.Registerer = m.reg
		if runner != "" {
			r = prometheus.WrapRegistererWith(prometheus.Labels{"runner": LabelValue(runner)}, r)
		}
		r.MustRegister(m.iters, m.steps, m.durs, collector{m})
		m.mu.Lock()
		m.runner = runner
		m.mu.Unlock()
		close(m.known)
	})
}

// Gatherer returns the registry the metrics are in, for a caller that
// exposes or pushes them its own way.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Handler returns the HTTP handler of the exposition (promhttp).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Observer returns the soak.Observer that feeds m; give it to soak.New
// with soak.WithObserver.
func (m *Metrics) Observer() soak.Observer {
	return soak.Observer{Start: m.start, Sample: m.sample, Iteration: m.iteration, Service: m.service}
}

func (m *Metrics) start(state func() soak.Live) {
	m.mu.Lock()
	m.state = state
	m.mu.Unlock()
	m.register(state().Runner)
}

func (m *Metrics) sample(s probe.Sample) {
	m.register("")
	m.mu.Lock()
	defer m.mu.Unlock()
	if s.Gone {
		delete(m.last, s.Target)
		return
	}
	m.last[s.Target] = s
}

func (m *Metrics) service(name string, up bool) {
	m.register("")
	m.mu.Lock()
	m.services[name] = up
	m.mu.Unlock()
}

func (m *Metrics) iteration(rec *artifact.Record, _ soak.Progress) {
	m.register("")
	m.iters.WithLabelValues(string(rec.Status)).Inc()
	var add func(prefix string, steps []artifact.StepRecord)
	add = func(prefix string, steps []artifact.StepRecord) {
		for i := range steps {
			st := &steps[i]
			name := prefix + st.Name
			status := string(st.Status)
			if rec.StepCut(st) {
				status = "cut"
			}
			m.steps.WithLabelValues(name, status).Inc()
			if status != "cut" && st.Status != step.Skipped {
				m.durs.WithLabelValues(name).Observe(float64(st.DurationMS) / 1000)
			}
			add(name+"/", st.Steps)
		}
	}
	add("", rec.Steps)
	// The iteration's step trees have ended: their targets are gone.
	m.mu.Lock()
	maps.DeleteFunc(m.last, func(target string, _ probe.Sample) bool { return artifact.IsStep(target) })
	m.mu.Unlock()
}

// Serve serves the exposition at /metrics on ln until ctx is done, then
// shuts the server down, letting scrapes in flight finish for up to 5
// seconds, and closes ln. It returns nil after a clean shutdown, else the
// server's error.
func (m *Metrics) Serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("live: serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("live: shut down %s: %w", ln.Addr(), err)
	}
	return nil
}

var (
	rssDesc = prometheus.NewDesc("soakkit_resident_memory_bytes",
		"Latest resident set size of each sampled target (summed over a process tree).", []string{"target"}, nil)
	fdsDesc = prometheus.NewDesc("soakkit_open_fds",
		"Latest open file descriptors of each sampled target (handles on Windows).", []string{"target"}, nil)
	threadsDesc = prometheus.NewDesc("soakkit_threads",
		"Latest OS threads of each sampled target.", []string{"target"}, nil)
	procsDesc = prometheus.NewDesc("soakkit_processes",
		"Latest number of processes in each sampled target's tree.", []string{"target"}, nil)
	slopeBytesDesc = prometheus.NewDesc("soakkit_resource_slope_bytes_per_second",
		"Online fitted trend of a size of a long-lived target; an early indication, not the leak verdict.", []string{"target", "resource"}, nil)
	slopeDesc = prometheus.NewDesc("soakkit_resource_slope_per_second",
		"Online fitted trend of a count of a long-lived target; an early indication, not the leak verdict.", []string{"target", "resource"}, nil)
	bytesDesc = prometheus.NewDesc("soakkit_artifact_bytes",
		"Size of the soak's artifacts tree.", nil, nil)
	limitDesc = prometheus.NewDesc("soakkit_artifact_limit_bytes",
		"Cap on the size of the soak's artifacts tree.", nil, nil)
	upDesc = prometheus.NewDesc("soakkit_service_up",
		"1 while the service under test runs, 0 once it has ended.", []string{"service"}, nil)
)

// collector reads the state that changes between scrapes: the latest
// samples, the service and the soak's Live state.
type collector struct{ m *Metrics }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{rssDesc, fdsDesc, threadsDesc, procsDesc, slopeBytesDesc, slopeDesc, bytesDesc, limitDesc, upDesc} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	m := c.m
	m.mu.Lock()
	last := maps.Clone(m.last)
	services := maps.Clone(m.services)
	state := m.state
	m.mu.Unlock()
	for _, target := range slices.Sorted(maps.Keys(last)) {
		s := last[target]
		if s.Procs == 0 {
			continue // not a process target (a host sampler)
		}
		ch <- prometheus.MustNewConstMetric(rssDesc, prometheus.GaugeValue, float64(s.RSS), target)
		ch <- prometheus.MustNewConstMetric(fdsDesc, prometheus.GaugeValue, float64(s.FDs), target)
		ch <- prometheus.MustNewConstMetric(threadsDesc, prometheus.GaugeValue, float64(s.Threads), target)
		ch <- prometheus.MustNewConstMetric(procsDesc, prometheus.GaugeValue, float64(s.Procs), target)
	}
	for _, name := range slices.Sorted(maps.Keys(services)) {
		up := 0.0
		if services[name] {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, up, name)
	}
	if state == nil {
		return
	}
	live := state()
	ch <- prometheus.MustNewConstMetric(bytesDesc, prometheus.GaugeValue, float64(live.Bytes))
	if live.MaxBytes > 0 {
		ch <- prometheus.MustNewConstMetric(limitDesc, prometheus.GaugeValue, float64(live.MaxBytes))
	}
	for _, v := range live.Trends {
		if !v.Fitted() {
			continue
		}
		// Verdict slopes are per hour, sizes in MiB.
		switch v.Metric.Unit() {
		case "B":
			ch <- prometheus.MustNewConstMetric(slopeBytesDesc, prometheus.GaugeValue, v.Slope*probe.MiB/3600, v.Target, string(v.Metric))
		case "":
			ch <- prometheus.MustNewConstMetric(slopeDesc, prometheus.GaugeValue, v.Slope/3600, v.Target, string(v.Metric))
		}
	}
}
