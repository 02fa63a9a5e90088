package notify

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

// An Option configures an Alerter. Options are applied in order.
type Option interface{ apply(*Alerter) }

type optionFunc func(*Alerter)

func (f optionFunc) apply(a *Alerter) { f(a) }

// WithHTTPClient sets the client requests go through. Default: a client
// with no overall timeout (each attempt has Config.Timeout). If given more
// than once, the last value wins.
func WithHTTPClient(c *http.Client) Option { return optionFunc(func(a *Alerter) { a.s.client = c }) }

// WithLogger sets the logger that receives one record per failed delivery
// attempt (never with a secret). Default: discard. If given more than once,
// the last value wins.
func WithLogger(l *slog.Logger) Option { return optionFunc(func(a *Alerter) { a.s.logger = l }) }

// WithArtifacts names the artifacts root of the soak, from whose
// iterations.jsonl failure alerts take the failed iteration's reason.
// Default: none (the alert gives the iteration and the counts only).
func WithArtifacts(root string) Option { return optionFunc(func(a *Alerter) { a.root = root }) }

// withEnv replaces os.Getenv (tests).
func withEnv(fn func(string) string) Option { return optionFunc(func(a *Alerter) { a.getenv = fn }) }

// withClock replaces time.Now (tests).
func withClock(fn func() time.Time) Option { return optionFunc(func(a *Alerter) { a.now = fn }) }

// withBackoff sets the first retry pause (tests). Default: 1s.
func withBackoff(d time.Duration) Option { return optionFunc(func(a *Alerter) { a.s.backoff = d }) }

// An Alerter sends a soak's alerts to its notifiers: failure alerts from
// [Alerter.Iteration], throttled, delivered on a background goroutine, and
// the end-of-run alert from [Alerter.End]. Create one with New and Close it
// when done. Its methods may be called concurrently.
type Alerter struct {
	cfg    Config
	ns     []Notifier
	s      sender
	root   string
	getenv func(string) string
	now    func() time.Time
	every  time.Duration

	mu         sync.Mutex
	lastSent   time.Time
	suppressed int
	queue      []*Message
	running    bool
	idle       chan struct{} // closed when the running deliverer has emptied the queue
	errs       []error
	closed     bool
	wg         sync.WaitGroup
}

// New returns an Alerter for cfg. It reads the notifiers' secrets from the
// environment now; a missing one is an error wrapping ErrNoSecret that names
// the variable, never a value.
func New(cfg Config, opts ...Option) (*Alerter, error) {
	a := &Alerter{cfg: cfg, getenv: env(), now: time.Now,
		s: sender{client: &http.Client{}, timeout: cfg.Timeout.Std(), retries: cfg.Retries, backoff: time.Second,
			logger: slog.New(slog.DiscardHandler)}}
	for _, o := range opts {
		o.apply(a)
	}
	if a.s.timeout == 0 {
		a.s.timeout = DefaultTimeout
	}
	if cfg.Retries == 0 {
		a.s.retries = DefaultRetries
	}
	a.every = cfg.Every.Std()
	if a.every == 0 {
		a.every = DefaultEvery
	}
	ns, err := cfg.notifiers(a.getenv)
	if err != nil {
		return nil, err
	}
	a.ns = ns
	return a, nil
}

// Iteration reports the end of iteration n with its status and the soak's
// counts after it; call it from the soak's progress hook
// (soak.WithProgress). A failed iteration raises a failure alert at once if
// it is the first, or if Config.Every has passed since the last one;
// otherwise it is counted in the next alert's Suppressed. It never blocks:
// the alert is delivered on the Alerter's goroutine.
func (a *Alerter) Iteration(n int, status artifact.IterStatus, counts artifact.Counts) {
	if !status.Failed() || len(a.ns) == 0 {
		return
	}
	now := a.now()
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	if !a.lastSent.IsZero() && now.Sub(a.lastSent) < a.every {
		a.suppressed++
		a.mu.Unlock()
		return
	}
	a.lastSent = now
	m := &Message{Kind: KindFailure, Status: string(status), Iteration: n, Counts: counts,
		Suppressed: a.suppressed, Link: a.cfg.Link, Time: now.UTC()}
	a.suppressed = 0
	a.mu.Unlock()

	m.Reason = a.reason(n) // reads iterations.jsonl: not under the lock
	m.Text = failureText(m)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	a.queue = append(a.queue, m)
	if !a.running {
		a.running = true
		a.idle = make(chan struct{})
		a.wg.Add(1)
		go a.deliver()
	}
}

