package soak

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/soakkit/soakkit/internal/boundary"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/secrets"
)

// An Option configures a [Soak], [Validate] or [Iteration.RunStep]. Options
// are applied in order; a slice of options is an option too. Each option's
// documentation says which entry points honour it; the others reject it
// with an error rather than ignore it.
type Option interface{ apply(*options) }

// Options is a list of options applied in order.
type Options []Option

func (os Options) apply(o *options) {
	for _, opt := range os {
		if opt != nil {
			opt.apply(o)
		}
	}
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// named returns an option called name (for the error of an entry point
// that does not honour it) that applies f.
func named(name string, f func(*options)) Option {
	return optionFunc(func(o *options) {
		o.given = append(o.given, name)
		f(o)
	})
}

// only returns an error naming every option given that entry does not
// honour (those not in honoured).
func (o *options) only(entry string, honoured ...string) error {
	var bad []string
	for _, n := range o.given {
		if !slices.Contains(honoured, n) && !slices.Contains(bad, n) {
			bad = append(bad, n)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("soak: %s does not honour %s", entry, strings.Join(bad, ", "))
	}
	return nil
}

type options struct {
	heartbeat time.Duration
	logger    *slog.Logger
	samplers  []labeled
	progress  func(Progress)
	start     func(Plan)
	redact    func(io.Writer) io.WriteCloser
	version   string
	clock     clock
	env       *probe.EnvOptions
	noEnv     bool
	fault     func(path string) error
	caller    json.RawMessage
	observer  Observer
	given     []string // names of the exported options applied, for only
}

type labeled struct {
	label string
	s     probe.Sampler
}

func newOptions(opts []Option) options {
	o := options{heartbeat: DefaultHeartbeat, clock: realClock{}}
	Options(opts).apply(&o)
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	} else {
		// Log records carry argv, errors and paths: they pass the same
		// redaction as the artifacts.
		o.logger = slog.New(secrets.NewHandler(o.logger.Handler(), nil))
	}
	if o.redact == nil {
		o.redact = boundary.Writer
	}
	return o
}

// WithHeartbeat sets the pause between iterations. Default: 5s. Zero means
// no pause; a negative value makes [New] fail rather than being replaced.
// If given more than once, the last value wins. A Soak's option only.
func WithHeartbeat(d time.Duration) Option {
	return named("WithHeartbeat", func(o *options) { o.heartbeat = d })
}

// WithLogger sets the logger that receives one record per iteration and the
// soak's lifecycle events; it is also given to steps. Its records are
// redacted (see secrets.NewHandler) before they reach it. Default: discard.
// If given more than once, the last value wins. Honoured by [New] and
// [Validate]; [Iteration.RunStep] logs to its writer instead.
func WithLogger(l *slog.Logger) Option { return named("WithLogger", func(o *options) { o.logger = l }) }

// WithSampler adds a sampler sampled for the whole soak under label (for
// example probe.Host(dir) as "host"). The soak always samples its own process
// as "self" and the service, if any, under its name. Repeating it appends.
// A Soak's option only.
func WithSampler(label string, s probe.Sampler) Option {
	return named("WithSampler", func(o *options) { o.samplers = append(o.samplers, labeled{label, s}) })
}

// WithProgress sets a function called after every iteration with the soak's
// progress, for a live display. It is called from the soak's goroutine and
// must not block for long. If given more than once, the last value wins.
// A Soak's option only.
func WithProgress(fn func(Progress)) Option {
	return named("WithProgress", func(o *options) { o.progress = fn })
}

// WithStart sets a function called once the soak knows its [Plan], before
// the service starts and the first iteration runs, so that a user can be
// told what will happen. It is called from the soak's goroutine. If given
// more than once, the last value wins.
func WithStart(fn func(Plan)) Option { return optionFunc(func(o *options) { o.start = fn }) }

// WithRedactor sets the redaction wrapped around every log writer of the
// steps (see step.Runtime.Redact) and around the service's output, which
// reaches its log and [artifact.ServiceExit.Tail] only redacted. Default:
// the redaction every artifact passes, a rules-only secrets.Redactor. If
// given more than once, the last value wins. Honoured by every entry
// point.
func WithRedactor(fn func(io.Writer) io.WriteCloser) Option {
	return named("WithRedactor", func(o *options) { o.redact = fn })
}

// WithVersion sets the version of the software under test written in
// reports (runtime.version). Default: none. Honoured by [New] and
// [Validate].
func WithVersion(v string) Option { return named("WithVersion", func(o *options) { o.version = v }) }

// WithEnvSnapshot sets the options of the environment snapshot written to
// env.json when a soak starts (pass secrets.Redact as opts.Redact). Default:
// probe's defaults, with the disk of the artifacts directory. If given more
// than once, the last value wins. A Soak's option only.
func WithEnvSnapshot(opts probe.EnvOptions) Option {
	return named("WithEnvSnapshot", func(o *options) { o.env = &opts })
}

// WithCaller stores settings, the caller's own (for example the command
// line that started the soak: where its plan came from, flags that are not
// the engine's), in state.json, where a later resume finds them
// ([ReadCheckpoint]). They must be JSON. Default: none. If given more than
// once, the last value wins. A Soak's option only.
func WithCaller(settings json.RawMessage) Option {
	return named("WithCaller", func(o *options) { o.caller = settings })
}

// withoutEnv skips the environment snapshot (it runs go list and git, which
// fake-clock tests do not need).
func withoutEnv() Option { return optionFunc(func(o *options) { o.noEnv = true }) }

// withWriteFault makes every artifact write of a soak first ask fn, and
// fail with its error if it returns one: tests fail the Nth write with
// ENOSPC through it.
func withWriteFault(fn func(path string) error) Option {
	return optionFunc(func(o *options) { o.fault = fn })
}

// withClock replaces the clock; tests use it to make time jump.
func withClock(c clock) Option { return optionFunc(func(o *options) { o.clock = c }) }

// A clock is the soak's view of time.
type clock interface {
	Now() time.Time
	// Sleep waits for d or until done is closed, and reports whether the
	// whole d passed.
	Sleep(d time.Duration, done <-chan struct{}) bool
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(d time.Duration, done <-chan struct{}) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}
