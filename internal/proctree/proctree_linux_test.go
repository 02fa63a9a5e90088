package proctree_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/soakkit/soakkit/internal/proctree"
	"github.com/soakkit/soakkit/internal/rerun"
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

// cmdline returns pid's arguments joined by spaces, "" if unreadable.
func cmdline(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return strings.ReplaceAll(strings.TrimRight(string(b), "\x00"), "\x00", " ")
}

// waitExec waits until pid has exec'd the program whose arguments begin
// with want: a pid printed by a shell's $! names a fork of the shell that
// execs the command a moment later.
func waitExec(t *testing.T, pid int, want string) {
	t.Helper()
	waitFor(t, 30*time.Second, fmt.Sprintf("pid %d to exec %q", pid, want), func() bool {
		return strings.HasPrefix(cmdline(pid), want)
	})
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

// assertGone fails the test unless every pid has ended within d, naming
// those still alive.
func assertGone(t *testing.T, d time.Duration, pids ...int) {
	t.Helper()
	deadline := time.Now().Add(d)
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		var left []string
		for _, p := range pids {
			if st, ppid, ok := state(p); ok && st != 'Z' && st != 'X' {
				pg, _ := syscall.Getpgid(p)
				left = append(left, fmt.Sprintf("pid %d (%s) state %c ppid %d pgid %d", p, cmdline(p), st, ppid, pg))
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, of %v still alive: %s", d, pids, strings.Join(left, "; "))
		}
		time.Sleep(delay)
	}
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
	// The shell prints $! right after fork: the child may still be the
	// shell, or inside execve, when the shell has exited.
	waitExec(t, pids[0], "sleep 300")
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

// containmentTests are the tests that TestSubreaperMode runs again in a
// test binary that is a child subreaper: every one must pass in both modes.
var containmentTests = []string{
	"TestSubreaperInForce",
	"TestStopEndsWholeTree",
	"TestSweepAfterNormalExit",
	"TestSweepLeavesOthersAlone",
	"TestGraceThenKill",
	"TestCommandContextCancel",
	"TestKillHelperTree",
	"TestContained",
	"TestSweepDoubleFork",
	"TestSweepManySleepers",
	"TestSweepScrubbedDescendant",
	"TestSweepReapsOrphanThatExited",
	"TestEndStrays",
	"TestEndStraysReapsOnlyAdopted",
}

// TestSubreaperMode runs containmentTests in a copy of the test binary that
// made itself a child subreaper first; in this binary they run without one.
func TestSubreaperMode(t *testing.T) {
	if proctree.SubreaperEnabled() {
		t.Skip("this binary is the subreaper-mode run")
	}
	if testing.Short() {
		t.Skip("runs the containment tests a second time")
	}
	rerun.Tests(t, subreaperEnv, containmentTests...)
}

// TestSubreaperInForce checks the mode a run claims: with the subreaper
// variable set, the kernel must see this process as a child subreaper.
func TestSubreaperInForce(t *testing.T) {
	want := os.Getenv(subreaperEnv) == "1"
	// PR_GET_CHILD_SUBREAPER stores the flag through a pointer argument.
	var got int32
	if _, _, e := unix.Syscall(unix.SYS_PRCTL, unix.PR_GET_CHILD_SUBREAPER, uintptr(unsafe.Pointer(&got)), 0); e != 0 {
		t.Fatalf("prctl(PR_GET_CHILD_SUBREAPER): %v", e)
	}
	if (got != 0) != want || proctree.SubreaperEnabled() != want {
		t.Errorf("child subreaper: kernel says %d, SubreaperEnabled() = %v; want %v", got, proctree.SubreaperEnabled(), want)
	}
}

// noZombieChildren fails if any of pids is a zombie child of this process:
// what a Sweep killed and adopted, it must also reap.
func noZombieChildren(t *testing.T, pids ...int) {
	t.Helper()
	for _, p := range pids {
		if st, ppid, ok := state(p); ok && ppid == os.Getpid() && (st == 'Z' || st == 'X') {
			t.Errorf("pid %d is left as a zombie child of the runner", p)
		}
	}
}

// TestSweepDoubleFork: a daemon that double-forks and calls setsid, so it
// is neither in the group nor a child of anything in the tree, is found and
// ended (by its cookie, or as an orphan re-parented to the subreaper).
func TestSweepDoubleFork(t *testing.T) {
	cmd, tr, pids := shellTree(t, "(setsid sleep 300 & echo $!)", 1, proctree.Options{})
	waitReturns(t, cmd, 30*time.Second)
	waitFor(t, 30*time.Second, "the daemon to be orphaned in a session of its own", func() bool {
		pg, _ := syscall.Getpgid(pids[0])
		_, ppid, ok := state(pids[0])
		return ok && ppid != cmd.Process.Pid && pg == pids[0]
	})
	found := tr.Sweep()
	assertGone(t, 10*time.Second, pids...)
	noZombieChildren(t, pids...)
	if len(found) != 1 || found[0].PID != pids[0] || !found[0].Escaped {
		t.Errorf("Sweep() = %v, want pid %d, escaped", found, pids[0])
	}
}

// TestSweepManySleepers: a hundred sleepers, every other one in a session
// of its own, all found and ended by one Sweep.
func TestSweepManySleepers(t *testing.T) {
	const n = 100
	script := "i=0; while [ $i -lt " + strconv.Itoa(n/2) + " ]; do sleep 300 & echo $!; setsid sleep 300 & echo $!; i=$((i+1)); done"
	cmd, tr, pids := shellTree(t, script, n, proctree.Options{})
	waitReturns(t, cmd, 60*time.Second)
	found := tr.Sweep()
	assertGone(t, 20*time.Second, pids...)
	noZombieChildren(t, pids...)
	got := make(map[int]bool)
	for _, p := range found {
		got[p.PID] = true
	}
	for _, p := range pids {
		if !got[p] {
			t.Errorf("Sweep did not report sleeper %d (found %d of %d)", p, len(found), n)
		}
	}
}

// TestSweepScrubbedDescendant: a process that left the group and scrubbed
// its environment is found in subreaper mode, as the child of an escapee
// that carries the cookie. Without a subreaper nothing can find it.
func TestSweepScrubbedDescendant(t *testing.T) {
	if !proctree.SubreaperEnabled() {
		t.Skip("only a child subreaper can find a process without the cookie outside the group")
	}
	script := `setsid sh -c 'env -i setsid sleep 300 & echo $!; wait' & echo $!`
	cmd, tr, pids := shellTree(t, script, 2, proctree.Options{})
	waitReturns(t, cmd, 30*time.Second)
	found := tr.Sweep()
	assertGone(t, 10*time.Second, pids...)
	noZombieChildren(t, pids...)
	if len(found) != 2 {
		t.Errorf("Sweep() = %v, want the escaped shell and its scrubbed child %v", found, pids)
	}
}

// TestSweepReapsOrphanThatExited: an escapee re-parented to the subreaper
// that exits on its own before the Sweep leaves a zombie that cannot be told
// by its cookie any more; the Sweep reaps it anyway, since no os.Process of
// this program is waiting for it.
func TestSweepReapsOrphanThatExited(t *testing.T) {
	if !proctree.SubreaperEnabled() {
		t.Skip("without a child subreaper the orphan is init's to reap")
	}
	release := filepath.Join(t.TempDir(), "release")
	script := `(setsid sh -c 'while [ ! -e ` + release + ` ]; do sleep 0.01; done' & echo $!)`
	cmd, tr, pids := shellTree(t, script, 1, proctree.Options{})
	waitReturns(t, cmd, 30*time.Second)
	waitFor(t, 30*time.Second, "the orphan to be adopted", func() bool { return ppidOf(pids[0]) == os.Getpid() })
	if err := os.WriteFile(release, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the orphan to exit", func() bool { st, _, _ := state(pids[0]); return st == 'Z' })
	if found := tr.Sweep(); len(found) != 0 {
		t.Errorf("Sweep() = %v, want nothing alive", found)
	}
	noZombieChildren(t, pids...)
}

// TestEndStrays: the runner's children outside any running tree are ended
// with everything below them; a child of a running tree and a child the
// caller keeps are left alone.
func TestEndStrays(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pids")
	stray := exec.Command("sh", "-c", "sleep 300 & echo $! >>"+out+"; setsid sleep 300 & echo $! >>"+out+"; echo $$ >>"+out+"; wait")
	kept := exec.Command("sleep", "300")
	for _, c := range []*exec.Cmd{stray, kept} {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	strayDone := make(chan struct{})
	go func() {
		stray.Wait()
		close(strayDone)
	}()
	t.Cleanup(func() {
		stray.Process.Kill()
		<-strayDone
		kept.Process.Kill()
		kept.Wait()
	})
	running := helperCommand(t, "hang")
	tr, err := proctree.Prepare(running, proctree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		running.Process.Kill()
		running.Wait()
		tr.Sweep()
	})
	var want []int
	waitFor(t, 30*time.Second, "three pids", func() bool {
		b, _ := os.ReadFile(out)
		want = want[:0]
		for _, f := range strings.Fields(string(b)) {
			p, _ := strconv.Atoi(f)
			want = append(want, p)
		}
		return len(want) == 3
	})
	// The two sleeps are written first, the shell last: only the sleeps are
	// EndStrays' to reap (the shell is this process's child, reaped by its
	// Wait above), so keep them apart before sorting.
	sleeps := slices.Clone(want[:2])
	found := proctree.EndStrays(func(pid int) bool { return pid == kept.Process.Pid })
	var got []int
	for _, p := range found {
		got = append(got, p.PID)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("EndStrays() = %v, want the stray shell and its two sleeps %v", found, want)
	}
	assertGone(t, 10*time.Second, want...)
	noZombieChildren(t, sleeps...)
	if !alive(kept.Process.Pid) || !alive(running.Process.Pid) {
		t.Errorf("EndStrays killed a kept child (%v) or a running tree's (%v)", alive(kept.Process.Pid), alive(running.Process.Pid))
	}
	select {
	case <-strayDone:
	case <-time.After(30 * time.Second):
		t.Fatal("the stray shell's Wait did not return")
	}
	if stray.ProcessState == nil {
		t.Error("the stray shell's Wait found no exit status: EndStrays reaped a child os/exec was waiting for")
	}
}

// TestEndStraysReapsOnlyAdopted: under a child subreaper, a zombie orphan
// that nobody waits for is reaped, but the zombie of a child that os/exec
// has not waited for yet is left to its Wait.
func TestEndStraysReapsOnlyAdopted(t *testing.T) {
	if !proctree.SubreaperEnabled() {
		t.Skip("only a child subreaper adopts orphans")
	}
	// A tree lets proctree learn that os.Process holds pidfds.
	first := exec.Command("true")
	if tr, err := proctree.Prepare(first, proctree.Options{}); err != nil {
		t.Fatal(err)
	} else if err := tr.Start(); err != nil {
		t.Fatal(err)
	} else {
		first.Wait()
		tr.Sweep()
	}
	release := filepath.Join(t.TempDir(), "release")
	out := filepath.Join(t.TempDir(), "pid")
	orphaning := exec.Command("sh", "-c", `(sh -c 'while [ ! -e `+release+` ]; do sleep 0.01; done' & echo $! >`+out+`)`)
	if err := orphaning.Run(); err != nil {
		t.Fatal(err)
	}
	var orphan int
	waitFor(t, 30*time.Second, "the orphan's pid", func() bool {
		b, _ := os.ReadFile(out)
		orphan, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return orphan > 0
	})
	waitFor(t, 30*time.Second, "the orphan to be adopted", func() bool { return ppidOf(orphan) == os.Getpid() })
	waited := exec.Command("true")
	if err := waited.Start(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(release, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{orphan, waited.Process.Pid} {
		waitFor(t, 30*time.Second, fmt.Sprintf("pid %d to exit", pid), func() bool { st, _, _ := state(pid); return st == 'Z' })
	}
	if found := proctree.EndStrays(func(int) bool { return false }); len(found) != 0 {
		t.Errorf("EndStrays() = %v, want nothing alive", found)
	}
	noZombieChildren(t, orphan)
	if err := waited.Wait(); err != nil {
		t.Errorf("Wait of a child os/exec started: %v; EndStrays must leave it to Wait", err)
	}
}
