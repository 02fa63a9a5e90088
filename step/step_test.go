package step_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/step"
)

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	tests := []struct {
		name    string
		give    step.Step
		mention string // a word the details must contain
	}{
		{"empty argv", step.Command{Name: "a"}.Step(), "argv"},
		{"empty program", step.Command{Name: "a", Argv: []string{""}}.Step(), "argv"},
		{"missing binary", step.Command{Name: "a", Argv: []string{"soakkit-no-such-binary"}}.Step(), "soakkit-no-such-binary"},
		{"missing path", step.Command{Name: "a", Argv: []string{filepath.Join(dir, "nope")}}.Step(), "nope"},
		{"nonexistent dir", step.Command{Name: "a", Argv: []string{"true"}, Dir: filepath.Join(dir, "nodir")}.Step(), "nodir"},
		{"dir is a file", step.Command{Name: "a", Argv: []string{"true"}, Dir: file}.Step(), "not a directory"},
		{"negative timeout", step.Command{Name: "a", Argv: []string{"true"}, Timeout: -time.Second}.Step(), "timeout"},
		{"negative retries", step.Command{Name: "a", Argv: []string{"true"}, Retries: -1}.Step(), "retries"},
		{"bad env", step.Command{Name: "a", Argv: []string{"true"}, Env: []string{"NOEQUALS"}}.Step(), "NOEQUALS"},
		{"empty name", step.Command{Argv: []string{"true"}}.Step(), "name"},
		{"nil func", step.Func("f", nil), "nil"},
		{"func without name", step.Func("", func(context.Context) error { return nil }), "name"},
		{"timeout of nil", step.Timeout(nil, time.Second), "nil"},
		{"negative Timeout", step.Timeout(step.Func("f", func(context.Context) error { return nil }), -1), "timeout"},
		{"retry of nil", step.Retry(nil, 1, 0), "nil"},
		{"retry negative", step.Retry(step.Func("f", func(context.Context) error { return nil }), -2, 0), "retries"},
		{"gotest negative timeout", step.GoTest{Name: "g", Timeout: -1}.Step(), "timeout"},
		{"group without name", step.Sequence(""), "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.give.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
			if r.Status != step.Error || r.OK {
				t.Errorf("Run() status = %q ok=%v, want %q not ok (details %q)", r.Status, r.OK, step.Error, r.Details)
			}
			if !strings.Contains(r.Details, tt.mention) {
				t.Errorf("Run() details = %q, want it to mention %q", r.Details, tt.mention)
			}
		})
	}
}

// TestNilContext runs every constructor's step with a nil context: a
// Result with status Error naming the problem, never a panic.
func TestNilContext(t *testing.T) {
	ok := func(name string) step.Step { return step.Func(name, func(context.Context) error { return nil }) }
	tests := []struct {
		name string
		give step.Step
	}{
		{"command", step.Command{Name: "c", Argv: []string{"true"}}.Step()},
		{"gotest", step.GoTest{Name: "g"}.Step()},
		{"func", ok("f")},
		{"skip", step.Skip("s", "why")},
		{"sequence", step.Sequence("seq", ok("a"))},
		{"parallel", step.Parallel("par", 2, ok("a"), ok("b"))},
		{"retry", step.Retry(ok("r"), 2, time.Millisecond)},
		{"timeout", step.Timeout(ok("t"), time.Second)},
		{"timeout zero", step.Timeout(ok("t"), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r step.Result
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("Run(nil, …) panicked: %v", p)
					}
				}()
				r = tt.give.Run(nil, step.Runtime{LogDir: t.TempDir()}) //nolint:staticcheck // a nil context is the bad input under test
			}()
			if r.Status != step.Error || r.OK || r.Name != tt.give.Name() {
				t.Errorf("Run(nil, …) = name %q status %q ok=%v, want name %q status %q not ok", r.Name, r.Status, r.OK, tt.give.Name(), step.Error)
			}
			if !strings.Contains(r.Details, "nil context") {
				t.Errorf("Run(nil, …) details = %q, want it to mention the nil context", r.Details)
			}
		})
	}
}

