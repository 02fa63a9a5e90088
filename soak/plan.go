package soak

import (
	"fmt"
	"strings"
	"time"
)

// A Plan is what a soak is about to do, known once it has read its
// checkpoint (a resumed soak has less time left): given to the [WithStart]
// hook and logged when the soak starts.
type Plan struct {
	// Ends is when the soak ends at the latest: its start plus what is
	// left of the duration. Zero without a duration.
	Ends time.Time
	// Count is the number of iterations still to run; 0: no count limit.
	Count int
	// IterationTimeout is an iteration's budget. The last ones' budgets
	// are cut so that they end Reserve before Ends.
	IterationTimeout time.Duration
	// Reserve is the time kept free before Ends for stopping: ending the
	// last iteration's processes, stopping the service, writing the final
	// records.
	Reserve   time.Duration
	Heartbeat time.Duration // the pause between iterations
	// MinIteration is the least time left for an iteration to start, if
	// configured; recent iterations' durations are used too.
	MinIteration time.Duration
	Resume       bool
	Next         int  // the number of the first iteration to run
	Watch        bool // no iterations: the soak only watches its service
}

// String describes the plan in one line, for humans: "ends at 10:32:05 UTC
// (in 1m0s) or after 5 iterations; iteration timeout 20m0s, cut to end 1s
// before the end; pause 5s between iterations".
func (p Plan) String() string {
	return p.describe(time.Now())
}

func (p Plan) describe(now time.Time) string {
	var ends []string
	if !p.Ends.IsZero() {
		ends = append(ends, fmt.Sprintf("at %s (in %s)", p.Ends.UTC().Format("15:04:05 MST"), p.Ends.Sub(now).Round(time.Second)))
	}
	if p.Count > 0 {
		ends = append(ends, fmt.Sprintf("after %d iteration%s", p.Count, plural(p.Count)))
	}
	s := "ends " + strings.Join(ends, " or ")
	if len(ends) == 0 {
		s = "ends when stopped"
	}
	if p.Watch {
		return s + fmt.Sprintf("; watches the service only, until %s before the end (stop reserve)", p.Reserve)
	}
	s += "; iteration timeout " + p.IterationTimeout.String()
	if !p.Ends.IsZero() {
		s += fmt.Sprintf(", cut to end %s before the end (stop reserve); an iteration that recent ones say cannot finish is not started", p.Reserve)
		if p.MinIteration > 0 {
			s += fmt.Sprintf(", nor one with less than %s left", p.MinIteration)
		}
	}
	if p.Heartbeat > 0 {
		s += "; pause " + p.Heartbeat.String() + " between iterations"
	} else {
		s += "; no pause between iterations"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
