//go:build unix

// Package crowd starts many unrelated sleeping processes, so that
// benchmarks can measure what soakkit's containment costs on a busy host
// (a CI runner with Docker, a build farm) rather than on an idle one.
//
// The sleepers are children of one shell that is itself a child of the
// caller, in a process group of their own: they are not below any tree the
// caller contains, exactly like the processes of other users of a host.
// They end when the test's cleanup runs, and also if the caller dies: the
// shell waits on a pipe from the caller, and its end tells it to kill them.
package crowd

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// script starts $1 sleepers, says ready, and waits for its stdin to close
// (the caller's cleanup, or its death); then it kills its process group,
// except itself, and reaps the sleepers.
const script = `i=0
while [ "$i" -lt "$1" ]; do sleep 3600 >/dev/null 2>&1 & i=$((i+1)); done
echo ready
read _
trap '' TERM
kill 0
wait`

// Start starts n sleeping processes unrelated to any process tree of the
// caller, registers their end with tb.Cleanup, and returns their process
// group. It fails tb if they are not all running within two minutes.
func Start(tb testing.TB, n int) int {
	tb.Helper()
	cmd := exec.Command("sh", "-c", script, "crowd", strconv.Itoa(n))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatalf("crowd: %v", err)
	}
	waited := make(chan error, 1)
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && line != "ready\n" {
			err = fmt.Errorf("crowd said %q", line)
		}
		ready <- err
		io.Copy(io.Discard, stdout)
		waited <- cmd.Wait()
	}()
	tb.Cleanup(func() {
		stdin.Close()
		select {
		case <-waited:
		case <-time.After(2 * time.Minute):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-waited
			tb.Errorf("crowd of %d sleepers took more than 2 minutes to end; killed", n)
		}
	})
	select {
	case err := <-ready:
		if err != nil {
			tb.Fatalf("crowd of %d: %v", n, err)
		}
	case <-time.After(2 * time.Minute):
		tb.Fatalf("crowd of %d sleepers not ready after 2 minutes", n)
	}
	if got := groupSize(cmd.Process.Pid); got >= 0 && got < n {
		tb.Fatalf("crowd: %d of %d sleepers running", got, n)
	}
	return cmd.Process.Pid
}

// groupSize counts the processes in process group pgid other than its
// leader, or returns -1 where /proc is not there to count them.
func groupSize(pgid int) int {
	d, err := os.Open("/proc")
	if err != nil {
		return -1
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return -1
	}
	n := 0
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid == pgid {
			continue
		}
		if pg, err := syscall.Getpgid(pid); err == nil && pg == pgid {
			n++
		}
	}
	return n
}
