//go:build linux

package soak

import "github.com/soakkit/soakkit/internal/proctree"

// endSurvivors ends what an iteration left running below the runner and
// returns it: every live child of the current process other than those in
// keep and those that belong to a process tree still running
// (proctree.Contained: the service's tree, which may have orphaned some of
// its own processes to us, or a step of another soak in this process),
// together with everything below them. It walks down from the runner, so
// its cost grows with the runner's children and their trees, not with the
// host's process count. With a child subreaper (proctree.EnableSubreaper),
// orphaned descendants of steps are children too, so this finds what an
// iteration left behind even when it escaped its step's process group and
// scrubbed its environment, and zombies adopted from any tree are reaped.
func endSurvivors(keep map[int]bool) []proctree.Process {
	return proctree.EndStrays(func(pid int) bool { return keep[pid] })
}
