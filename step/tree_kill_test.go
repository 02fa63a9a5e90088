//go:build linux || windows

package step_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestKilledRunnerTakesCommandDown: a runner that is killed cannot clean
// up, but the command it started still ends: by Pdeathsig on Linux, by the
// job object's kill-on-close on Windows. (Other Unix systems promise
// nothing here.)
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
