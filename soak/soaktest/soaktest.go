package soaktest

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// Environment variables read by Run.
const (
	// DurationEnv asks for a soak of that duration ("2h") when the suite
	// gives none through WithDuration.
	DurationEnv = "SOAKKIT_DURATION"
	// ArtifactsEnv sets the artifacts directory when WithArtifacts is not
	// given.
	ArtifactsEnv = "SOAKKIT_ARTIFACTS_DIR"
)

// DefaultMargin is the time kept free before the test's deadline.
const DefaultMargin = 30 * time.Second

// TestingT is the part of *testing.T that Run uses.
type TestingT interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Skip(args ...any)
	Deadline() (deadline time.Time, ok bool)
}

var _ TestingT = (*testing.T)(nil)

// An Option configures Run. Options are applied in order.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	duration  time.Duration
	soak      soak.Config
	summary   summary.Config
	artifacts string
	margin    time.Duration
	soakOpts  []soak.Option
	short     func() bool
	getenv    func(string) string
	now       func() time.Time
}

// WithDuration asks for a soak of d, typically from the suite's own flag.
// Zero means not asked: $SOAKKIT_DURATION decides. If given more than once,
// the last value wins.
func WithDuration(d time.Duration) Option { return optionFunc(func(c *config) { c.duration = d }) }

// WithConfig sets the soak's configuration (count, iteration timeout,
// keep-going, service, sampling…). Its Duration is replaced by the duration
// asked for, cut to fit the test's deadline, and an empty ArtifactsDir by
// WithArtifacts' directory. If given more than once, the last value wins.
func WithConfig(cfg soak.Config) Option { return optionFunc(func(c *config) { c.soak = cfg }) }

// WithSummary sets how the run is judged: gates, leak and slowdown
// policies. Default: summary's defaults. If given more than once, the last
// value wins.
func WithSummary(cfg summary.Config) Option { return optionFunc(func(c *config) { c.summary = cfg }) }

// WithArtifacts sets the artifacts directory. Default: $SOAKKIT_ARTIFACTS_DIR,
// else a new temporary directory that is kept (its path is logged). If given
// more than once, the last value wins.
func WithArtifacts(dir string) Option { return optionFunc(func(c *config) { c.artifacts = dir }) }

// WithMargin sets the time kept free before t.Deadline() for stopping the
// soak and writing its summary. Default: 30s, at most a quarter of the time
// left. If given more than once, the last value wins.
func WithMargin(d time.Duration) Option { return optionFunc(func(c *config) { c.margin = d }) }

// WithSoakOptions passes options to soak.New, after Run's own (a
// soak.WithProgress given here replaces Run's logging of failed
// iterations). Repeating it appends.
func WithSoakOptions(opts ...soak.Option) Option {
	return optionFunc(func(c *config) { c.soakOpts = append(c.soakOpts, opts...) })
}

// withShort replaces testing.Short (tests).
func withShort(fn func() bool) Option { return optionFunc(func(c *config) { c.short = fn }) }

// withEnv replaces os.Getenv (tests).
func withEnv(fn func(string) string) Option { return optionFunc(func(c *config) { c.getenv = fn }) }

