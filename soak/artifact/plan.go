package artifact

import (
	"fmt"
	"strings"
	"time"
)

// A Plan is what a soak run set out to do, known once the engine has read
// its checkpoint (a resumed run has less time left). The engine writes it
// in state.json when a run starts, so that the summary can say it again.
type Plan struct {
	// Ends is when the run ends at the latest: its start plus what is
	// left of the duration. Zero without a duration.
	Ends time.Time `json:"ends,omitzero"`
	// Count is the number of iterations still to run; 0: no count limit.
	Count int `json:"count,omitempty"`
	// IterationTimeout is an iteration's budget. The last ones' budgets
	// are cut so that they end Reserve before Ends.
	IterationTimeout Duration `json:"iteration_timeout,omitempty"`
	// Reserve is the time kept free before Ends for stopping: ending the
	// last iteration's processes, stopping the service, writing the final
	// records.
	Reserve   Duration `json:"reserve,omitempty"`
	Heartbeat Duration `json:"heartbeat,omitempty"` // the pause between iterations
	// MinIteration is the least time left for an iteration to start, if
	// configured; recent iterations' durations are used too.
	MinIteration Duration `json:"min_iteration,omitempty"`
	Watch        bool     `json:"watch,omitempty"` // no iterations: the run only watches its service
}

// Describe says what the plan is in one line, for humans, with the time
// left counted from now: "ends at 10:32:05 UTC (in 1m0s) or after 5
// iterations; iteration timeout 20m0s, cut to end 1s before the end (stop
// reserve); …". A zero now leaves the time left out.
func (p Plan) Describe(now time.Time) string {
	var ends []string
	if !p.Ends.IsZero() {
		at := "at " + p.Ends.UTC().Format("15:04:05 MST")
		if !now.IsZero() {
			at += fmt.Sprintf(" (in %s)", p.Ends.Sub(now).Round(time.Second))
		}
		ends = append(ends, at)
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
