package proctree

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

func TestPidReused(t *testing.T) {
	self := os.Getpid()
	start := startTicks(self)
	if start == 0 {
		t.Fatal("startTicks(self) = 0")
	}
	// A pid that no process has: run a short command and reap it.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true binary:", err)
	}
	gone := cmd.Process.Pid
	tests := []struct {
		name  string
		pid   int
		start uint64
		want  bool
	}{
		{"same process", self, start, false},
		{"another process under that pid", self, start + 1, true},
		{"start unknown", self, 0, false},
		{"pid gone", gone, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.pid == gone && startTicks(gone) != 0 {
				t.Skip("the pid was already given to another process")
			}
			if got := pidReused(tt.pid, tt.start); got != tt.want {
				t.Errorf("pidReused(%d, %d) = %v, want %v", tt.pid, tt.start, got, tt.want)
			}
		})
	}
}

// TestStopAfterReuseSignalsNothing starts a tree, lets it end, then
// pretends its pid was reused: Stop and Kill must not signal the group.
func TestStopAfterReuseSignalsNothing(t *testing.T) {
	victim := exec.Command("sleep", "30")
	tr, err := Prepare(victim, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Skip("no sleep binary:", err)
	}
	defer func() {
		victim.Process.Kill()
		victim.Wait()
		tr.Close()
	}()
	// The live group leader is "another process" if its start time differs.
	tr.mu.Lock()
	tr.sys.startTicks++
	tr.mu.Unlock()
	tr.Kill()
	if err := victim.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("Kill signaled a group whose leader's pid names another process: %v", err)
	}
}
