package soak

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// An Iteration is a plan of sections run once, in declared order, under a
// timeout: a full-stack validation. Every section runs even
// if an earlier one failed, so one report shows every problem; sections
// that cannot run because the iteration's context ended are reported as
// skipped with that reason.
//
// An Iteration holds no state between runs and may be run again.
type Iteration struct {
	Sections []Section
	// Timeout bounds one run (default: none for [Iteration.Run] and
	// [Validate]; a [Soak] uses its Config.IterationTimeout instead). Step
	// timeouts nest inside it: a step never outlives its iteration.
	Timeout time.Duration
}

// A Section is one entry of an [Iteration]'s plan.
type Section struct {
	Step step.Step
	// SkipIf, if set, is asked just before the section would run; a
	// non-empty answer skips the section, and the answer is the reason the
	// report gives. A section is never skipped silently.
	SkipIf func(ctx context.Context) (reason string)
}

// Sections returns a plan of unconditional sections, one per step.
func Sections(steps ...step.Step) []Section {
	s := make([]Section, len(steps))
	for i, st := range steps {
		s[i] = Section{Step: st}
	}
	return s
}

// validate reports a plan that cannot run: no sections, a nil step, an
// empty or duplicate name.
func (it *Iteration) validate() error {
	if it == nil || len(it.Sections) == 0 {
		return errors.New("soak: iteration has no sections")
	}
	seen := map[string]bool{}
	for i, s := range it.Sections {
		if s.Step == nil {
			return fmt.Errorf("soak: section %d has no step", i)
		}
		n := s.Step.Name()
		if n == "" {
			return fmt.Errorf("soak: section %d has an empty name", i)
		}
		if seen[n] {
			return fmt.Errorf("soak: two sections are named %q", n)
		}
		seen[n] = true
	}
	if it.Timeout < 0 {
		return fmt.Errorf("soak: iteration timeout %v is negative", it.Timeout)
	}
	return nil
}

// A Report is the result of one iteration, written as report.json:
// {"result":"OK|FAIL","runtime":{…},"sections":[…]}, sections in declared
// order.
type Report struct {
	Result   string        `json:"result"` // "OK" if the iteration passed, else "FAIL"
	Runtime  ReportRuntime `json:"runtime"`
	Sections []step.Result `json:"sections"`

	// cutAt is the index of the section that was running (or about to
	// run) when the soak's deadline or a signal ended the iteration; -1
	// if neither did.
	cutAt int
}

// ReportRuntime describes the run that produced a [Report].
type ReportRuntime struct {
	UTC        time.Time           `json:"utc"` // start
	Version    string              `json:"version,omitempty"`
	Go         string              `json:"go"`
	OS         string              `json:"os"`
	Arch       string              `json:"arch"`
	Iteration  int                 `json:"iteration,omitempty"` // in a soak
	TimeoutMS  int64               `json:"timeout_ms,omitempty"`
	DurationMS int64               `json:"duration_ms"`
	Status     artifact.IterStatus `json:"status"`
	Reason     string              `json:"reason,omitempty"`
}

// OK reports whether the iteration passed.
func (r *Report) OK() bool { return r.Result == "OK" }

// ExitCode is the process exit status that agrees with the report: 0 if it
// passed, else 1.
func (r *Report) ExitCode() int {
	if r.OK() {
		return 0
	}
	return 1
}

// Marker is the one line printed after the result is known: "RESULT=OK" or
// "RESULT=FAIL". It is a convenience for humans and logs; the exit status
// ([Report.ExitCode]) is the contract, and the two always agree.
func (r *Report) Marker() string { return "RESULT=" + r.Result }

// Causes of an iteration context's end, told apart by context.Cause.
var (
	errIterationTimeout = errors.New("iteration timeout")
	errSoakDeadline     = errors.New("soak deadline reached")
)

// Run runs the plan once with rt and returns its report. If ctx ends, the
// running section is stopped (its process tree ended by step) and the
// remaining ones are reported as skipped with the reason.
func (it *Iteration) Run(ctx context.Context, rt step.Runtime) *Report {
	if it.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, it.Timeout, errIterationTimeout)
		defer cancel()
	}
	return it.run(ctx, rt, it.Timeout)
}

