package step

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Default backoff of retries.
const (
	DefaultBackoff    = time.Second
	DefaultMaxBackoff = 5 * time.Minute
)

// retryPolicy runs attempts with exponential backoff inside ctx's budget.
type retryPolicy struct {
	retries             int
	backoff, maxBackoff time.Duration
	attemptMax          time.Duration // longest an attempt can take; 0 = unknown
}

func (p retryPolicy) run(ctx context.Context, name string, start time.Time, attempt func(context.Context) Result) Result {
	pause := p.backoff
	if pause == 0 {
		pause = DefaultBackoff
	}
	maxPause := p.maxBackoff
	if maxPause == 0 {
		maxPause = DefaultMaxBackoff
	}
	var res Result
	attempts := 0
	for n := 1; ; n++ {
		a := attempt(ctx)
		attempts += a.Attempts
		res = a
		if res.Status != Failed && res.Status != TimedOut || n > p.retries {
			break
		}
		if ctx.Err() != nil {
			break // the enclosing budget ended this attempt; no retry
		}
		need := pause + p.attemptMax
		if p.attemptMax == 0 {
			need = pause + a.Duration
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < need {
			res.Details = fmt.Sprintf("%s (no retry: %v left, next attempt needs %v)",
				res.Details, durationString(time.Until(dl)), durationString(need))
			break
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			_, why := ctxStatus(ctx)
			res.Details = fmt.Sprintf("%s (no retry: %s during backoff)", res.Details, why)
		}
		if ctx.Err() != nil {
			break
		}
		pause = min(2*pause, maxPause)
	}
	res.Attempts = attempts
	if attempts > 1 {
		res.Details = fmt.Sprintf("%s [attempt %d]", res.Details, attempts)
	}
	res.finish(start)
	return res
}

// maxDuration returns the longest s can run, or 0 if unknown.
func maxDuration(s Step) time.Duration {
	switch s := s.(type) {
	case commandStep:
		if s.c.Retries == 0 {
			return s.c.Timeout
		}
	case timeoutStep:
		return s.d
	}
	return 0
}

// Retry returns a step that runs s and, while it fails or times out, runs it
// again up to retries more times. It pauses backoff before the first retry
// (default [DefaultBackoff]) and doubles the pause each time, up to
// [DefaultMaxBackoff]. A step with status [Error] is not retried.
//
// A retry never starts if ctx's deadline cannot fit the pause plus the
// attempt: s's own bound if it has one ([Timeout], or a [Command] with a
// Timeout), otherwise the duration of the previous attempt. The pause ends
// early if ctx is done. The Result is that of the last attempt, with Attempts
// counting every attempt and Duration covering them all.
func Retry(s Step, retries int, backoff time.Duration) Step {
	return retryStep{s: s, retries: retries, backoff: backoff}
}

type retryStep struct {
	s       Step
	retries int
	backoff time.Duration
}

func (r retryStep) Name() string { return stepName(r.s) }

func (r retryStep) Run(ctx context.Context, rt Runtime) Result {
	start := time.Now()
	switch {
	case r.s == nil:
		return errorResult("", start, errors.New("step: Retry of a nil step"))
	case r.retries < 0:
		return errorResult(r.Name(), start, fmt.Errorf("step %q: negative retries %d", r.Name(), r.retries))
	case r.backoff < 0:
		return errorResult(r.Name(), start, fmt.Errorf("step %q: negative backoff", r.Name()))
	case ctx == nil:
		res, _ := checkCtx(ctx, r.Name(), start)
		return res
	}
	p := retryPolicy{retries: r.retries, backoff: r.backoff, attemptMax: maxDuration(r.s)}
	return p.run(ctx, r.Name(), start, func(ctx context.Context) Result { return r.s.Run(ctx, rt) })
}

// Timeout returns a step that runs s under a deadline d from its start. If
// s has not finished successfully when the deadline expires, the Result has
// status [TimedOut]. A Command's whole process tree is ended at the deadline;
// a [Func] must watch its context. d must not be negative; 0 means no
// deadline.
func Timeout(s Step, d time.Duration) Step { return timeoutStep{s: s, d: d} }

type timeoutStep struct {
	s Step
	d time.Duration
}

func (t timeoutStep) Name() string { return stepName(t.s) }

func (t timeoutStep) Run(ctx context.Context, rt Runtime) Result {
	start := time.Now()
	switch {
	case t.s == nil:
		return errorResult("", start, errors.New("step: Timeout of a nil step"))
	case t.d < 0:
		return errorResult(t.Name(), start, fmt.Errorf("step %q: negative timeout %v", t.Name(), t.d))
	case ctx == nil:
		res, _ := checkCtx(ctx, t.Name(), start)
		return res
	case t.d == 0:
		return t.s.Run(ctx, rt)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, t.d, fmt.Errorf("step %q exceeded its %v timeout", t.Name(), t.d))
	defer cancel()
	res := t.s.Run(ctx, rt)
	if !res.OK && errors.Is(ctx.Err(), context.DeadlineExceeded) && res.Status != TimedOut {
		_, why := ctxStatus(ctx)
		res.Status = TimedOut
		res.Details = why + "; " + res.Details
		res.OK = false
		res.Details = truncate(res.Details, MaxDetails)
	}
	return res
}

// Func returns a step that calls fn. A nil error is [Passed]; an error is
// [Failed] with the error as details, or [TimedOut] if ctx's deadline has
// expired (canceled: [Error]). fn must return when ctx is done: a Func
// cannot be stopped from outside. A panic in fn is not recovered.
func Func(name string, fn func(ctx context.Context) error) Step { return funcStep{name, fn} }

type funcStep struct {
	name string
	fn   func(context.Context) error
}

func (f funcStep) Name() string { return f.name }

func (f funcStep) Run(ctx context.Context, rt Runtime) Result {
	start := time.Now()
	if r, ok := checkCtx(ctx, f.name, start); !ok {
		return r
	}
	if err := validName(f.name); err != nil {
		return errorResult(f.name, start, err)
	}
	if f.fn == nil {
		return errorResult(f.name, start, fmt.Errorf("step %q: %w", f.name, errNilFunc))
	}
	if res, ok := notStarted(ctx, f.name, start); ok {
		return res
	}
	res := Result{Name: f.name, ExitCode: -1}
	rt.logger().Debug("step started", "step", f.name)
	err := f.fn(ctx)
	res.Attempts = 1
	switch {
	case err == nil:
		res.Status = Passed
	case ctx.Err() != nil:
		var why string
		res.Status, why = ctxStatus(ctx)
		res.Details = why + ": " + err.Error()
	default:
		res.Status, res.Details = Failed, err.Error()
	}
	res.finish(start)
	rt.logger().Debug("step ended", "step", f.name, "status", res.Status, "duration", res.Duration)
	return res
}

// Skip returns a step that does not run and reports status [Skipped] (which
// counts as ok) with reason as its details.
func Skip(name, reason string) Step { return skipStep{name, reason} }

type skipStep struct{ name, reason string }

func (s skipStep) Name() string { return s.name }

func (s skipStep) Run(ctx context.Context, rt Runtime) Result {
	start := time.Now()
	if r, ok := checkCtx(ctx, s.name, start); !ok {
		return r
	}
	if err := validName(s.name); err != nil {
		return errorResult(s.name, start, err)
	}
	res := Result{Name: s.name, Status: Skipped, Details: s.reason, ExitCode: -1}
	res.finish(start)
	return res
}

// Sequence returns a step that runs steps one after another, in order, and
// stops at the first that is not ok: the rest are reported [Skipped] with
// the reason. (To run every step whatever happens, use [Parallel] with a
// limit of 1.) Its Result nests one Result per step, in the order given, and
// is ok if every nested one is, unless the context ended before every step
// ran: those steps are reported [Skipped] ("not run: …") and the group
// [TimedOut] (canceled: [Error]). Children log into <LogDir>/<name>.
func Sequence(name string, steps ...Step) Step {
	return groupStep{name: name, steps: steps, limit: 1, stopOnFail: true}
}

// Parallel returns a step that runs steps concurrently, at most limit at a
// time (limit <= 0: no limit). Every step runs whatever the others do; a
// failure does not cancel siblings. Its Result nests one Result per step, in
// the order given (never completion order), and is ok if every nested one
// is, unless the context ended before every step ran (as for [Sequence]).
// Children log into <LogDir>/<name>.
func Parallel(name string, limit int, steps ...Step) Step {
	return groupStep{name: name, steps: steps, limit: limit}
}

type groupStep struct {
	name       string
	steps      []Step
	limit      int
	stopOnFail bool
}

func (g groupStep) Name() string { return g.name }

func (g groupStep) Run(ctx context.Context, rt Runtime) Result {
	start := time.Now()
	if r, ok := checkCtx(ctx, g.name, start); !ok {
		return r
	}
	if err := validName(g.name); err != nil {
		return errorResult(g.name, start, err)
	}
	crt := rt.child(g.name)
	rt.logger().Debug("group started", "step", g.name, "steps", len(g.steps))
	results := make([]Result, len(g.steps))
	// ctxSkipped marks the children skipped because the context had ended:
	// they are Skipped, but the group cannot be ok without them.
	ctxSkipped := make([]bool, len(g.steps))
	runOne := func(i int) {
		s := g.steps[i]
		if s == nil {
			results[i] = errorResult(fmt.Sprintf("#%d", i+1), time.Now(), fmt.Errorf("step %q: nil step at index %d", g.name, i))
			return
		}
		if ctx.Err() != nil {
			_, why := ctxStatus(ctx)
			results[i] = skipped(s.Name(), "not run: "+why)
			ctxSkipped[i] = true
			return
		}
		results[i] = s.Run(ctx, crt)
	}
	if g.stopOnFail {
		failed := ""
		for i, s := range g.steps {
			if failed != "" {
				results[i] = skipped(stepName(s), "not run: "+failed+" failed")
				continue
			}
			runOne(i)
			if !results[i].OK {
				failed = results[i].Name
			}
		}
	} else {
		limit := g.limit
		if limit <= 0 || limit > len(g.steps) {
			limit = len(g.steps)
		}
		sem := make(chan struct{}, max(limit, 1))
		var wg sync.WaitGroup
		for i := range g.steps {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				runOne(i)
			}()
		}
		wg.Wait()
	}

	res := Result{Name: g.name, ExitCode: -1, Steps: results}
	var passed, skippedN, notRunN int
	var firstBad *Result
	for i := range results {
		r := &results[i]
		res.Attempts = max(res.Attempts, min(r.Attempts, 1))
		switch {
		case ctxSkipped[i]:
			notRunN++
		case r.Status == Skipped:
			skippedN++
		case r.OK:
			passed++
		case firstBad == nil:
			firstBad = r
		}
	}
	switch {
	case firstBad != nil && ctx.Err() != nil:
		var why string
		res.Status, why = ctxStatus(ctx)
		res.Details = fmt.Sprintf("%s; %s: %s", why, firstBad.Name, firstBad.Details)
	case notRunN > 0:
		// The context ended between children: the group did not do its
		// work, even if every child that ran passed.
		var why string
		res.Status, why = ctxStatus(ctx)
		res.Details = fmt.Sprintf("%s; %d of %d steps not run", why, notRunN, len(results))
	case firstBad != nil:
		res.Status = Failed
		res.Details = fmt.Sprintf("%s %s: %s", firstBad.Name, firstBad.Status, firstBad.Details)
	case passed == 0 && skippedN > 0:
		res.Status, res.Details = Skipped, fmt.Sprintf("%d skipped", skippedN)
	default:
		res.Status = Passed
		res.Details = fmt.Sprintf("%d passed", passed)
		if skippedN > 0 {
			res.Details += fmt.Sprintf(", %d skipped", skippedN)
		}
	}
	res.finish(start)
	rt.logger().Debug("group ended", "step", g.name, "status", res.Status, "duration", res.Duration)
	return res
}

func skipped(name, reason string) Result {
	r := Result{Name: name, Status: Skipped, Details: reason, ExitCode: -1}
	r.finish(time.Now())
	return r
}

func stepName(s Step) string {
	if s == nil {
		return ""
	}
	return s.Name()
}
