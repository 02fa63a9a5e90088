package proctree

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// This file ends process trees by walking down from the runner (the
// current process) instead of scanning every process on the host. It is
// used when the runner is a child subreaper, so every descendant of every
// command it started, escaped or not, stays below it: a command's orphans
// are re-parented to the runner as soon as their parent dies.

// children returns the child processes of pid: the union, over its threads,
// of /proc/<pid>/task/<tid>/children. A child forked by a thread is listed
// under that thread, and an orphan is re-parented to some thread of its
// subreaper, so every thread must be read.
func children(pid int) []int {
	base := "/proc/" + strconv.Itoa(pid) + "/task/"
	tids, _ := procDirNames(base)
	var out []int
	var buf [256]byte
	for _, tid := range tids {
		b, err := readProc(base+tid+"/children", buf[:])
		if err != nil {
			continue
		}
		for _, f := range bytes.Fields(b) {
			if c, err := strconv.Atoi(string(f)); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// member is a process an ender has claimed: identified by its pid and its
// start time, so that a pid reused by a newcomer is not taken for it.
type member struct {
	start uint64
}

// An ender kills a set of processes and everything below them, reaps those
// of them that the runner adopted, and waits until they are gone. Roots are
// picked among the runner's children; their descendants are members by
// descent, whatever their process group or environment.
type ender struct {
	self  int
	spare int // a child of the runner never reaped here (the tree's command, which os/exec waits for); 0 if none
	group int // the tree's process group, signaled while it has live members; 0 if none

	// roots holds the members picked as roots if they may be children
	// that an os.Process of this program still waits for (EndStrays):
	// those are left to it if it holds a pidfd for them.
	roots map[int]bool

	members map[int]member
	found   []Process
}

// run ends everything below the roots. root is asked about each child of
// the runner not yet a member (first is true on the first pass only) and
// reports whether it is a root; rejected zombies are passed to
// reapOrphans. run returns once every member is gone or after sweepTimeout.
func (e *ender) run(root func(pid int, st stat, first bool) bool) []Process {
	e.members = make(map[int]member)
	defer func() {
		for pid := range e.members {
			claimed.Delete(pid)
		}
	}()
	deadline := time.Now().Add(sweepTimeout)
	delay := 2 * time.Millisecond
	for first := true; ; first = false {
		var queue, zombies []int
		for _, c := range children(e.self) {
			if c == e.spare {
				continue
			}
			st, ok := readStat(c)
			if !ok {
				continue
			}
			if m, ok := e.members[c]; !ok || m.start != st.start {
				if !root(c, st, first) {
					if st.zombie() {
						zombies = append(zombies, c)
					}
					continue
				}
				e.add(c, st)
				if e.roots != nil {
					e.roots[c] = true
				}
			}
			queue = append(queue, c)
		}
		for len(queue) > 0 {
			p := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, c := range children(p) {
				st, ok := readStat(c)
				if !ok {
					continue
				}
				if m, ok := e.members[c]; !ok || m.start != st.start {
					e.add(c, st)
				}
				queue = append(queue, c)
			}
		}
		pending := e.kill()
		reapOrphans(e.self, zombies)
		if pending == 0 || time.Now().After(deadline) {
			return e.found
		}
		time.Sleep(delay)
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// add makes pid a member and, if it is alive, reports it as found.
func (e *ender) add(pid int, st stat) {
	e.members[pid] = member{start: st.start}
	claimed.Store(pid, struct{}{})
	if !st.zombie() {
		e.found = append(e.found, Process{PID: pid, Cmdline: liveCmdline(pid), Escaped: e.group != 0 && st.pgrp != e.group})
	}
}

// liveCmdline reads the command line of a live process. A process caught in
// execve, past the point where os/exec's Start returns but before the
// kernel has set up its arguments, shows an empty one for a moment; it is
// read again a few times (a few milliseconds at most) before giving up.
func liveCmdline(pid int) string {
	s := readCmdline(pid)
	for i := 0; s == "" && i < 5; i++ {
		time.Sleep(time.Millisecond)
		if st, ok := readStat(pid); !ok || st.zombie() {
			break
		}
		s = readCmdline(pid)
	}
	return s
}

// kill signals every live member, reaps the dead ones that are the runner's
// children, forgets those that are gone, and returns how many remain.
func (e *ender) kill() int {
	pending := 0
	groupAlive := false
	for pid, m := range e.members {
		st, ok := readStat(pid)
		if !ok || st.start != m.start {
			delete(e.members, pid)
			claimed.Delete(pid)
			continue
		}
		if st.zombie() {
			// A member below a root is never a child os/exec waits for:
			// the runner started only the command (e.spare) and the
			// roots, and the rest were adopted. Zombies of other parents
			// go once their parent, also a member, is killed and they
			// are re-parented here.
			if st.ppid == e.self && e.roots[pid] && goPidfds.Load() == 1 && pidfdTargets()[pid] {
				// Someone's Wait will reap it.
				delete(e.members, pid)
				claimed.Delete(pid)
				continue
			}
			if st.ppid == e.self && pid != e.spare {
				var ws unix.WaitStatus
				if got, _ := unix.Wait4(pid, &ws, unix.WNOHANG, nil); got == pid {
					delete(e.members, pid)
					claimed.Delete(pid)
					continue
				}
			}
			pending++
			continue
		}
		pending++
		if e.group != 0 && st.pgrp == e.group {
			groupAlive = true
		}
		signalPid(pid, m.start, unix.SIGKILL)
	}
	if groupAlive {
		signalGroup(e.group, unix.SIGKILL)
	}
	return pending
}

// sweepWalk is Sweep for a tree started while the runner was a child
// subreaper. Its roots are the runner's children in the tree's process group
// or carrying its cookie; only their environment is read, and only if they
// are outside the group.
func (t *Tree) sweepWalk() []Process {
	needle := []byte(t.cookie + "=")
	since := t.sys.startTicks
	e := &ender{self: os.Getpid(), spare: t.pid, group: t.pid}
	return e.run(func(pid int, st stat, _ bool) bool {
		if st.start < since {
			return false // older than the command: not its descendant
		}
		return st.pgrp == t.pid || (!st.zombie() && hasCookie(pid, needle))
	})
}

// EndStrays ends the processes below the runner that belong to no process
// tree still running, and returns those it found alive, in the order found.
// The roots are the runner's live children for which keep returns false and
// that are not [Contained]; everything below a root is ended with it, even
// a process that left its process group and scrubbed its environment.
// Everything ended is reaped once dead if it is the runner's child, except
// a root that an os.Process of this program still holds (someone started it
// through os/exec and may yet call Wait).
//
// If the runner is a child subreaper, orphans of the roots' trees are
// re-parented to it and also ended, and zombies the runner adopted from
// any tree are reaped (see [EnableSubreaper]). It exists on Linux only.
func EndStrays(keep func(pid int) bool) []Process {
	e := &ender{self: os.Getpid(), roots: make(map[int]bool)}
	return e.run(func(pid int, st stat, first bool) bool {
		// Roots are picked once: a child that appears later is either
		// re-parented from a root's tree (and so already a member) or
		// something new that this check has no business with.
		return first && !st.zombie() && !keep(pid) && !Contained(pid)
	})
}

// signalPid sends sig to pid if it is still the process that started at
// tick start. Where the kernel has pidfds (Linux 5.3+), the signal goes
// through one, opened before the start time is checked, so a pid reused
// by another process can never be hit; elsewhere kill(2) follows the check.
func signalPid(pid int, start uint64, sig unix.Signal) {
	if pidfdWorks() {
		fd, err := unix.PidfdOpen(pid, 0)
		if err == nil {
			if st, ok := readStat(pid); ok && st.start == start {
				unix.PidfdSendSignal(fd, sig, nil, 0)
			}
			unix.Close(fd)
			return
		}
		if errors.Is(err, unix.ESRCH) {
			return
		}
		// Out of descriptors, say: fall back to the pid.
	}
	if st, ok := readStat(pid); ok && st.start == start {
		unix.Kill(pid, sig)
	}
}

// pidfdWorks reports whether pidfd_open and pidfd_send_signal are
// available (not missing from the kernel, not refused by a seccomp filter).
var pidfdWorks = sync.OnceValue(func() bool {
	fd, err := unix.PidfdOpen(os.Getpid(), 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	return unix.PidfdSendSignal(fd, 0, nil, 0) == nil
})

// goPidfds records whether this process's os.Process values hold a pidfd
// for their child (Go 1.23+ on kernels with pidfds): 0 not yet known, 1 yes,
// 2 no. [Tree.Start] finds out from the first command it starts.
var goPidfds atomic.Int32

// notePidfd checks, once per process, whether the descriptor table holds a
// pidfd for pid, the child just started through os/exec.
func notePidfd(pid int) {
	if goPidfds.Load() != 0 {
		return
	}
	v := int32(2)
	if pidfdTargets()[pid] {
		v = 1
	}
	goPidfds.CompareAndSwap(0, v)
}

// reapOrphans reaps zombies among the given children of the runner that
// it adopted as a child subreaper, and leaves alone any that some
// os.Process of this program may still wait for. An os.Process holds a
// pidfd for its child until it has reaped it, so a zombie child that no
// pidfd in this process refers to was adopted (or abandoned with
// Process.Release). Where os.Process holds no pidfds, no zombie can be
// told apart and none is reaped.
func reapOrphans(self int, zombies []int) {
	if len(zombies) == 0 || !subreaper.Load() || goPidfds.Load() != 1 {
		return
	}
	held := pidfdTargets()
	for _, pid := range zombies {
		if held[pid] {
			continue
		}
		// The zombie keeps its pid until reaped, so this cannot reap a
		// newcomer; if someone else reaped it meanwhile, Wait4 fails.
		if st, ok := readStat(pid); ok && st.zombie() && st.ppid == self {
			var ws unix.WaitStatus
			unix.Wait4(pid, &ws, unix.WNOHANG, nil)
		}
	}
}

// pidfdTargets returns the pids that the pidfds in this process's
// descriptor table refer to.
func pidfdTargets() map[int]bool {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return nil
	}
	fds, _ := d.Readdirnames(-1)
	d.Close()
	out := make(map[int]bool)
	for _, fd := range fds {
		if l, err := os.Readlink("/proc/self/fd/" + fd); err != nil || l != "anon_inode:[pidfd]" {
			continue
		}
		b, err := os.ReadFile("/proc/self/fdinfo/" + fd)
		if err != nil {
			continue
		}
		for line := range bytes.Lines(b) {
			if v, ok := bytes.CutPrefix(line, []byte("Pid:")); ok {
				if pid, err := strconv.Atoi(string(bytes.TrimSpace(v))); err == nil && pid > 0 {
					out[pid] = true
				}
			}
		}
	}
	return out
}
