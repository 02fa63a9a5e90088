package step

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// A Step is one unit of work with a name. Run runs it under ctx and returns
// its Result; it never panics on bad input (that is a Result with status
// [Error]) and returns only after everything it started has ended.
type Step interface {
	Name() string
	Run(ctx context.Context, rt Runtime) Result
}

// Runtime is what the runner gives a step at run time. Its zero value is
// valid: logs go to a fresh temporary directory, nothing is redacted or
// watched, and nothing is logged.
type Runtime struct {
	// LogDir is the directory for log files: <name>.stdout.log and
	// <name>.stderr.log, with a numeric suffix (<name>.2.stdout.log) if
	// those exist already, e.g. for a retry. Composite steps give their
	// children the subdirectory <LogDir>/<name>. "" means a fresh temporary
	// directory for each Command or GoTest run, which is not removed (the
	// Result names its files).
	LogDir string

	// Redact wraps each log writer so that every line passes through
	// redaction before it reaches the log file, the tail or the details.
	// Step writes whole lines (or pieces of at most 64 KiB of a longer
	// line) and closes the returned writer at the end of the stream; Close
	// must flush. nil means no redaction.
	Redact func(io.Writer) io.WriteCloser

	// LogFile wraps each log file, under the redaction and the write
	// buffer: it sees the redacted output bound for the file only (not the
	// copy that feeds the tail and the details), in the buffer's flushes,
	// and the file's own write errors; it is closed after Redact's writer,
	// at the end of the stream. A writer that drops bytes (a soak's byte
	// cap) thus never costs the Result its tail. nil means none.
	LogFile func(io.Writer) io.WriteCloser

	// Watch is called with the pid of each process a step starts, right
	// after the start; the returned stop function is called once that
	// process has exited. nil means none.
	Watch func(name string, pid int) (stop func())

	// Track is called with the cookie of each process tree a step is about
	// to start (the name of the environment variable every process of the
	// tree inherits, see the package documentation), before the start; the
	// returned function is called once the tree has ended and been swept.
	// A runner records the cookie so that, if the runner itself is killed,
	// the tree's orphans can still be found and ended. nil means none.
	Track func(name, cookie string) (done func())

	// Logger receives debug records about starts and ends. nil discards.
	Logger *slog.Logger
}

func (rt Runtime) logger() *slog.Logger {
	if rt.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return rt.Logger
}

// logDir returns rt.LogDir, creating a temporary directory if it is empty.
func (rt *Runtime) logDir() (string, error) {
	if rt.LogDir == "" {
		d, err := os.MkdirTemp("", "soakkit-step-")
		if err != nil {
			return "", err
		}
		rt.LogDir = d
	}
	if err := os.MkdirAll(rt.LogDir, 0o755); err != nil {
		return "", err
	}
	return rt.LogDir, nil
}

// child returns the Runtime for the children of composite step name: their
// logs go to <LogDir>/<name>, created when a child first writes there. With
// no LogDir, each child that writes logs makes its own temporary directory.
func (rt Runtime) child(name string) Runtime {
	if rt.LogDir != "" {
		rt.LogDir = filepath.Join(rt.LogDir, fileName(name))
	}
	return rt
}

// A Status is the outcome of a step. The zero Status means the step has not
// run.
type Status string

// The statuses of a Result.
const (
	Passed   Status = "passed"
	Failed   Status = "failed"
	TimedOut Status = "timed_out" // its own or an enclosing deadline expired
	Skipped  Status = "skipped"   // not run: by [Skip], or an earlier step of a [Sequence] failed, or the context ended first
	Error    Status = "error"     // could not run: bad input, missing binary, canceled context
)

// OK reports whether s counts as a success: Passed or Skipped.
func (s Status) OK() bool { return s == Passed || s == Skipped }

// A TestResult is the outcome of one test of a [GoTest] step, or of one
// test case of a [Command]'s JUnit reports (Package holds its classname).
type TestResult struct {
	Package string        `json:"package"`
	Test    string        `json:"test"`   // "" for the package itself
	Status  Status        `json:"status"` // Passed, Failed or Skipped
	Elapsed time.Duration `json:"elapsed_ns"`
}

