//go:build !unix && !windows

package proctree

import "errors"

type sysTree struct{}

// EnableSubreaper is only available on Linux.
func EnableSubreaper() error {
	return errors.Join(errors.New("proctree: child subreaper needs Linux"), errors.ErrUnsupported)
}

// SubreaperEnabled reports whether EnableSubreaper has succeeded: never here.
func SubreaperEnabled() bool { return false }

func (t *Tree) prepare(opts Options) error { return nil }
func (t *Tree) afterStart() error          { return nil }
func (t *Tree) terminate() error           { return t.cmd.Process.Kill() }
func (t *Tree) kill() error                { return t.cmd.Process.Kill() }
func (t *Tree) close() error               { return nil }
func (t *Tree) sweep() []Process           { return nil }

func cookies(pid int) []string { return nil }
