//go:build !linux

package soak

import "github.com/soakkit/soakkit/soak/artifact"

// endOrphans does nothing outside Linux: other systems give no portable
// way to read another process's environment, so the cookies of a killed
// run's process trees cannot be matched. On Windows a step's Job Object
// ends its tree when the runner dies; on macOS and the BSDs the orphans of
// a killed runner live on.
func endOrphans(cookies []string) []artifact.Process { return nil }