func TestNilStepInGroup(t *testing.T) {
	r := step.Parallel("p", 2, nil, step.Skip("s", "why")).Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	got := []step.Status{r.Status, r.Steps[0].Status, r.Steps[1].Status}
	want := []step.Status{step.Failed, step.Error, step.Skipped}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestCommandOutcome(t *testing.T) {
	tests := []struct {
		name string
		ops  []string
		want step.Result // Status, ExitCode, Details, Tail, OK
	}{
		{"pass", []string{"o=hello", "o=world"},
			step.Result{OK: true, Status: step.Passed, ExitCode: 0, Details: "world", Tail: "hello\nworld\n"}},
		{"fail", []string{"e=doing", "e=boom", "x=3"},
			step.Result{Status: step.Failed, ExitCode: 3, Details: "boom", Tail: "doing\nboom\n"}},
		{"blank lines skipped", []string{"o=last real", "o=", "o=   ", "x=1"},
			step.Result{Status: step.Failed, ExitCode: 1, Details: "last real", Tail: "last real\n\n   \n"}},
		{"silent failure", []string{"x=7"},
			step.Result{Status: step.Failed, ExitCode: 7, Details: "exit: exit status 7"}},
		{"long line", []string{"o=" + strings.Repeat("é", 300)},
			step.Result{OK: true, Status: step.Passed, Details: strings.Repeat("é", 199) + "…", Tail: strings.Repeat("é", 300) + "\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := helper("h", tt.ops...).Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
			got := step.Result{OK: r.OK, Status: r.Status, ExitCode: r.ExitCode, Details: r.Details, Tail: r.Tail}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Run(%q) mismatch (-want +got):\n%s", tt.ops, diff)
			}
			if r.PID <= 0 || r.Attempts != 1 || r.Start.IsZero() || r.Duration <= 0 {
				t.Errorf("Run(%q) pid=%d attempts=%d start=%v duration=%v, want all set", tt.ops, r.PID, r.Attempts, r.Start, r.Duration)
			}
		})
	}
}

// dropAll is a LogFile writer that drops everything and, on Close, writes
// a note; it counts the bytes it was offered.
type dropAll struct {
	w    io.Writer
	seen *atomic.Int64
}

func (d dropAll) Write(p []byte) (int, error) { d.seen.Add(int64(len(p))); return len(p), nil }

func (d dropAll) Close() error { _, err := io.WriteString(d.w, "[dropped]\n"); return err }

// TestLogFileWrapsOnlyTheFile: Runtime.LogFile sees the redacted output
// bound for the log files and may drop it, while the tail and the details
// still get every line.
func TestLogFileWrapsOnlyTheFile(t *testing.T) {
	var seen atomic.Int64
	var lines atomic.Int32
	rt := step.Runtime{LogDir: t.TempDir(),
		Redact:  func(w io.Writer) io.WriteCloser { return &redactor{w: w, lines: &lines} },
		LogFile: func(w io.Writer) io.WriteCloser { return dropAll{w, &seen} },
	}
	r := helper("capped", "o=token=hunter2", "o=last words", "x=1").Run(t.Context(), rt)
	if r.Status != step.Failed || r.Details != "last words" || !strings.Contains(r.Tail, "token=***") {
		t.Errorf("Run: status %q details %q tail %q, want failed with the output kept in details and tail", r.Status, r.Details, r.Tail)
	}
	if got := readFile(t, r.StdoutLog); got != "[dropped]\n" {
		t.Errorf("stdout log = %q, want only the LogFile writer's closing note", got)
	}
	if want := int64(len("token=***\nlast words\n")); seen.Load() != want {
		t.Errorf("LogFile writer was offered %d bytes, want the %d redacted bytes of stdout", seen.Load(), want)
	}
}

