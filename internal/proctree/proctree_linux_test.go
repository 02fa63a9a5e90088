package proctree_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/proctree"
)

// canReadEnviron says whether proctree.Contained can see a process's cookie.
const canReadEnviron = true

var platformHelpers = map[string]func(args []string) int{
	// runner starts `sleep 300` in a tree with Pdeathsig from a locked
	// thread, prints its pid and waits forever.
	"runner": func(args []string) int {
		runtime.LockOSThread()
		cmd := exec.Command("sleep", "300")
		tr, err := proctree.Prepare(cmd, proctree.Options{Pdeathsig: true})
		if err == nil {
			err = tr.Start()
		}
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		fmt.Println(cmd.Process.Pid)
		cmd.Wait()
		return 0
	},
	// subreaper becomes a subreaper, runs a tree whose setsid grandchild is
	// orphaned, and checks that Sweep kills it and leaves no zombie child.
	"subreaper": func(args []string) int {
		if err := proctree.EnableSubreaper(); err != nil {
			fmt.Println("error:", err)
			return 1
		}
		// Stdout is a file, not a pipe: the orphan keeps it open.
		out, err := os.CreateTemp("", "subreaper")
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		defer os.Remove(out.Name())
		cmd := exec.Command("sh", "-c", "setsid sleep 300 & echo $!")
		cmd.Stdout = out
		tr, err := proctree.Prepare(cmd, proctree.Options{})
		if err == nil {
			err = tr.Start()
		}
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		cmd.Wait()
		b, _ := os.ReadFile(out.Name())
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		deadline := time.Now().Add(20 * time.Second)
		for ppidOf(pid) != os.Getpid() {
			if time.Now().After(deadline) {
				fmt.Printf("error: orphan %d was not re-parented to the subreaper %d\n", pid, os.Getpid())
				return 1
			}
			time.Sleep(10 * time.Millisecond)
		}
		found := tr.Sweep()
		if len(found) != 1 || found[0].PID != pid {
			fmt.Printf("error: Sweep found %v, want pid %d\n", found, pid)
			return 1
		}
		if kids := childrenOf(os.Getpid()); len(kids) != 0 {
			fmt.Printf("error: children left after Sweep: %v\n", kids)
			return 1
		}
		fmt.Println("ok")
		return 0
	},
}

// state returns the state letter and parent of pid, or ok=false if there
// is no such process.
func state(pid int) (st byte, ppid int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	ppid, _ = strconv.Atoi(f[1])
	return f[0][0], ppid, true
}

func ppidOf(pid int) int {
	_, ppid, _ := state(pid)
	return ppid
}

// alive reports whether pid still runs (a zombie has ended).
func alive(pid int) bool {
	st, _, ok := state(pid)
	return ok && st != 'Z' && st != 'X'
}

// childrenOf lists the processes whose parent is pid, zombies included.
func childrenOf(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var kids []int
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, ppid, ok := state(p); ok && ppid == pid {
			kids = append(kids, p)
		}
	}
	return kids
}

// assertGone fails the test unless every pid has ended within d.
func assertGone(t *testing.T, d time.Duration, pids ...int) {
	t.Helper()
	waitFor(t, d, fmt.Sprintf("processes %v to end", pids), func() bool {
		for _, p := range pids {
			if alive(p) {
				return false
			}
		}
		return true
	})
}

// shellTree starts script under sh in a Tree, with stdout to a file, and
// returns the tree and the pids the script printed (want of them).
func shellTree(t *testing.T, script string, want int, opts proctree.Options) (*exec.Cmd, *proctree.Tree, []int) {
	t.Helper()
	outPath := filepath.Join(t.TempDir(), "out")
	f, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command("sh", "-c", script)
	cmd.Stdout = f
	tr, err := proctree.Prepare(cmd, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	var pids []int
	waitFor(t, 30*time.Second, fmt.Sprintf("%d pids from %q", want, script), func() bool {
		b, _ := os.ReadFile(outPath)
		pids = pids[:0]
		for _, s := range strings.Fields(string(b)) {
			p, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("script printed %q", s)
			}
			pids = append(pids, p)
		}
		return len(pids) >= want
	})
	return cmd, tr, pids
}

