package step

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/soakkit/soakkit/internal/proctree"
)

// A Command is a step that runs an external program. The zero value of each
// optional field selects its default. A Command never starts a shell: Argv
// is passed to the program as is.
type Command struct {
	Name    string        // report and log file name; required
	Argv    []string      // program and arguments; the program is looked up in PATH if it has no separator
	Dir     string        // working directory (default: the runner's)
	Env     []string      // "KEY=value" entries added to the runner's environment; later entries win
	Timeout time.Duration // per attempt; kills the whole process tree (default: none; negative is an error)

	// Retries is the number of extra attempts after a failed or timed-out
	// one (default 0). Backoff is the pause before the first retry, doubled
	// for each further one up to MaxBackoff (defaults: 1s and 5m). A retry
	// never starts unless the pause plus the attempt's Timeout (or, without
	// one, the previous attempt's duration) fits before ctx's deadline.
	Retries    int
	Backoff    time.Duration
	MaxBackoff time.Duration

	// Grace is the pause between SIGTERM and SIGKILL when the tree is
	// stopped (default 5s; Windows kills at once).
	Grace time.Duration

	// AllowLeftovers keeps a command that exits successfully but leaves
	// processes running from failing. They are killed and listed in
	// Result.Leftovers either way.
	AllowLeftovers bool

	// JUnit lists globs (doublestar syntax: "reports/**/*.xml"), relative
	// to Dir unless absolute, of the JUnit XML reports the command writes.
	// After each attempt, the matching files written during it — new, or
	// changed (modification time or size) since the attempt started;
	// unchanged ones are stale, ignored and named in the details — become
	// the Result's Tests, one per test
	// case (Package is its classname, else its suite's name; Test its
	// name), plus one failed result per earlier run a runner retried
	// (Surefire's and nextest's flakyFailure and rerunFailure), so a soak's
	// flaky verdicts name the test, as for [GoTest]. A failed test in
	// a report fails the step even if the command exited 0. No fresh
	// report fails the step ("no JUnit report matched …") unless it could
	// not start, timed out or was canceled; a malformed report (file:line)
	// or one over [MaxJUnitBytes] is an [Error]. Default: none.
	JUnit []string
}

// hooks let GoTest see a Command's output: onLine sees every raw stdout
// line; tailLine transforms lines for the tail and details.
type hooks struct {
	onLine   func([]byte)
	tailLine func([]byte) []byte
}

// Step returns c as a [Step]. (A Command cannot be a Step itself: its Name
// field would clash with the Name method.)
func (c Command) Step() Step { return commandStep{c} }

type commandStep struct{ c Command }

func (s commandStep) Name() string { return s.c.Name }

func (s commandStep) Run(ctx context.Context, rt Runtime) Result { return s.c.Run(ctx, rt) }

// Run runs the command, with retries if c.Retries > 0. See [Command].
func (c Command) Run(ctx context.Context, rt Runtime) Result {
	start := time.Now()
	if r, ok := checkCtx(ctx, c.Name, start); !ok {
		return r
	}
	if err := c.check(); err != nil {
		return errorResult(c.Name, start, err)
	}
	if _, err := rt.logDir(); err != nil {
		return errorResult(c.Name, start, fmt.Errorf("step %q: log dir: %w", c.Name, err))
	}
	p := retryPolicy{retries: c.Retries, backoff: c.Backoff, maxBackoff: c.MaxBackoff, attemptMax: c.Timeout}
	return p.run(ctx, c.Name, start, func(ctx context.Context) Result {
		if len(c.JUnit) == 0 {
			return c.once(ctx, rt, hooks{})
		}
		t0 := time.Now()
		before, err := junitFiles(c.Dir, c.JUnit)
		if err != nil {
			return errorResult(c.Name, t0, fmt.Errorf("step %q: %w", c.Name, err))
		}
		return c.applyJUnit(rt, c.once(ctx, rt, hooks{}), before)
	})
}

