//go:build unix

package proctree

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

type sysTree struct {
	startTicks uint64 // the command's start time in clock ticks since boot (Linux); 0 if unknown
	walk       bool   // started under a child subreaper: Sweep walks from the runner (Linux)
}

func (t *Tree) prepare(opts Options) error {
	if t.cmd.SysProcAttr == nil {
		t.cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	attr := t.cmd.SysProcAttr
	if attr.Setsid || attr.Noctty || attr.Foreground {
		return errors.New("proctree: cmd.SysProcAttr asks for a session or the foreground; the tree needs its own process group")
	}
	attr.Setpgid = true
	attr.Pgid = 0
	setPdeathsig(attr, opts.Pdeathsig)
	return nil
}

func (t *Tree) afterStart() error {
	t.noteStart(t.cmd.Process.Pid)
	return nil
}

// terminate and kill are called with t.mu held and t.pid != 0. The process
// group id is the command's pid: it cannot be reused while any member lives,
// but once the whole group is gone the number can be given to a new process
// that leads a group of its own (a setsid'd daemon, say). A late Stop or
// Kill (the grace timer after Wait) must not signal that stranger, so the
// group is signaled only while its leader's pid still names our command.
func (t *Tree) terminate() error { return t.signalOwnGroup(unix.SIGTERM) }

func (t *Tree) kill() error { return t.signalOwnGroup(unix.SIGKILL) }

func (t *Tree) signalOwnGroup(sig unix.Signal) error {
	if pidReused(t.pid, t.sys.startTicks) {
		return nil
	}
	return signalGroup(t.pid, sig)
}

func (t *Tree) close() error { return nil }

func signalGroup(pgid int, sig unix.Signal) error {
	err := unix.Kill(-pgid, sig)
	if errors.Is(err, unix.ESRCH) {
		return nil
	}
	return err
}
