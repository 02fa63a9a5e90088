//go:build !unix

package step_test

import "time"

// cpuTime returns 0: BenchmarkOverhead reports no CPU times here.
func cpuTime() time.Duration { return 0 }