func (it *Iteration) run(ctx context.Context, rt step.Runtime, budget time.Duration) *Report {
	start := time.Now()
	rep := &Report{Runtime: ReportRuntime{
		UTC: start, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		TimeoutMS: budget.Milliseconds(),
	}, Sections: make([]step.Result, 0, len(it.Sections))}
	ok := true
	ended := len(it.Sections) // the first section not run to its end because ctx ended
	for i, sec := range it.Sections {
		if ctx.Err() != nil {
			ended = min(ended, i)
		}
		r, ran := runSection(ctx, sec, rt)
		rep.Sections = append(rep.Sections, r)
		ok = ok && r.OK && ran
		if ctx.Err() != nil {
			ended = min(ended, i)
		}
	}
	rep.Runtime.DurationMS = time.Since(start).Milliseconds()
	rep.Runtime.Status, rep.Runtime.Reason = iterStatus(ctx, ok, rep.Sections, ended)
	rep.cutAt = -1
	if !ok && ctx.Err() != nil && endedByCut(ctx) {
		rep.cutAt = ended
	}
	rep.Result = "FAIL"
	if rep.Runtime.Status == artifact.IterPassed {
		rep.Result = "OK"
	}
	return rep
}

// runSection runs one section; ran is false if the context ended first.
func runSection(ctx context.Context, sec Section, rt step.Runtime) (r step.Result, ran bool) {
	name := sec.Step.Name()
	if ctx.Err() != nil {
		return skipped(name, "not run: "+endReason(ctx)), false
	}
	if sec.SkipIf != nil {
		if reason := sec.SkipIf(ctx); reason != "" {
			return skipped(name, "skipped: "+reason), true
		}
	}
	r = sec.Step.Run(ctx, rt)
	if r.Name == "" {
		r.Name = name
	}
	if r.Status == step.Skipped && r.Details == "" {
		r.Details = "skipped (the step gave no reason)"
	}
	return r, true
}

func skipped(name, reason string) step.Result {
	return step.Result{Name: name, OK: true, Status: step.Skipped, Details: reason, ExitCode: -1, Start: time.Now()}
}

// endReason says why ctx ended, for humans.
func endReason(ctx context.Context) string {
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, errIterationTimeout):
		return "the iteration timed out"
	case errors.Is(cause, errSoakDeadline):
		return "the soak deadline was reached"
	case cause != nil:
		return "canceled: " + cause.Error()
	}
	return "canceled"
}

// endedByCut reports whether ctx ended because of the soak's deadline or a
// cancellation (a signal, the service's exit), rather than the iteration's
// own timeout or a caller's deadline.
func endedByCut(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), errSoakDeadline) || errors.Is(ctx.Err(), context.Canceled)
}

// iterStatus classifies an iteration from its context and sections. ok
// means every section ran and passed (or was skipped by its condition);
// the sections before index ended ran to their end before ctx ended. An
// iteration the soak's deadline cut short is artifact.IterCut, one a cancellation
// cut short artifact.IterCancelled, neither a failure, unless a section had already
// failed on its own: one that ended before ctx did and did not pass, or
// the one running at the cut with a step that failed (as opposed to one
// stopped by the cut).
func iterStatus(ctx context.Context, ok bool, secs []step.Result, ended int) (artifact.IterStatus, string) {
	switch {
	case ok:
		// Every section finished; a context that ended after them changes
		// nothing.
		return artifact.IterPassed, ""
	case ctx.Err() == nil:
		return artifact.IterFailed, failedNames(secs)
	case endedByCut(ctx):
		if names := ranAndFailed(secs, ended); len(names) > 0 {
			return artifact.IterFailed, fmt.Sprintf("failed: %v; then %s", names, endReason(ctx))
		}
		if errors.Is(context.Cause(ctx), errSoakDeadline) {
			return artifact.IterCut, endReason(ctx)
		}
		return artifact.IterCancelled, endReason(ctx)
	}
	return artifact.IterTimedOut, endReason(ctx) // errIterationTimeout or a caller's deadline
}

// ranAndFailed returns the names of the sections that failed on their own
// although the context ended: those before index ended that did not pass,
// and the one at ended if a step inside it failed (status Failed), as
// opposed to those stopped or not run because the context ended.
func ranAndFailed(secs []step.Result, ended int) []string {
	var names []string
	for i, r := range secs {
		if i < ended && !r.OK || i == ended && hasFailed(r) {
			names = append(names, r.Name)
		}
	}
	return names
}