func TestLogsAndRedaction(t *testing.T) {
	dir := t.TempDir()
	var lines atomic.Int32
	rt := step.Runtime{LogDir: dir, Redact: func(w io.Writer) io.WriteCloser {
		return &redactor{w: w, lines: &lines}
	}}
	c := helper("redact me", "o=token=hunter2 here", "e=err hunter2", "o=fine", "e=hunter2")
	r := c.Run(t.Context(), rt)
	if r.Status != step.Passed {
		t.Fatalf("Run: %+v", r)
	}
	wantOut, wantErr := filepath.Join(dir, "redact_me.stdout.log"), filepath.Join(dir, "redact_me.stderr.log")
	if r.StdoutLog != wantOut || r.StderrLog != wantErr {
		t.Errorf("logs = %q, %q; want %q, %q", r.StdoutLog, r.StderrLog, wantOut, wantErr)
	}
	got := map[string]string{"stdout": readFile(t, r.StdoutLog), "stderr": readFile(t, r.StderrLog)}
	want := map[string]string{"stdout": "token=*** here\nfine\n", "stderr": "err ***\n***\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log files (-want +got):\n%s", diff)
	}
	if strings.Contains(r.Tail, "hunter2") || strings.Contains(r.Details, "hunter2") {
		t.Errorf("secret leaked into tail %q or details %q", r.Tail, r.Details)
	}
	if n := lines.Load(); n != 4 {
		t.Errorf("redactor saw %d lines, want 4", n)
	}

	// A second run of the same name keeps the first run's logs.
	r2 := c.Run(t.Context(), rt)
	if r2.StdoutLog != filepath.Join(dir, "redact_me.2.stdout.log") {
		t.Errorf("second run's log = %q, want the .2 suffix", r2.StdoutLog)
	}
}

// redactor replaces "hunter2" in each line and counts lines.
type redactor struct {
	w     io.Writer
	lines *atomic.Int32
	buf   []byte
}

func (r *redactor) Write(p []byte) (int, error) {
	r.buf = append(r.buf, p...)
	for {
		i := strings.IndexByte(string(r.buf), '\n')
		if i < 0 {
			return len(p), nil
		}
		r.lines.Add(1)
		line := strings.ReplaceAll(string(r.buf[:i+1]), "hunter2", "***")
		r.buf = r.buf[i+1:]
		if _, err := io.WriteString(r.w, line); err != nil {
			return 0, err
		}
	}
}

func (r *redactor) Close() error {
	if len(r.buf) > 0 {
		_, err := io.WriteString(r.w, strings.ReplaceAll(string(r.buf), "hunter2", "***"))
		return err
	}
	return nil
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTailIsBounded(t *testing.T) {
	r := helper("big", "spew=1000000,100").Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	if r.Status != step.Passed {
		t.Fatalf("Run: %+v", r)
	}
	if len(r.Tail) > step.TailBytes || len(r.Tail) < step.TailBytes-100 {
		t.Errorf("len(Tail) = %d, want at most %d and nearly full", len(r.Tail), step.TailBytes)
	}
	if !strings.HasPrefix(r.Tail, strings.Repeat("x", 99)+"\n") {
		t.Errorf("Tail does not start at a line boundary: %q…", r.Tail[:min(len(r.Tail), 120)])
	}
	fi, err := os.Stat(r.StdoutLog)
	if err != nil || fi.Size() != 1000000 {
		t.Errorf("stdout log size = %v (%v), want 1000000", fi.Size(), err)
	}
}

func TestWatch(t *testing.T) {
	var mu sync.Mutex
	var events []string
	var pid int
	rt := step.Runtime{LogDir: t.TempDir(), Watch: func(name string, p int) func() {
		mu.Lock()
		defer mu.Unlock()
		events, pid = append(events, "start "+name), p
		return func() {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, "stop "+name)
		}
	}}
	r := helper("w", "o=x").Run(t.Context(), rt)
	if diff := cmp.Diff([]string{"start w", "stop w"}, events); diff != "" {
		t.Errorf("Watch events (-want +got):\n%s", diff)
	}
	if pid != r.PID {
		t.Errorf("Watch pid = %d, Result.PID = %d", pid, r.PID)
	}
}

func TestTimeoutKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	c := helper("slow", "o=partial progress", "e=warming up", "hang")
	c.Grace = 100 * time.Millisecond
	r := runToDeadline(t, c, dir, "both lines in the logs", func() bool {
		o, _ := os.ReadFile(filepath.Join(dir, "slow.stdout.log"))
		e, _ := os.ReadFile(filepath.Join(dir, "slow.stderr.log"))
		return len(o) > 0 && len(e) > 0
	})
	if r.Status != step.TimedOut || r.OK {
		t.Fatalf("Run: status %q, want %q: %+v", r.Status, step.TimedOut, r)
	}
	if got := readFile(t, r.StdoutLog); got != "partial progress\n" {
		t.Errorf("stdout log = %q, want the partial output", got)
	}
	// The streams are read concurrently, so either line may be the last.
	if r.Details != "timed out; last output: warming up" && r.Details != "timed out; last output: partial progress" {
		t.Errorf("Details = %q, want the timeout and the last line", r.Details)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	c := helper("c", "o=started", "hang")
	var r step.Result
	done := make(chan struct{})
	go func() {
		defer close(done)
		r = c.Run(ctx, step.Runtime{LogDir: t.TempDir(), Watch: func(string, int) func() { cancel(); return func() {} }})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if r.Status != step.Error || !strings.HasPrefix(r.Details, "canceled") {
		t.Errorf("Run after cancel: status %q details %q, want %q \"canceled…\"", r.Status, r.Details, step.Error)
	}
	cancel()
	// Not started at all.
	r = helper("c2", "o=x").Run(ctx, step.Runtime{LogDir: t.TempDir()})
	if r.Status != step.Error || r.Attempts != 0 || r.PID != 0 {
		t.Errorf("Run with a canceled ctx: %+v, want status error, never started", r)
	}
}

func TestRetry(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "count")
	c := helper("flaky", "flaky="+counter+",3")
	c.Retries = 3
	c.Backoff = 10 * time.Millisecond
	r := c.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	if r.Status != step.Passed || r.Attempts != 3 {
		t.Errorf("Run: status %q attempts %d, want passed after 3 attempts (%q)", r.Status, r.Attempts, r.Details)
	}
	if !strings.Contains(r.StdoutLog, "flaky.3.stdout.log") {
		t.Errorf("StdoutLog = %q, want the third attempt's log", r.StdoutLog)
	}

	// Not enough retries.
	var n atomic.Int32
	f := step.Retry(step.Func("f", func(context.Context) error {
		if n.Add(1) < 5 {
			return errors.New("not yet")
		}
		return nil
	}), 2, time.Millisecond)
	r = f.Run(t.Context(), step.Runtime{})
	if r.Status != step.Failed || r.Attempts != 3 || n.Load() != 3 {
		t.Errorf("Retry(2): status %q attempts %d calls %d, want failed after 3", r.Status, r.Attempts, n.Load())
	}

	// Errors are not retried.
	r = step.Retry(step.Command{Name: "bad"}.Step(), 3, time.Millisecond).Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	if r.Status != step.Error || r.Attempts > 1 {
		t.Errorf("Retry of a bad command: status %q attempts %d, want one error", r.Status, r.Attempts)
	}
}

func TestRetryRespectsDeadline(t *testing.T) {
	fail := step.Func("f", func(ctx context.Context) error { return errors.New("fail fast") })
	cmd := helper("c", "x=1")
	cmd.Retries, cmd.Timeout, cmd.Backoff = 5, time.Minute, time.Millisecond
	tests := []struct {
		name string
		give step.Step
	}{
		// The attempt's own bound (1m) does not fit in what is left (30s).
		{"bounded attempt", step.Retry(step.Timeout(fail, time.Minute), 5, time.Millisecond)},
		// The backoff alone does not fit.
		{"long backoff", step.Retry(fail, 5, time.Minute)},
		// A command with a timeout per attempt.
		{"command", cmd.Step()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			r := tt.give.Run(ctx, step.Runtime{LogDir: t.TempDir()})
			if r.Attempts != 1 || r.Status != step.Failed || !strings.Contains(r.Details, "no retry") {
				t.Errorf("Run: attempts %d status %q details %q; want 1 failed attempt and no retry", r.Attempts, r.Status, r.Details)
			}
			if ctx.Err() != nil {
				t.Errorf("Run waited until the deadline instead of giving up at once")
			}
		})
	}
}

func TestRetryBackoffInterruptedByDeadline(t *testing.T) {
	// The first attempt is fast and its duration is the estimate, so the
	// retry looks affordable; the backoff fits but then the deadline comes.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	var calls atomic.Int32
	s := step.Retry(step.Func("f", func(ctx context.Context) error {
		calls.Add(1)
		return errors.New("no")
	}), 10, 700*time.Millisecond)
	r := s.Run(ctx, step.Runtime{})
	if r.Status != step.Failed || calls.Load() < 2 || calls.Load() > 3 {
		t.Errorf("Run: status %q after %d calls (%q); want failed after 2 or 3 calls", r.Status, calls.Load(), r.Details)
	}
	if ctx.Err() == nil && !strings.Contains(r.Details, "no retry") {
		t.Errorf("Run returned before the deadline without saying why: %q", r.Details)
	}
}

