package soak

import (
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

// A Plan is what a soak is about to do, known once it has read its
// checkpoint (a resumed soak has less time left): given to the [WithStart]
// hook, logged when the soak starts, and kept in state.json (the
// artifact.Plan part) for the summary.
type Plan struct {
	artifact.Plan
	Resume bool
	Next   int // the number of the first iteration to run
}

// String describes the plan in one line, for humans: "ends at 10:32:05 UTC
// (in 1m0s) or after 5 iterations; iteration timeout 20m0s, cut to end 1s
// before the end (stop reserve); …; pause 5s between iterations".
func (p Plan) String() string { return p.Describe(time.Now()) }