func TestStopEndsWholeTree(t *testing.T) {
	script := "sleep 300 & echo $!; sleep 300 & echo $!; setsid sleep 300 & echo $!; echo $$; wait"
	cmd, tr, pids := shellTree(t, script, 4, proctree.Options{Grace: time.Second})
	if pids[3] != cmd.Process.Pid {
		t.Errorf("shell pid %d, want %d", pids[3], cmd.Process.Pid)
	}
	// The setsid'd sleep must really have left the group for this test
	// to mean anything.
	waitFor(t, 30*time.Second, "setsid to take effect", func() bool {
		pg, _ := syscall.Getpgid(pids[2])
		return pg == pids[2]
	})
	if err := tr.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	waitReturns(t, cmd, 30*time.Second)
	found := tr.Sweep()
	assertGone(t, 10*time.Second, pids...)
	var escaped []int
	for _, p := range found {
		if p.Escaped {
			escaped = append(escaped, p.PID)
		}
	}
	if len(escaped) != 1 || escaped[0] != pids[2] {
		t.Errorf("Sweep() escaped = %v, want [%d] (found %v)", escaped, pids[2], found)
	}
}

func TestSweepAfterNormalExit(t *testing.T) {
	cmd, tr, pids := shellTree(t, "sleep 300 & echo $!", 1, proctree.Options{})
	waitReturns(t, cmd, 30*time.Second)
	if !cmd.ProcessState.Success() {
		t.Fatalf("shell: %v", cmd.ProcessState)
	}
	if !alive(pids[0]) {
		t.Fatal("background sleep ended before the sweep; the test proves nothing")
	}
	found := tr.Sweep()
	assertGone(t, 10*time.Second, pids[0])
	if len(found) != 1 || found[0].PID != pids[0] || found[0].Escaped || !strings.HasPrefix(found[0].Cmdline, "sleep 300") {
		t.Errorf("Sweep() = %v, want one process pid %d \"sleep 300\" in the group", found, pids[0])
	}
	if again := tr.Sweep(); again != nil {
		t.Errorf("second Sweep() = %v, want nil", again)
	}
}

func TestSweepLeavesOthersAlone(t *testing.T) {
	// An unrelated process in its own group, started by the same runner:
	// it must survive every sweep.
	other := exec.Command("sleep", "300")
	other.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		other.Process.Kill()
		other.Wait()
	}()
	cmd, tr, pids := shellTree(t, "sleep 300 & echo $!; setsid sleep 300 & echo $!", 2, proctree.Options{})
	waitReturns(t, cmd, 30*time.Second)
	tr.Sweep()
	assertGone(t, 10*time.Second, pids...)
	if !alive(other.Process.Pid) {
		t.Error("Sweep killed a process outside its tree")
	}
}

func TestGraceThenKill(t *testing.T) {
	cmd := helperCommand(t, "ignore-term")
	out := &lineReader{}
	cmd.Stdout = out
	tr, err := proctree.Prepare(cmd, proctree.Options{Grace: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "helper ready", func() bool { return strings.Contains(out.String(), "ready") })
	tr.Stop()
	waitReturns(t, cmd, 30*time.Second)
	tr.Sweep()
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("helper ignoring SIGTERM ended with %v, want killed by SIGKILL after the grace period", cmd.ProcessState)
	}
}

func TestCommandContextCancel(t *testing.T) {
	ctx, cancel := contextWithCancel(t)
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 300 & echo $!; wait")
	out := &lineReader{}
	cmd.Stdout = out // a pipe held by the grandchild: WaitDelay must not be needed
	tr, err := proctree.Prepare(cmd, proctree.Options{Grace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if cmd.WaitDelay == 0 {
		t.Error("Prepare left WaitDelay zero for a CommandContext command")
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "pid", func() bool { return strings.HasSuffix(out.String(), "\n") })
	pid, _ := strconv.Atoi(strings.TrimSpace(out.String()))
	cancel()
	start := time.Now()
	waitReturns(t, cmd, 30*time.Second)
	tr.Sweep()
	assertGone(t, 10*time.Second, pid)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Wait took %v after cancel", d)
	}
}

func TestPdeathsigKillsChildOfKilledRunner(t *testing.T) {
	runner := helperCommand(t, "runner")
	out := &lineReader{}
	runner.Stdout = out
	if err := runner.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "runner's child pid", func() bool { return strings.HasSuffix(out.String(), "\n") })
	pid, err := strconv.Atoi(strings.TrimSpace(out.String()))
	if err != nil {
		runner.Process.Kill()
		runner.Wait()
		t.Fatalf("runner said %q", out.String())
	}
	if !alive(pid) {
		t.Fatal("child not running before the runner is killed")
	}
	runner.Process.Kill()
	runner.Wait()
	assertGone(t, 10*time.Second, pid)
}

func TestSubreaperSweepReapsOrphans(t *testing.T) {
	out, err := helperCommand(t, "subreaper").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("subreaper helper: %v\n%s", err, out)
	}
}

func waitReturns(t *testing.T, cmd *exec.Cmd, d time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) && !errors.Is(err, exec.ErrWaitDelay) {
			t.Logf("Wait: %v", err)
		}
	case <-time.After(d):
		t.Fatalf("Wait did not return within %v", d)
	}
}
