package step_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/step"
)

func TestTreeEndsOnTimeout(t *testing.T) {
	dir := t.TempDir()
	c := step.Command{Name: "tree", Argv: []string{"sh", "-c", "sleep 300 & echo $!; sleep 300 & echo $!; echo $$; wait"},
		Grace: 200 * time.Millisecond}
	logPath := filepath.Join(dir, "tree.stdout.log")
	r := runToDeadline(t, c, dir, "three pids", func() bool {
		b, _ := os.ReadFile(logPath)
		return bytes.Count(b, []byte("\n")) >= 3
	})
	pids := readPids(t, logPath)
	if r.Status != step.TimedOut {
		t.Errorf("Run: status %q, want %q (%s)", r.Status, step.TimedOut, r.Details)
	}
	assertGone(t, pids...)
}

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
		{"double fork", "(setsid sleep 300 " + untilEscaped + ")", false, step.Failed, true},
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
