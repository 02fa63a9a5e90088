package proctree_test

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/soakkit/soakkit/internal/proctree"
)

// helperEnv makes the test binary act as a helper process (the os/exec
// exec_test.go pattern); its value is the helper's name.
const helperEnv = "PROCTREE_TEST_HELPER"

// subreaperEnv, set to 1, makes the test binary a child subreaper before
// it runs any test, so the containment tests exercise that mode (see
// TestSubreaperMode).
const subreaperEnv = "PROCTREE_TEST_SUBREAPER"

func TestMain(m *testing.M) {
	if h := os.Getenv(helperEnv); h != "" {
		os.Exit(runHelper(h, os.Args[1:]))
	}
	if os.Getenv(subreaperEnv) == "1" {
		if err := proctree.EnableSubreaper(); err != nil {
			fmt.Fprintln(os.Stderr, "subreaper mode:", err)
			os.Exit(1)
		}
	}
	goleak.VerifyTestMain(m)
}

// runHelper runs the named helper and returns its exit code.
func runHelper(name string, args []string) int {
	switch name {
	case "hang":
		fmt.Println("ready")
		// Sleep rather than select{}: without -race, a process whose only
		// goroutine blocks forever is killed by the deadlock detector.
		for {
			time.Sleep(time.Hour)
		}
	case "ignore-term":
		signal.Ignore(syscall.SIGTERM)
		fmt.Println("ready")
		// Sleep rather than select{}: without -race, a process whose only
		// goroutine blocks forever is killed by the deadlock detector.
		for {
			time.Sleep(time.Hour)
		}
	default:
		if h, ok := platformHelpers[name]; ok {
			return h(args)
		}
		fmt.Fprintf(os.Stderr, "unknown helper %q\n", name)
		return 2
	}
}

// helperCommand returns a command that runs helper name of the test binary.
func helperCommand(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), helperEnv+"="+name)
	return cmd
}

func TestPrepareRejectsStarted(t *testing.T) {
	if _, err := proctree.Prepare(nil, proctree.Options{}); err == nil {
		t.Error("Prepare(nil) succeeded; want an error")
	}
	cmd := helperCommand(t, "hang")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	if _, err := proctree.Prepare(cmd, proctree.Options{}); err == nil {
		t.Error("Prepare of a started command succeeded; want an error")
	}
}

// TestContained: a process carries its tree's cookie, and counts as
// contained exactly while the tree is started and not closed.
func TestContained(t *testing.T) {
	cmd := helperCommand(t, "hang")
	out := &lineReader{}
	cmd.Stdout = out
	tr, err := proctree.Prepare(cmd, proctree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill() // not tr.Kill: the tree may be closed already
		cmd.Wait()
		tr.Sweep()
	}()
	waitFor(t, 30*time.Second, "helper ready", func() bool { return strings.Contains(out.String(), "ready") })
	if proctree.Contained(os.Getpid()) {
		t.Error("Contained(self) = true; the test binary carries no cookie")
	}
	if !canReadEnviron {
		return
	}
	if !proctree.Contained(cmd.Process.Pid) {
		t.Errorf("Contained(%d) = false while its tree runs", cmd.Process.Pid)
	}
	tr.Close()
	if proctree.Contained(cmd.Process.Pid) {
		t.Errorf("Contained(%d) = true after its tree was closed", cmd.Process.Pid)
	}
}

func TestCookieIsSetAndUnique(t *testing.T) {
	a, err := proctree.Prepare(exec.Command("x"), proctree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := proctree.Prepare(exec.Command("x"), proctree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	if a.Cookie() == b.Cookie() || !strings.HasPrefix(a.Cookie(), proctree.CookiePrefix) {
		t.Errorf("cookies %q and %q: want distinct names starting with %q", a.Cookie(), b.Cookie(), proctree.CookiePrefix)
	}
}

func TestKillHelperTree(t *testing.T) {
	cmd := helperCommand(t, "hang")
	out := &lineReader{}
	cmd.Stdout = out
	tr, err := proctree.Prepare(cmd, proctree.Options{Grace: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	if tr.PID() != cmd.Process.Pid {
		t.Errorf("PID() = %d, want %d", tr.PID(), cmd.Process.Pid)
	}
	waitFor(t, 30*time.Second, "helper ready", func() bool { return strings.Contains(out.String(), "ready") })
	if err := tr.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Wait did not return 30s after Stop")
	}
	tr.Sweep()
	if cmd.ProcessState.Success() {
		t.Error("helper exited successfully; want it killed")
	}
}
