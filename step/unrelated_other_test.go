//go:build !unix

package step_test

import "testing"

// startUnrelated would start n unrelated processes; on Windows containment
// is a Job Object, whose cost does not depend on other processes.
func startUnrelated(b *testing.B, n int) { b.Skip("unrelated processes are only simulated on Unix") }
