package soak

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/soak/artifact"
)

// TestWithStart: the start hook gets the plan of the run (its end, the
// iterations left, the budgets), and state.json keeps it for the summary.
func TestWithStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got []Plan
		start := time.Now()
		cfg := Config{Duration: artifact.Duration(time.Hour), Count: 2, IterationTimeout: artifact.Duration(time.Minute), StopGrace: artifact.Duration(10 * time.Second), ArtifactsDir: t.TempDir()}
		it := &Iteration{Sections: Sections(sleepStep("work", time.Minute))}
		s := newSoak(t, cfg, it, WithHeartbeat(0), WithStart(func(p Plan) { got = append(got, p) }))
		if _, err := s.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		want := Plan{Plan: artifact.Plan{Ends: start.Add(time.Hour), Count: 2, IterationTimeout: artifact.Duration(time.Minute),
			Reserve: artifact.Duration(time.Second)}, Next: 1}
		if diff := cmp.Diff([]Plan{want}, got); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
		st, err := artifact.ReadState(s.Layout().State())
		if err != nil {
			t.Fatal(err)
		}
		if st.Schedule == nil || !st.Schedule.Ends.Equal(want.Ends) || st.Schedule.Reserve != want.Reserve || st.Schedule.Count != 2 {
			t.Errorf("state.json schedule = %+v, want %+v", st.Schedule, want.Plan)
		}
	})
}
