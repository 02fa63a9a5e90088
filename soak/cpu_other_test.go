//go:build !unix

package soak

import "time"

// cpuTime is not measured here; the benchmark then reports wall time only.
func cpuTime() time.Duration { return 0 }

// maxRSS is not measured here.
func maxRSS() int64 { return 0 }
