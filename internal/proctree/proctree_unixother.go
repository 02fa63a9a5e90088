//go:build unix && !linux

package proctree

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// EnableSubreaper is only available on Linux; here it returns an error
// wrapping errors.ErrUnsupported.
func EnableSubreaper() error {
	return errors.Join(errors.New("proctree: child subreaper needs Linux"), errors.ErrUnsupported)
}

// SubreaperEnabled reports whether EnableSubreaper has succeeded: never here.
func SubreaperEnabled() bool { return false }

func (t *Tree) noteStart(pid int) {}

func setPdeathsig(attr *syscall.SysProcAttr, on bool) {}

// sweep kills the process group. This system offers no portable way to list
// processes or read their environment, so nothing is reported.
func (t *Tree) sweep() []Process {
	signalGroup(t.pid, unix.SIGKILL)
	return nil
}

func startTicks(pid int) uint64 { return 0 }

// pidReused cannot tell here (no start times): it reports false.
func pidReused(pid int, start uint64) bool { return false }

func cookies(pid int) []string { return nil }
