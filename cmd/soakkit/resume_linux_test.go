package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/soak/artifact"
)

// TestSoakResumeAfterKill kills soakkit (SIGKILL) while its step's
// grandchild runs, then resumes with --resume alone: the settings come from
// state.json (the command, the count and the heartbeat given as flags), the
// grandchild left by the killed run is ended and reported, and the count
// holds. Settings that differ from the checkpoint's, a corrupt state.json
// and a missing one are usage errors (exit 2) naming the problem.
func TestSoakResumeAfterKill(t *testing.T) {
	dir := t.TempDir()
	art := filepath.Join(dir, "art")
	// The first iteration starts a grandchild and waits for it; once the
	// file "stop" exists, iterations end at once.
	script := `if [ ! -e stop ]; then sleep 600 & echo $! > grandchild; wait; fi`
	cmd := exec.Command(binary, "soak", "--iterations", "3", "--heartbeat", "0s", "--artifacts", art, "--", "sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CI=true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var grandchild int
	deadline := time.Now().Add(30 * time.Second)
	for grandchild == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("the step did not start its grandchild within 30s")
		}
		b, _ := os.ReadFile(filepath.Join(dir, "grandchild"))
		grandchild, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Cleanup(func() { syscall.Kill(grandchild, syscall.SIGKILL) })
	if syscall.Kill(grandchild, 0) != nil {
		t.Fatalf("grandchild %d died with soakkit; nothing to test", grandchild)
	}
	if err := os.WriteFile(filepath.Join(dir, "stop"), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"other count", []string{"--iterations", "7"}, "count: 3 in the checkpoint, 7 given"},
		{"other heartbeat", []string{"--heartbeat", "1s"}, "heartbeat: 0s in the checkpoint, 1s given"},
		{"other command", []string{"--", "true"}, `command: ["sh" "-c"`},
	}
	for _, tt := range tests {
		r := soakkit(t, dir, nil, append([]string{"soak", "--resume", "--artifacts", art}, tt.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d naming %q", tt.name, r.code, r.stderr, exitUsage, tt.want)
		}
	}

	r := soakkit(t, dir, nil, "soak", "--resume", "--artifacts", art)
	if r.code != exitOK {
		t.Errorf("--resume alone: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "ended 1 process(es) left running by an earlier, killed run") {
		t.Errorf("stderr does not report the orphan: %s", r.stderr)
	}
	for i := 0; running(grandchild); i++ {
		if i == 500 {
			t.Fatalf("grandchild %d of the killed run still alive after the resume", grandchild)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var st artifact.State
	if err := canonjson.Read(artifact.Layout{Root: art}.State(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Counts.Iterations != 3 || st.Counts.Interrupted != 1 || st.Stop != artifact.StopCount {
		t.Errorf("state after resume: counts %+v, stop %q; want 3 iterations (1 interrupted), stop count", st.Counts, st.Stop)
	}
	if st.Heartbeat == nil || st.Heartbeat.Std() != 0 || len(st.Orphans) != 1 || st.Orphans[0].PID != grandchild {
		t.Errorf("state after resume: heartbeat %v, orphans %+v; want 0s and the grandchild %d", st.Heartbeat, st.Orphans, grandchild)
	}

	// A finished soak, a missing and a corrupt checkpoint: usage errors.
	if r := soakkit(t, dir, nil, "soak", "--resume", "--artifacts", art); r.code != exitUsage {
		t.Errorf("resume of a finished soak: exit %d, want %d", r.code, exitUsage)
	}
	if r := soakkit(t, dir, nil, "soak", "--resume", "--artifacts", filepath.Join(dir, "none")); r.code != exitUsage || !strings.Contains(r.stderr, "no soak to resume") {
		t.Errorf("resume without a checkpoint: exit %d, stderr %q", r.code, r.stderr)
	}
	if err := os.WriteFile(artifact.Layout{Root: art}.State(), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := soakkit(t, dir, nil, "soak", "--resume", "--artifacts", art); r.code != exitUsage || !strings.Contains(r.stderr, "state.json") {
		t.Errorf("resume of a corrupt state.json: exit %d, stderr %q; want %d naming the file", r.code, r.stderr, exitUsage)
	}
}

// running reports whether pid is a live process. A zombie is not: when the
// test runs under a subreaper (soakkit validate runs go test as one), a
// killed orphan is re-parented to it and stays a zombie until that
// subreaper reaps it, which the test cannot hurry.
func running(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the command name's closing parenthesis.
	i := strings.LastIndexByte(string(b), ')')
	return i >= 0 && i+2 < len(b) && b[i+2] != 'Z' && b[i+2] != 'X'
}
