//go:build !windows

package soak

// keepAwake is a no-op outside Windows: CI runners on Linux and macOS do not
// suspend a busy machine, and the soak takes no system-wide power locks.
func keepAwake() (release func(), err error) { return func() {}, nil }
