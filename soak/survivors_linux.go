//go:build linux

package soak

import (
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/soakkit/soakkit/internal/proctree"
)

// liveChildren returns the live (non-zombie) child processes of the current
// process other than those in keep and those that belong to a process tree
// still running (proctree.Contained: the service's tree, which may have
// orphaned some of its own processes to us, or a step of another soak in
// this process). With a child subreaper (proctree.EnableSubreaper),
// orphaned descendants of steps are children too, so this finds what an
// iteration left behind even when it escaped its step's process group and
// scrubbed its environment.
func liveChildren(keep map[int]bool) []proctree.Process {
	tasks, _ := os.ReadDir("/proc/self/task")
	var out []proctree.Process
	seen := map[int]bool{}
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/children")
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			pid, err := strconv.Atoi(f)
			if err != nil || seen[pid] || keep[pid] {
				continue
			}
			seen[pid] = true
			p, alive := proctree.Lookup(pid)
			if !alive || proctree.Contained(pid) {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// killChildren kills the given child processes and reaps them: liveChildren
// left out those of trees still running, so no other waiter owns them.
func killChildren(ps []proctree.Process) {
	for _, p := range ps {
		unix.Kill(p.PID, unix.SIGKILL)
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, p := range ps {
		for time.Now().Before(deadline) {
			var ws unix.WaitStatus
			got, err := unix.Wait4(p.PID, &ws, unix.WNOHANG, nil)
			if got == p.PID || err != nil {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
