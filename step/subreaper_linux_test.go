package step_test

import (
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/soakkit/soakkit/internal/rerun"
	"github.com/soakkit/soakkit/step"
)

// containmentTests are the tests that TestSubreaperMode runs again in a
// test binary that is a child subreaper: every one must pass in both modes.
var containmentTests = []string{
	"TestSubreaperInForce",
	"TestTreeEndsOnTimeout",
	"TestGrandchildHoldingStdoutDoesNotHang",
	"TestUnrelatedProcessesUntouched",
	"TestInterruptEndsTrees",
	"TestTreeOfHelpersEndsOnCancel",
	"TestKilledRunnerTakesCommandDown",
	"TestSigtermIgnoringTreeEnds",
	"TestManySleepers",
}

// TestSubreaperMode runs containmentTests in a copy of the test binary that
// made itself a child subreaper first; in this binary they run without one.
func TestSubreaperMode(t *testing.T) {
	if os.Getenv(subreaperEnv) == "1" {
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
	if (got != 0) != want {
		t.Errorf("child subreaper: kernel says %d, want %v", got, want)
	}
}

// TestSigtermIgnoringTreeEnds: a tree whose every process ignores SIGTERM
// still ends when the step times out, by SIGKILL after the grace period.
func TestSigtermIgnoringTreeEnds(t *testing.T) {
	dir := t.TempDir()
	c := helper("noterm", "noterm", "spawn=3", "hang")
	c.Grace = 300 * time.Millisecond
	logPath := dir + "/noterm.stdout.log"
	r := runToDeadline(t, c, dir, "three helper pids", func() bool {
		b, _ := os.ReadFile(logPath)
		return bytes.Count(b, []byte("\n")) >= 3
	})
	pids := readPids(t, logPath)
	if r.Status != step.TimedOut {
		t.Errorf("Run: status %q, want %q (%s)", r.Status, step.TimedOut, r.Details)
	}
	assertGone(t, append(pids, r.PID)...)
}

// TestManySleepers: a command that leaves a hundred sleepers behind, every
// other one in a session of its own, fails, lists all of them, and none
// survives.
func TestManySleepers(t *testing.T) {
	const n = 100
	script := "i=0; while [ $i -lt " + strconv.Itoa(n/2) + " ]; do sleep 300 & echo $!; setsid sleep 300 & echo $!; i=$((i+1)); done"
	c := step.Command{Name: "many", Argv: []string{"sh", "-c", script}, Timeout: time.Minute}
	r := c.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	pids := readPids(t, r.StdoutLog)
	if len(pids) != n {
		t.Fatalf("script printed %d pids, want %d", len(pids), n)
	}
	if r.Status != step.Failed {
		t.Errorf("Run: status %q, want %q (%s)", r.Status, step.Failed, r.Details)
	}
	assertGone(t, pids...)
	got := make(map[int]bool)
	for _, p := range r.Leftovers {
		got[p.PID] = true
	}
	for _, p := range pids {
		if !got[p] {
			t.Errorf("Leftovers (%d) lack sleeper %d", len(r.Leftovers), p)
		}
	}
}