// A Result is the outcome of running a Step. It marshals to JSON with
// snake_case keys; Duration is written as duration_ms.
type Result struct {
	Name      string        `json:"name"`
	OK        bool          `json:"ok"`
	Status    Status        `json:"status"`
	Details   string        `json:"details"`              // last non-empty output line or the reason; at most 200 characters
	ExitCode  int           `json:"exit_code"`            // from the process state; -1 if no process exited normally
	PID       int           `json:"pid,omitempty"`        // of the last attempt's process
	Start     time.Time     `json:"start"`                // when Run began
	Duration  time.Duration `json:"-"`                    // of the whole Run, retries included
	Attempts  int           `json:"attempts"`             // runs of the step; 0 if it never ran
	StdoutLog string        `json:"stdout_log,omitempty"` // of the last attempt
	StderrLog string        `json:"stderr_log,omitempty"`
	Tail      string        `json:"tail,omitempty"`      // last lines of redacted output, at most TailBytes
	Tests     []TestResult  `json:"tests,omitempty"`     // GoTest: one per test and package, in the order they ended; Command with JUnit: one per test case run
	Steps     []Result      `json:"steps,omitempty"`     // composite steps: one per child, in declared order
	Leftovers []Process     `json:"leftovers,omitempty"` // processes found alive after the command exited, then killed
}

// TailBytes bounds [Result.Tail].
const TailBytes = 4096

// MaxDetails bounds [Result.Details], in characters.
const MaxDetails = 200

type resultJSON Result

type resultWire struct {
	resultJSON
	DurationMS int64 `json:"duration_ms"`
}

// MarshalJSON writes r with its Duration as integer milliseconds.
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(resultWire{resultJSON(r), r.Duration.Milliseconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var w resultWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = Result(w.resultJSON)
	r.Duration = time.Duration(w.DurationMS) * time.Millisecond
	return nil
}

// finish sets the derived fields of r.
func (r *Result) finish(start time.Time) {
	r.OK = r.Status.OK()
	r.Start = start
	r.Duration = time.Since(start)
	r.Details = truncate(r.Details, MaxDetails)
}

// errorResult is the Result of a step that could not run.
func errorResult(name string, start time.Time, err error) Result {
	r := Result{Name: name, Status: Error, Details: err.Error(), ExitCode: -1}
	r.finish(start)
	return r
}

// ctxStatus maps a done context to the status of an interrupted step and a
// reason.
func ctxStatus(ctx context.Context) (Status, string) {
	err := ctx.Err()
	cause := context.Cause(ctx)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		if cause != nil && !errors.Is(cause, context.DeadlineExceeded) {
			return TimedOut, "timed out: " + cause.Error()
		}
		return TimedOut, "timed out"
	case err != nil:
		return Error, "canceled: " + cause.Error()
	}
	return Passed, ""
}

// truncate returns s cut to at most n characters (runes), with "…" at the
// end if it was cut, and invalid UTF-8 replaced.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for j := range s {
		if k == n-1 {
			i = j
			break
		}
		k++
	}
	return s[:i] + "…"
}

// fileName maps a step name to a safe file name component.
func fileName(name string) string {
	var b strings.Builder
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "step"
	}
	return s
}

// errNilContext is the error of a step run with a nil context: a
// programmer's mistake, reported as a Result rather than a panic.
var errNilContext = errors.New("step: nil context")

// checkCtx returns a Result with status [Error] if ctx is nil.
func checkCtx(ctx context.Context, name string, start time.Time) (Result, bool) {
	if ctx == nil {
		return errorResult(name, start, fmt.Errorf("step %q: %w", name, errNilContext)), false
	}
	return Result{}, true
}

func validName(name string) error {
	if name == "" {
		return errors.New("step: empty name")
	}
	return nil
}

func durationString(d time.Duration) string {
	return fmt.Sprint(d.Round(time.Millisecond))
}

// A Process is a process a step left behind: found alive after the step's
// command exited, then killed.
type Process struct {
	PID     int    `json:"pid"`
	Cmdline string `json:"cmdline"`           // arguments joined by spaces; "" if unreadable
	Escaped bool   `json:"escaped,omitempty"` // it had left the step's process group (setsid, a daemon)
}

// String describes p for humans: "pid 42 (sleep 300) [left the process group]".
func (p Process) String() string {
	s := fmt.Sprintf("pid %d", p.PID)
	if p.Cmdline != "" {
		s += " (" + p.Cmdline + ")"
	}
	if p.Escaped {
		s += " [left the process group]"
	}
	return s
}