func TestTimeoutStep(t *testing.T) {
	r := step.Timeout(step.Func("wait", func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}), 50*time.Millisecond).Run(t.Context(), step.Runtime{})
	if r.Status != step.TimedOut || !strings.Contains(r.Details, `"wait" exceeded its 50ms timeout`) {
		t.Errorf("Timeout(Func): status %q details %q", r.Status, r.Details)
	}
	r = step.Timeout(step.Func("quick", func(ctx context.Context) error { return nil }), time.Hour).Run(t.Context(), step.Runtime{})
	if r.Status != step.Passed {
		t.Errorf("Timeout(quick): status %q", r.Status)
	}
}

func TestFuncAndSkip(t *testing.T) {
	tests := []struct {
		name string
		give step.Step
		want step.Result
	}{
		{"ok", step.Func("ok", func(context.Context) error { return nil }),
			step.Result{Name: "ok", OK: true, Status: step.Passed, ExitCode: -1, Attempts: 1}},
		{"error", step.Func("bad", func(context.Context) error { return errors.New("it broke") }),
			step.Result{Name: "bad", Status: step.Failed, Details: "it broke", ExitCode: -1, Attempts: 1}},
		{"skip", step.Skip("later", "no credentials"),
			step.Result{Name: "later", OK: true, Status: step.Skipped, Details: "no credentials", ExitCode: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.give.Run(t.Context(), step.Runtime{})
			if got.Name != tt.give.Name() {
				t.Errorf("Name() = %q, Result.Name = %q", tt.give.Name(), got.Name)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(step.Result{}, "Start", "Duration")); diff != "" {
				t.Errorf("Run() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSequence(t *testing.T) {
	var order []string
	mk := func(name string, err error) step.Step {
		return step.Func(name, func(context.Context) error { order = append(order, name); return err })
	}
	r := step.Sequence("seq", mk("a", nil), mk("b", errors.New("b broke")), mk("c", nil)).Run(t.Context(), step.Runtime{})
	type brief struct {
		Name    string
		Status  step.Status
		Details string
	}
	var got []brief
	for _, s := range append([]step.Result{r}, r.Steps...) {
		got = append(got, brief{s.Name, s.Status, s.Details})
	}
	want := []brief{
		{"seq", step.Failed, "b failed: b broke"},
		{"a", step.Passed, ""},
		{"b", step.Failed, "b broke"},
		{"c", step.Skipped, "not run: b failed"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sequence results (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "b"}, order); diff != "" {
		t.Errorf("steps run (-want +got):\n%s", diff)
	}
}

func TestParallelOrderAndLimit(t *testing.T) {
	var running, peak atomic.Int32
	mk := func(name string, d time.Duration) step.Step {
		return step.Func(name, func(context.Context) error {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(d)
			running.Add(-1)
			return nil
		})
	}
	// Later steps finish first; results must keep the declared order.
	steps := []step.Step{mk("s1", 60*time.Millisecond), mk("s2", 40*time.Millisecond), mk("s3", 20*time.Millisecond), mk("s4", time.Millisecond)}
	r := step.Parallel("par", 2, steps...).Run(t.Context(), step.Runtime{})
	var names []string
	for _, s := range r.Steps {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"s1", "s2", "s3", "s4"}, names); diff != "" {
		t.Errorf("Parallel result order (-want +got):\n%s", diff)
	}
	if p := peak.Load(); p > 2 {
		t.Errorf("peak concurrency %d, want at most 2", p)
	}
	if r.Status != step.Passed || r.Details != "4 passed" {
		t.Errorf("Parallel: status %q details %q", r.Status, r.Details)
	}
}

func TestGroupDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	wait := step.Func("wait", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	r := step.Sequence("seq", wait, step.Func("next", func(context.Context) error { return nil })).Run(ctx, step.Runtime{})
	got := []step.Status{r.Status, r.Steps[0].Status, r.Steps[1].Status}
	if diff := cmp.Diff([]step.Status{step.TimedOut, step.TimedOut, step.Skipped}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

// TestGroupNotRunIsNotOK: a group whose context ends between children is
// not ok, even though every child that ran passed; the children that did
// not run are skipped with the reason.
func TestGroupNotRunIsNotOK(t *testing.T) {
	tests := []struct {
		name       string
		give       func(steps ...step.Step) step.Step
		cancel     bool // cancel instead of letting a deadline expire
		wantStatus step.Status
	}{
		{"sequence deadline", func(s ...step.Step) step.Step { return step.Sequence("g", s...) }, false, step.TimedOut},
		{"parallel deadline", func(s ...step.Step) step.Step { return step.Parallel("g", 1, s...) }, false, step.TimedOut},
		{"sequence canceled", func(s ...step.Step) step.Step { return step.Sequence("g", s...) }, true, step.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			// first passes just as the context ends, so second never runs.
			first := step.Func("first", func(ctx context.Context) error {
				if tt.cancel {
					cancel()
				}
				<-ctx.Done()
				return nil
			})
			second := step.Func("second", func(context.Context) error { return nil })
			r := tt.give(first, second).Run(ctx, step.Runtime{})
			got := []step.Status{r.Status, r.Steps[0].Status, r.Steps[1].Status}
			if diff := cmp.Diff([]step.Status{tt.wantStatus, step.Passed, step.Skipped}, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if r.OK || !strings.Contains(r.Details, "1 of 2 steps not run") {
				t.Errorf("group OK=%v details %q, want not ok and the count of steps not run", r.OK, r.Details)
			}
			if !strings.HasPrefix(r.Steps[1].Details, "not run: ") {
				t.Errorf("second details %q, want a not-run reason", r.Steps[1].Details)
			}
		})
	}
}

func TestNestedLogDirs(t *testing.T) {
	dir := t.TempDir()
	s := step.Sequence("outer", step.Parallel("inner/x", 0, helper("leaf", "o=1").Step()))
	r := s.Run(t.Context(), step.Runtime{LogDir: dir})
	got := r.Steps[0].Steps[0].StdoutLog
	if want := filepath.Join(dir, "outer", "inner_x", "leaf.stdout.log"); got != want {
		t.Errorf("nested log = %q, want %q", got, want)
	}

	// No LogDir: a temporary directory for the command.
	r = s.Run(t.Context(), step.Runtime{})
	got = r.Steps[0].Steps[0].StdoutLog
	tmp := filepath.Dir(got)
	if filepath.Base(got) != "leaf.stdout.log" || !strings.HasPrefix(filepath.Base(tmp), "soakkit-step-") {
		t.Fatalf("log without LogDir = %q, want leaf.stdout.log in a soakkit-step-* directory", got)
	}
	os.RemoveAll(tmp)
}

// TestResultJSON: results marshal with snake_case keys, the duration in
// milliseconds and nested steps and tests, and decode back unchanged.
func TestResultJSON(t *testing.T) {
	start := time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC)
	results := []step.Result{
		{Name: "lint", OK: true, Status: step.Passed, Details: "3 passed", Start: start, Duration: 1500 * time.Millisecond, Attempts: 1,
			Steps: []step.Result{{Name: "vet", OK: true, Status: step.Passed, Start: start, Attempts: 1}}},
		{Name: "tests", Status: step.Failed, Details: "1 passed, 1 failed (TestX)", ExitCode: 1, Start: start, Attempts: 2,
			Tests: []step.TestResult{{Package: "p", Test: "TestX", Status: step.Failed}}},
	}
	b, err := canonjson.Marshal(results)
	if err != nil {
		t.Fatal(err)
	}
	var got []any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := []any{
		map[string]any{"name": "lint", "ok": true, "status": "passed", "details": "3 passed", "exit_code": 0.0,
			"start": "2026-11-26T22:00:00Z", "duration_ms": 1500.0, "attempts": 1.0,
			"steps": []any{map[string]any{"name": "vet", "ok": true, "status": "passed", "details": "", "exit_code": 0.0,
				"start": "2026-11-26T22:00:00Z", "duration_ms": 0.0, "attempts": 1.0}}},
		map[string]any{"name": "tests", "ok": false, "status": "failed", "details": "1 passed, 1 failed (TestX)", "exit_code": 1.0,
			"start": "2026-11-26T22:00:00Z", "duration_ms": 0.0, "attempts": 2.0,
			"tests": []any{map[string]any{"package": "p", "test": "TestX", "status": "failed", "elapsed_ns": 0.0}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results JSON (-want +got):\n%s", diff)
	}

	// Round trip.
	var back []step.Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(results, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