// Run runs a soak of it as the test t and returns its summary, or nil if
// the soak was skipped or could not run. It skips the test unless a soak is
// asked for (WithDuration or $SOAKKIT_DURATION) and in -short mode; it
// plans the soak to end at t.Deadline() minus the margin, which is left for
// stopping it and writing its summary; it reports failed iterations and the
// verdict through t
// (Errorf for failures, leaks and slowdowns). Run returns only after the
// soak has ended all it started.
func Run(t TestingT, it *soak.Iteration, opts ...Option) *summary.Summary {
	t.Helper()
	c := config{margin: DefaultMargin, short: testing.Short, getenv: os.Getenv, now: time.Now}
	for _, o := range opts {
		o.apply(&c)
	}
	if c.short() {
		t.Skip("soak skipped in -short mode")
		return nil
	}
	d := c.duration
	if d <= 0 {
		v := c.getenv(DurationEnv)
		if v == "" {
			t.Skip("soak not requested: set " + DurationEnv + " (e.g. 2h) or the suite's duration flag")
			return nil
		}
		var err error
		if d, err = artifact.ParseDuration(v); err != nil {
			t.Errorf("soaktest: %s: %v", DurationEnv, err)
			return nil
		}
		if d == 0 {
			t.Skip("soak not requested: " + DurationEnv + " is 0")
			return nil
		}
	}

	ctx := context.Background()
	start := c.now()
	if dl, ok := t.Deadline(); ok {
		left := dl.Sub(start)
		margin := min(c.margin, left/4)
		avail := left - margin
		if avail < time.Second {
			t.Errorf("soaktest: only %s before the test deadline: run go test with -timeout=0 or above %s", left.Round(time.Second), (d + c.margin).Round(time.Second))
			return nil
		}
		if avail < d {
			t.Logf("soaktest: soak cut from %s to %s to end before go test's -timeout (run with -timeout=0 or above %s for the full soak)",
				d, avail.Round(time.Millisecond), (d + c.margin).Round(time.Second))
			d = avail
		}
		// A safety net behind the soak's own schedule: leave half the
		// margin for the summary whatever happens.
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-margin/2))
		defer cancel()
	}

	cfg := c.soak
	cfg.Duration = artifact.Duration(d)
	if c.artifacts != "" {
		cfg.ArtifactsDir = c.artifacts
	}
	if cfg.ArtifactsDir == "" {
		cfg.ArtifactsDir = c.getenv(ArtifactsEnv)
	}
	if cfg.ArtifactsDir == "" {
		dir, err := os.MkdirTemp("", "soaktest-")
		if err != nil {
			t.Errorf("soaktest: %v", err)
			return nil
		}
		cfg.ArtifactsDir = dir
	}
	sopts := append([]soak.Option{soak.WithProgress(func(p soak.Progress) {
		if p.Status.Failed() {
			t.Logf("soak: iteration %d %s (%d of %d failed so far)", p.Iteration, p.Status, p.Counts.Failed, p.Counts.Iterations)
		}
	})}, c.soakOpts...)
	s, err := soak.New(cfg, it, sopts...)
	if err != nil {
		t.Errorf("soaktest: %v", err)
		return nil
	}
	// A soak owns the test binary while it runs; as a child subreaper
	// (Linux) it finds whatever its steps leave behind by walking its own
	// process tree instead of scanning the host's.
	if err := step.EnableSubreaper(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		t.Logf("soaktest: no child subreaper, leftovers are searched for among all processes: %v", err)
	}
	t.Logf("soak: running for %s; artifacts in %s", d, cfg.ArtifactsDir)
	out, runErr := s.Run(ctx)
	if runErr != nil && out == nil {
		t.Errorf("soaktest: the soak could not start: %v", runErr)
		return nil
	}
	if runErr != nil && !errors.Is(runErr, context.DeadlineExceeded) {
		t.Errorf("soaktest: the soak could not do its job: %v", runErr)
	}

	sum, _, err := soak.Finish(s.Layout(), &c.summary, out)
	if err != nil {
		t.Errorf("soaktest: %v", err)
	}
	if sum == nil {
		return nil
	}
	if err := sum.WriteGitHubStepSummary(); err != nil {
		t.Logf("soaktest: job summary: %v", err)
	}
	v := sum.Verdict
	if it != nil && sum.Iterations.Iterations == 0 {
		t.Errorf("soaktest: no iteration ran in %s: the iteration timeout (%s) and stop grace must fit the duration", d,
			cmpOr(cfg.IterationTimeout.Std(), soak.DefaultIterationTimeout))
		return sum
	}
	if v.Status == summary.Passed {
		t.Logf("soak %s: %s (summary: %s)", v.Status, v.Reason, cfg.ArtifactsDir)
		return sum
	}
	t.Errorf("soak %s (exit status %d): %s\n%s\nsummary: %s", strings.ToUpper(string(v.Status)), v.ExitCode, v.Reason,
		strings.Join(v.Reasons, "\n"), cfg.ArtifactsDir)
	return sum
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
