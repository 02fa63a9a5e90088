package proctree

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestHasCookie reads the environment of live children: with the cookie,
// with other variables only, and with none at all (which must not count,
// and must not be mistaken for a process caught in execve for long).
func TestHasCookie(t *testing.T) {
	const cookie = CookiePrefix + "0123456789abcdef"
	tests := []struct {
		name string
		env  []string
		want bool
	}{
		{"cookie", []string{"A=1", cookie + "=1", "B=2"}, true},
		{"cookie last", []string{"A=1", cookie + "=1"}, true},
		{"other cookie", []string{CookiePrefix + "ffff=1"}, false},
		{"cookie as a value", []string{"A=" + cookie + "=1"}, false},
		{"empty environment", []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("sleep", "300")
			cmd.Env = tt.env
			if err := cmd.Start(); err != nil {
				t.Skip("no sleep binary:", err)
			}
			t.Cleanup(func() {
				cmd.Process.Kill()
				cmd.Wait()
			})
			pid := cmd.Process.Pid
			// Wait until the child runs sleep: before that it is a fork
			// of this program, with this program's environment.
			deadline := time.Now().Add(30 * time.Second)
			for readCmdline(pid) != "sleep 300" {
				if time.Now().After(deadline) {
					t.Fatalf("pid %d did not exec sleep within 30s", pid)
				}
				time.Sleep(time.Millisecond)
			}
			if got := hasCookie(pid, []byte(cookie+"=")); got != tt.want {
				t.Errorf("hasCookie(%v) = %v, want %v", tt.env, got, tt.want)
			}
		})
	}
}

// TestStatKthread: this process is not a kernel thread.
func TestStatKthread(t *testing.T) {
	st, ok := readStat(os.Getpid())
	if !ok {
		t.Fatal("readStat(self) failed")
	}
	if st.kthread() {
		t.Errorf("readStat(self).flags = %#x: kernel thread flag set", st.flags)
	}
}