func (c Command) check() error {
	if err := validName(c.Name); err != nil {
		return err
	}
	switch {
	case len(c.Argv) == 0 || c.Argv[0] == "":
		return fmt.Errorf("step %q: empty argv", c.Name)
	case c.Timeout < 0:
		return fmt.Errorf("step %q: negative timeout %v", c.Name, c.Timeout)
	case c.Retries < 0:
		return fmt.Errorf("step %q: negative retries %d", c.Name, c.Retries)
	case c.Backoff < 0 || c.MaxBackoff < 0:
		return fmt.Errorf("step %q: negative backoff", c.Name)
	}
	if c.Dir != "" {
		fi, err := os.Stat(c.Dir)
		if err != nil {
			return fmt.Errorf("step %q: dir: %w", c.Name, err)
		}
		if !fi.IsDir() {
			return fmt.Errorf("step %q: dir %s: not a directory", c.Name, c.Dir)
		}
	}
	for _, kv := range c.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return fmt.Errorf("step %q: env entry %q is not KEY=value", c.Name, kv)
		}
	}
	return nil
}

// once runs one attempt. Its Result has no Start/Duration set by the retry
// loop yet; once sets its own.
func (c Command) once(ctx context.Context, rt Runtime, h hooks) Result {
	start := time.Now()
	log := rt.logger().With("step", c.Name)
	if res, ok := notStarted(ctx, c.Name, start); ok {
		return res
	}
	res := Result{Name: c.Name, ExitCode: -1}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.Timeout,
			fmt.Errorf("step %q exceeded its %v timeout", c.Name, c.Timeout))
		defer cancel()
	}

	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	if cmd.Err != nil {
		return errorResult(c.Name, start, fmt.Errorf("step %q: %w", c.Name, cmd.Err))
	}
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	tree, err := proctree.Prepare(cmd, proctree.Options{Grace: c.Grace, Pdeathsig: true})
	if err != nil {
		return errorResult(c.Name, start, fmt.Errorf("step %q: %w", c.Name, err))
	}
	if rt.Track != nil {
		defer rt.Track(c.Name, tree.Cookie())() // returns after the sweep
	}
	var interrupted atomic.Bool
	stop := cmd.Cancel
	cmd.Cancel = func() error {
		interrupted.Store(true)
		return stop()
	}

	outF, errF, err := openLogs(rt.LogDir, fileName(c.Name))
	if err != nil {
		tree.Close()
		return errorResult(c.Name, start, fmt.Errorf("step %q: log files: %w", c.Name, err))
	}
	tr := &tracker{transform: h.tailLine}
	outS := newStream(outF.Name(), outF, tr, rt.Redact, rt.LogFile)
	outS.onLine = h.onLine
	errS := newStream(errF.Name(), errF, tr, rt.Redact, rt.LogFile)
	res.StdoutLog, res.StderrLog = outF.Name(), errF.Name()

	// Output goes through pipes we own rather than through os/exec's copying
	// goroutines: Wait then returns as soon as the command exits, and the
	// sweep can end grandchildren that still hold the pipes.
	outR, outW, err := pipe()
	if err != nil {
		outF.Close()
		errF.Close()
		tree.Close()
		return errorResult(c.Name, start, fmt.Errorf("step %q: %w", c.Name, err))
	}
	errR, errW, err := pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		outF.Close()
		errF.Close()
		tree.Close()
		return errorResult(c.Name, start, fmt.Errorf("step %q: %w", c.Name, err))
	}
	cmd.Stdout, cmd.Stderr = outW, errW

	var unwatch func()
	waitErr, err := startAndWait(tree, cmd, func(ok bool) {
		// The child has its own copies of the write ends: once it and its
		// descendants are gone, the readers see end of file.
		outW.Close()
		errW.Close()
		go outS.copy(outR)
		go errS.copy(errR)
		if ok {
			res.PID = cmd.Process.Pid
			log.Debug("step started", "pid", res.PID, "argv", c.Argv)
			if rt.Watch != nil {
				unwatch = rt.Watch(c.Name, res.PID)
			}
		}
	})
	if err != nil {
		<-outS.done
		<-errS.done
		outR.Close()
		errR.Close()
		res = errorResult(c.Name, start, fmt.Errorf("step %q: start: %w", c.Name, err))
		res.StdoutLog, res.StderrLog = outF.Name(), errF.Name()
		return res
	}
	if unwatch != nil {
		unwatch()
	}
	res.Leftovers = leftovers(tree.Sweep())

	// Everything the tree holds is dead now, so the pipes reach EOF unless
	// an escapee without the cookie holds them.
	deadline := time.Now().Add(drainTimeout)
	for _, p := range []struct {
		s *stream
		r *os.File
	}{{outS, outR}, {errS, errR}} {
		select {
		case <-p.s.done:
		case <-time.After(time.Until(deadline)):
			// Unblock the reader: pipes are pollable on Unix; elsewhere
			// Close is the only way.
			if p.r.SetReadDeadline(time.Now()) != nil {
				p.r.Close()
			}
			<-p.s.done
		}
		p.r.Close()
	}

	state := cmd.ProcessState
	if state != nil {
		res.ExitCode = state.ExitCode()
	}
	last := tr.lastLine()
	res.Tail = tr.tail()
	switch {
	case interrupted.Load() && ctx.Err() != nil:
		var why string
		res.Status, why = ctxStatus(ctx)
		res.Details = why
		if last != "" {
			res.Details += "; last output: " + last
		}
	case state != nil && state.Success():
		res.Status, res.Details = Passed, last
		if len(res.Leftovers) > 0 && !c.AllowLeftovers {
			res.Status = Failed
			res.Details = leftoverDetails(res.Leftovers)
		}
	case state != nil:
		res.Status, res.Details = Failed, last
		if res.Details == "" {
			res.Details = "exit: " + state.String()
		}
	default:
		res.Status, res.Details = Error, fmt.Sprintf("step %q: wait: %v", c.Name, waitErr)
	}
	for _, s := range []*stream{outS, errS} {
		if s.err != nil && res.Status == Passed {
			res.Status = Error
			res.Details = fmt.Sprintf("step %q: log %s: %v", c.Name, s.path, s.err)
		}
	}
	res.Attempts = 1
	res.finish(start)
	log.Debug("step ended", "pid", res.PID, "status", res.Status, "exit_code", res.ExitCode, "duration", res.Duration)
	return res
}

