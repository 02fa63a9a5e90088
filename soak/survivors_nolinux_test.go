//go:build !linux

package soak

// maybeSubreaper does nothing: only Linux has child subreapers.
func maybeSubreaper() error { return nil }