func hasFailed(r step.Result) bool {
	if r.Status == step.Failed {
		return true
	}
	for _, c := range r.Steps {
		if hasFailed(c) {
			return true
		}
	}
	return false
}

func failedNames(secs []step.Result) string {
	var names []string
	for _, r := range secs {
		if !r.OK {
			names = append(names, r.Name)
		}
	}
	return fmt.Sprintf("failed: %v", names)
}

// Validate runs it once as a full-stack validation, writes its
// report atomically as canonical JSON to the Report path of the artifacts
// tree at root, and only then prints exactly one marker line ("RESULT=OK" or
// "RESULT=FAIL") to w. The caller's exit status must be the report's
// [Report.ExitCode]: the marker agrees with it by construction. Step logs go
// to root/logs/validate, which is emptied first: like report.json, it holds
// the last run only, so repeated runs never pile up logs.
//
// An error means the report could not be written, the plan cannot run, or
// an option Validate does not honour was given (it honours WithLogger,
// WithRedactor and WithVersion); the marker then reads RESULT=FAIL and the
// returned report, if any, is what was computed.
func Validate(ctx context.Context, it *Iteration, root string, w io.Writer, opts ...Option) (*Report, error) {
	o := newOptions(opts)
	if err := o.only("Validate", "WithLogger", "WithRedactor", "WithVersion"); err != nil {
		fmt.Fprintln(w, "RESULT=FAIL")
		return nil, err
	}
	if err := it.validate(); err != nil {
		fmt.Fprintln(w, "RESULT=FAIL")
		return nil, err
	}
	l := artifact.Layout{Root: root}
	if err := os.RemoveAll(l.ValidateLogs()); err != nil {
		// Not fatal: the new logs get numbered names next to the old ones.
		o.logger.Warn("earlier validation logs not removed", "dir", l.ValidateLogs(), "err", err)
	}
	rt := step.Runtime{LogDir: l.ValidateLogs(), Redact: o.redact, Logger: o.logger}
	rep := it.Run(ctx, rt)
	rep.Runtime.Version = o.version
	err := canonjson.WriteFile(l.Report(), rep)
	marker := rep.Marker()
	if err != nil {
		marker = "RESULT=FAIL"
		err = fmt.Errorf("soak: write report: %w", err)
	}
	fmt.Fprintln(w, marker)
	return rep, err
}

// RunStep runs the section named name alone, outside any soak, with maximal
// verbosity: its output is streamed to w line by line as it is produced
// (after redaction), and debug records of the runner go to w too. Logs are
// also written under root/logs/debug. It is for debugging one step in
// isolation. A SkipIf condition is ignored: the point is to run the step.
// Of the options it honours WithRedactor; any other is an error.
func (it *Iteration) RunStep(ctx context.Context, name, root string, w io.Writer, opts ...Option) (step.Result, error) {
	o := newOptions(opts)
	if err := o.only("RunStep", "WithRedactor"); err != nil {
		return step.Result{}, err
	}
	var st step.Step
	if it != nil {
		for _, s := range it.Sections {
			if s.Step != nil && s.Step.Name() == name {
				st = s.Step
				break
			}
		}
	}
	if st == nil {
		return step.Result{}, fmt.Errorf("soak: no section named %q", name)
	}
	lw := &lockedWriter{w: w}
	logger := slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tee := func(dst io.Writer) io.WriteCloser {
		return nopCloser{io.MultiWriter(dst, lw)}
	}
	redact := tee
	if o.redact != nil {
		redact = func(dst io.Writer) io.WriteCloser { return o.redact(tee(dst)) }
	}
	rt := step.Runtime{LogDir: artifact.Layout{Root: root}.DebugLogs(), Redact: redact, Logger: logger}
	if it.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, it.Timeout, errIterationTimeout)
		defer cancel()
	}
	logger.Debug("run step alone", "step", name, "log_dir", rt.LogDir, "timeout", it.Timeout, "go", runtime.Version(), "os", runtime.GOOS)
	r := st.Run(ctx, rt)
	logger.Debug("step ended", "step", name, "status", r.Status, "exit_code", r.ExitCode, "duration", r.Duration, "details", r.Details)
	return r, nil
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// nopCloser is a writer with a Close that does nothing.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