// startAndWait starts tree's command, calls started with whether that
// succeeded, and if it did waits for the command to exit. It returns Wait's
// error, or the start error.
//
// Start and Wait run on the calling goroutine locked to its OS thread, which
// makes Pdeathsig (Linux) safe: the thread that started the child lives
// until the child has been reaped. Running them here rather than on a
// goroutine of their own saves two hand-offs between threads per step.
func startAndWait(tree *proctree.Tree, cmd *exec.Cmd, started func(ok bool)) (waitErr, startErr error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := tree.Start(); err != nil {
		started(false)
		return nil, err
	}
	started(true)
	return cmd.Wait(), nil
}

// leftovers converts what a sweep found to the Result's public form.
func leftovers(ps []proctree.Process) []Process {
	if len(ps) == 0 {
		return nil
	}
	out := make([]Process, len(ps))
	for i, p := range ps {
		out[i] = Process{PID: p.PID, Cmdline: p.Cmdline, Escaped: p.Escaped}
	}
	return out
}

func leftoverDetails(ps []Process) string {
	s := fmt.Sprintf("exited 0 but left %d process(es) running (killed): %v", len(ps), ps[0])
	if len(ps) > 1 {
		s += ", …"
	}
	return s
}

// notStarted returns the Result of the step named name if ctx ended before
// the step started at start, and false if ctx has not ended.
func notStarted(ctx context.Context, name string, start time.Time) (Result, bool) {
	if ctx.Err() == nil {
		return Result{}, false
	}
	st, why := ctxStatus(ctx)
	res := Result{Name: name, ExitCode: -1, Status: notRun(st), Details: "not run: " + why}
	res.finish(start)
	return res, true
}

// notRun maps the status of a done context to that of a step that did not
// start because of it.
func notRun(s Status) Status {
	if s == TimedOut {
		return TimedOut
	}
	return Error
}

var errNilFunc = errors.New("step: nil function")
