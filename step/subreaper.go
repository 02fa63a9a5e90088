package step

import "github.com/soakkit/soakkit/internal/proctree"

// EnableSubreaper makes the calling process a child subreaper (Linux 3.4 or
// later): descendants of its steps orphaned by their parent's death are
// re-parented to it instead of to init, so they remain its descendants.
// Commands started afterwards have their trees found by walking down from
// the runner, at a cost proportional to the tree rather than to the number
// of processes on the host, and even escapees that scrubbed their
// environment are found; the orphans that are killed or exit are reaped.
//
// It changes the whole process and cannot be undone, so only a program that
// owns its process should call it, once, early (a runner's main, not a
// library). Every orphan then becomes the caller's child, including
// descendants of processes not started through this package. Zombies among
// them are reaped only when no os.Process of the program holds them (an
// os.Process holds a pidfd for its child until Wait), so children started
// with os/exec are safe; a program that starts children with raw
// syscall.ForkExec and waits for them by pid should not call it. On other
// systems it returns an error wrapping errors.ErrUnsupported.
func EnableSubreaper() error { return proctree.EnableSubreaper() }