// deliver sends queued messages until the queue is empty.
func (a *Alerter) deliver() {
	defer a.wg.Done()
	for {
		a.mu.Lock()
		if len(a.queue) == 0 {
			a.running = false
			close(a.idle)
			a.mu.Unlock()
			return
		}
		m := a.queue[0]
		a.queue = a.queue[1:]
		a.mu.Unlock()
		// A failure alert is bounded by its retries, not by the soak's
		// context: it must not be cut by the signal that stops the run.
		err := a.sendAll(context.Background(), m)
		if err != nil {
			a.mu.Lock()
			a.errs = append(a.errs, err)
			a.mu.Unlock()
		}
	}
}

// sendAll sends m through every notifier, concurrently, and joins the
// errors.
func (a *Alerter) sendAll(ctx context.Context, m *Message) error {
	errs := make([]error, len(a.ns))
	var wg sync.WaitGroup
	for i, n := range a.ns {
		wg.Go(func() { errs[i] = a.s.send(ctx, n, m) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// End waits for the failure alerts in flight, then sends the end-of-run
// alert with s's verdict through every notifier, and returns the errors of
// every delivery that failed during the run (failure alerts included),
// joined: each a *SendError. ctx bounds the wait and the final alert; if it
// ends while failure alerts are still being delivered, End returns its
// cause without sending the end alert (Close still waits for them).
func (a *Alerter) End(ctx context.Context, s *summary.Summary) error {
	if err := a.wait(ctx); err != nil {
		return err
	}
	a.mu.Lock()
	errs := a.errs
	a.errs = nil
	a.mu.Unlock()
	if len(a.ns) == 0 {
		return nil
	}
	m := &Message{Kind: KindEnd, Status: string(s.Verdict.Status), Counts: s.Iterations.Counts,
		Reason: s.Verdict.Reason, Link: a.cfg.Link, Time: a.now().UTC()}
	m.Text = endText(m, s)
	return errors.Join(append(errs, a.sendAll(ctx, m))...)
}

func (a *Alerter) wait(ctx context.Context) error {
	// No goroutine of its own: one blocked on the deliverer would outlive
	// an End that gave up.
	for {
		a.mu.Lock()
		running, idle := a.running, a.idle
		a.mu.Unlock()
		if !running {
			return nil
		}
		select {
		case <-idle:
		case <-ctx.Done():
			return fmt.Errorf("notify: waiting for alerts in flight: %w", context.Cause(ctx))
		}
	}
}

// Close stops accepting failure alerts and waits for the ones in flight
// (each bounded by its timeout and retries). It returns nil.
func (a *Alerter) Close() error {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.wg.Wait()
	return nil
}

// reason returns the reason recorded for iteration n, if the artifacts
// root is known and the record is there.
func (a *Alerter) reason(n int) string {
	if a.root == "" {
		return ""
	}
	var reason string
	for r, err := range artifact.Records(artifact.Layout{Root: a.root}.Iterations()) {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				a.s.logger.Warn("alert: cannot read the iteration's reason", "err", err)
			}
			break
		}
		if r.Iteration == n {
			reason = r.Reason
		}
	}
	return reason
}

func failureText(m *Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "SOAK FAILURE: iteration %d %s", m.Iteration, strings.ReplaceAll(m.Status, "_", " "))
	if m.Reason != "" {
		fmt.Fprintf(&b, ": %s", firstLine(m.Reason))
	}
	fmt.Fprintf(&b, "\n%d of %d iterations failed so far", m.Counts.Failed, m.Counts.Iterations)
	if m.Suppressed > 0 {
		fmt.Fprintf(&b, "; %d more failures since the last alert", m.Suppressed)
	}
	if m.Link != "" {
		fmt.Fprintf(&b, "\n%s", m.Link)
	}
	return b.String()
}

func endText(m *Message, s *summary.Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "SOAK %s: %s", strings.ToUpper(m.Status), firstLine(m.Reason))
	fmt.Fprintf(&b, "\niterations: %s; exit status %d", s.Iterations.String(), s.ExitCode())
	if m.Link != "" {
		fmt.Fprintf(&b, "\n%s", m.Link)
	}
	return b.String()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}
