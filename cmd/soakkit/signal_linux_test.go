package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalEndsBlockedCommand checks that a command blocked on input that
// never comes (standard input held open by a silent writer) still ends
// within seconds of SIGTERM or SIGINT, with the signal's exit status.
func TestSignalEndsBlockedCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		sig  syscall.Signal
	}{
		{"secrets stdin SIGTERM", []string{"secrets", "-"}, syscall.SIGTERM},
		{"secrets stdin SIGINT", []string{"secrets", "-"}, syscall.SIGINT},
		{"lint stdin SIGTERM", []string{"lint", "-"}, syscall.SIGTERM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close() // held open: the command's read never returns on its own
			cmd := exec.Command(binary, tt.args...)
			cmd.Dir = t.TempDir()
			cmd.Stdin = pr
			cmd.Env = append(os.Environ(), "CI=true")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pr.Close()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			waitBlockedOnPipe(t, cmd.Process.Pid, done)
			sent := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				if took := time.Since(sent); took > 5*time.Second {
					t.Errorf("soakkit %v ended %s after %v, want within 5s", tt.args, took.Round(time.Millisecond), tt.sig)
				}
				ee, ok := err.(*exec.ExitError)
				if !ok || ee.ExitCode() != exitSignal {
					t.Errorf("soakkit %v after %v: %v, want exit status %d", tt.args, tt.sig, err, exitSignal)
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("soakkit %v still running 30s after %v", tt.args, tt.sig)
			}
		})
	}
}

// waitBlockedOnPipe waits until a thread of the process sleeps in a pipe
// read: the command has started (its signal handling is in place) and is
// blocked on its standard input.
func waitBlockedOnPipe(t *testing.T, pid int, done <-chan error) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if inPipeRead(pid) {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("process ended before it read its input: %v", err)
		case <-deadline:
			t.Fatalf("process %d never blocked reading its input", pid)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// inPipeRead reports whether a thread of pid waits in the kernel's pipe read.
func inPipeRead(pid int) bool {
	tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "wchan"))
	for _, p := range tasks {
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), "pipe_read") {
			return true
		}
	}
	return false
}

// TestSecretsFIFO checks that a FIFO named on the command line is reported
// as skipped instead of blocking the scan.
func TestSecretsFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	r := soakkit(t, dir, nil, "secrets", "pipe")
	if r.code != exitOK {
		t.Fatalf("soakkit secrets pipe: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitOK, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout+r.stderr, "pipe: skipped: not a regular file") {
		t.Errorf("soakkit secrets pipe does not report the FIFO as skipped\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}

// TestFIFOInputsAnswered names a FIFO wherever a command reads a file —
// a path to scan or lint, a config, a baseline, an ignore file, a tree to
// init — and checks that every command answers at once (a FIFO is never
// opened for reading: nobody would write it) instead of waiting for a
// signal.
func TestFIFOInputsAnswered(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tree"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"p", "tree/q"} {
		if err := syscall.Mkfifo(filepath.Join(dir, p), 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	os.WriteFile(filepath.Join(dir, "tree", "a.py"), []byte("print(1)\n"), 0o644)
	tests := []struct {
		args     []string
		wantCode int
	}{
		{[]string{"secrets", "p"}, exitOK},
		{[]string{"secrets", "tree"}, exitOK},
		{[]string{"secrets", "--config", "p", "tree"}, exitUsage},
		{[]string{"secrets", "--baseline", "p", "tree"}, exitUsage},
		{[]string{"secrets", "--gitleaks-ignore", "p", "tree"}, exitUsage},
		{[]string{"lint", "tree"}, exitOK},
		{[]string{"lint", "--config", "p", "tree"}, exitUsage},
		{[]string{"lint", "--baseline", "p", "tree"}, exitUsage},
		{[]string{"validate", "--config", "p"}, exitUsage},
		{[]string{"soak", "--config", "p"}, exitUsage},
		{[]string{"init", "tree"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, tt.args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "CI=true")
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("soakkit %v still running after 20s: it blocks on the FIFO\n%s", tt.args, out)
			}
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantCode {
				t.Errorf("soakkit %v: exit %d, want %d\n%s", tt.args, code, tt.wantCode, out)
			}
			if tt.wantCode == exitUsage && !strings.Contains(string(out), "not a regular file") {
				t.Errorf("soakkit %v does not say the file is not a regular file:\n%s", tt.args, out)
			}
		})
	}
}
