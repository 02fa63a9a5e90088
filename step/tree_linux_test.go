package step_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/step"
)

// alive reports whether pid still runs; a zombie has ended.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return f[0] != "Z" && f[0] != "X"
}

// assertGone fails unless every pid has ended within a bounded wait. It also
// checks with signal 0, which sees any process that has not been reaped.
func assertGone(t *testing.T, pids ...int) {
	t.Helper()
	if len(pids) == 0 {
		t.Fatal("assertGone: no pids; the test proves nothing")
	}
	waitFor(t, 10*time.Second, fmt.Sprintf("processes %v to end", pids), func() bool {
		for _, p := range pids {
			if alive(p) {
				return false
			}
		}
		return true
	})
}

func TestTreeEndsOnTimeout(t *testing.T) {
	dir := t.TempDir()
	ctx := newDeadlineCtx(t.Context())
	c := step.Command{Name: "tree", Argv: []string{"sh", "-c", "sleep 300 & echo $!; sleep 300 & echo $!; echo $$; wait"},
		Grace: 200 * time.Millisecond}
	done := make(chan step.Result, 1)
	go func() { done <- c.Run(ctx, step.Runtime{LogDir: dir}) }()
	logPath := filepath.Join(dir, "tree.stdout.log")
	waitFor(t, 60*time.Second, "three pids", func() bool {
		b, _ := os.ReadFile(logPath)
		return bytes.Count(b, []byte("\n")) >= 3
	})
	pids := readPids(t, logPath)
	ctx.expire()
	var r step.Result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return 30s after the deadline")
	}
	if r.Status != step.TimedOut {
		t.Errorf("Run: status %q, want %q (%s)", r.Status, step.TimedOut, r.Details)
	}
	assertGone(t, pids...)
}

func TestTreeOfHelpersEndsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	dir := t.TempDir()
	c := helper("helpers", "spawn=2", "hang")
	done := make(chan step.Result, 1)
	go func() { done <- c.Run(ctx, step.Runtime{LogDir: dir}) }()
	logPath := filepath.Join(dir, "helpers.stdout.log")
	waitFor(t, 60*time.Second, "two helper pids", func() bool {
		b, _ := os.ReadFile(logPath)
		return bytes.Count(b, []byte("\n")) >= 2
	})
	pids := readPids(t, logPath)
	cancel()
	var r step.Result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return 30s after cancel")
	}
	if r.Status != step.Error || !strings.HasPrefix(r.Details, "canceled") {
		t.Errorf("Run: status %q details %q, want error \"canceled…\"", r.Status, r.Details)
	}
	assertGone(t, append(pids, r.PID)...)
}

// untilEscaped ends a shell command line that starts a background process:
// it waits until that process has its own process group (setsid has run),
// then prints its pid.
const untilEscaped = `& p=$!; until read -r _ _ _ _ pg _ < /proc/$p/stat && [ "$pg" = "$p" ]; do sleep 0.01; done; echo $p`

func TestGrandchildHoldingStdoutDoesNotHang(t *testing.T) {
	tests := []struct {
		name           string
		script         string
		allowLeftovers bool
		wantStatus     step.Status
		wantEscaped    bool
	}{
		{"background", "sleep 300 & echo $!", false, step.Failed, false},
		{"background allowed", "sleep 300 & echo $!", true, step.Passed, false},
		{"setsid", "setsid sleep 300 " + untilEscaped, false, step.Failed, true},
		{"nohup setsid allowed", "nohup setsid sleep 300 " + untilEscaped, true, step.Passed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := step.Command{Name: "bg", Argv: []string{"sh", "-c", tt.script}, AllowLeftovers: tt.allowLeftovers, Timeout: time.Minute}
			start := time.Now()
			r := c.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("Run took %v", d)
			}
			pids := readPids(t, r.StdoutLog)
			if r.Status != tt.wantStatus || r.ExitCode != 0 {
				t.Errorf("Run: status %q exit %d, want %q exit 0 (%s)", r.Status, r.ExitCode, tt.wantStatus, r.Details)
			}
			assertGone(t, pids...)
			if len(r.Leftovers) != 1 || r.Leftovers[0].PID != pids[0] || r.Leftovers[0].Escaped != tt.wantEscaped {
				t.Errorf("Leftovers = %v, want pid %d escaped=%v", r.Leftovers, pids[0], tt.wantEscaped)
			}
		})
	}
}

func TestUnrelatedProcessesUntouched(t *testing.T) {
	other := exec.Command("sleep", "300")
	other.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		other.Process.Kill()
		other.Wait()
	}()
	c := step.Command{Name: "bg", Argv: []string{"sh", "-c", "sleep 300 & setsid sleep 300 & echo done"}}
	r := c.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	if len(r.Leftovers) != 2 {
		t.Errorf("Leftovers = %v, want both sleeps", r.Leftovers)
	}
	if !alive(other.Process.Pid) {
		t.Error("the step killed a process it did not start")
	}
}

// TestInterruptEndsTrees is the Ctrl+C end-to-end test: a driver process
// runs a step under signal.NotifyContext; SIGINT to the driver must end the
// step's tree and let the driver report.
func TestInterruptEndsTrees(t *testing.T) {
	dir := t.TempDir()
	h := helperProcess("driver=" + dir)
	var out bytes.Buffer
	driver := exec.Command(h.argv[0], h.argv[1:]...)
	driver.Env = append(os.Environ(), h.env...)
	driver.Stdout = &out
	driver.Stderr = os.Stderr
	if err := driver.Start(); err != nil {
		t.Fatal(err)
	}
	defer driver.Process.Kill()
	logPath := filepath.Join(dir, "tree.stdout.log")
	waitFor(t, 60*time.Second, "the driver's tree", func() bool {
		b, _ := os.ReadFile(logPath)
		return bytes.Count(b, []byte("\n")) >= 2
	})
	pids := readPids(t, logPath)
	if err := driver.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- driver.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("driver: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("driver did not exit 30s after SIGINT")
	}
	assertGone(t, pids...)
	_, last, _ := bytes.Cut(out.Bytes(), []byte("ready\n"))
	var r step.Result
	if err := json.Unmarshal(last, &r); err != nil {
		t.Fatalf("driver output %q: %v", out.String(), err)
	}
	if r.Status != step.Error || !strings.HasPrefix(r.Details, "canceled") {
		t.Errorf("driver's Result: status %q details %q, want error \"canceled…\"", r.Status, r.Details)
	}
}

// TestKilledRunnerTakesCommandDown: a runner that is SIGKILLed cannot clean
// up, but Pdeathsig still ends the command it started.
func TestKilledRunnerTakesCommandDown(t *testing.T) {
	h := helperProcess("orphan=" + t.TempDir())
	var out syncBuffer
	runner := exec.Command(h.argv[0], h.argv[1:]...)
	runner.Env = append(os.Environ(), h.env...)
	runner.Stdout = &out
	if err := runner.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "the command's pid", func() bool { return strings.HasSuffix(out.String(), "\n") })
	pid, err := strconv.Atoi(strings.TrimSpace(out.String()))
	if err != nil || !alive(pid) {
		runner.Process.Kill()
		runner.Wait()
		t.Fatalf("runner printed %q; want the pid of a running command", out.String())
	}
	runner.Process.Kill()
	runner.Wait()
	assertGone(t, pid)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
