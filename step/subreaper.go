package step

import "github.com/soakkit/soakkit/internal/proctree"

// EnableSubreaper makes the calling process a child subreaper (Linux 3.4 or
// later): descendants of its steps orphaned by their parent's death are
// re-parented to it instead of to init, so they remain its descendants, and
// the sweep at the end of each command reaps the ones it kills.
//
// It changes the whole process and cannot be undone, so only a program that
// owns its process should call it, once, early (a runner's main, not a
// library). Every orphan then becomes the caller's child, including
// descendants of processes not started through this package; the sweep reaps
// only those of its own trees, so a program that starts other long-lived
// process trees must reap theirs. On other systems it returns an error
// wrapping errors.ErrUnsupported.
func EnableSubreaper() error { return proctree.EnableSubreaper() }
