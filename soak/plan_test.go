package soak

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/soak/artifact"
)

func TestPlanDescribe(t *testing.T) {
	now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		give Plan
		want string
	}{
		{"duration", Plan{Ends: now.Add(time.Minute), IterationTimeout: 20 * time.Minute, Reserve: time.Second, Heartbeat: 5 * time.Second},
			"ends at 10:01:00 UTC (in 1m0s); iteration timeout 20m0s, cut to end 1s before the end (stop reserve); an iteration that recent ones say cannot finish is not started; pause 5s between iterations"},
		{"duration and count, minimum", Plan{Ends: now.Add(time.Hour), Count: 1, IterationTimeout: time.Minute, Reserve: time.Second, MinIteration: 30 * time.Second},
			"ends at 11:00:00 UTC (in 1h0m0s) or after 1 iteration; iteration timeout 1m0s, cut to end 1s before the end (stop reserve); an iteration that recent ones say cannot finish is not started, nor one with less than 30s left; no pause between iterations"},
		{"count", Plan{Count: 3, IterationTimeout: time.Minute, Heartbeat: time.Second},
			"ends after 3 iterations; iteration timeout 1m0s; pause 1s between iterations"},
		{"watch", Plan{Ends: now.Add(20 * time.Second), Reserve: time.Second, Watch: true},
			"ends at 10:00:20 UTC (in 20s); watches the service only, until 1s before the end (stop reserve)"},
	}
	for _, tt := range tests {
		if got := tt.give.describe(now); got != tt.want {
			t.Errorf("%s: describe() =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// TestWithStart: the start hook gets the plan of the run: its end, the
// iterations left, and the budgets.
func TestWithStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var got []Plan
		start := time.Now()
		cfg := Config{Duration: artifact.Duration(time.Hour), Count: 2, IterationTimeout: artifact.Duration(time.Minute), StopGrace: artifact.Duration(10 * time.Second), ArtifactsDir: t.TempDir()}
		it := &Iteration{Sections: Sections(sleepStep("work", time.Minute))}
		if _, err := newSoak(t, cfg, it, WithHeartbeat(0), WithStart(func(p Plan) { got = append(got, p) })).Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		want := []Plan{{Ends: start.Add(time.Hour), Count: 2, IterationTimeout: time.Minute, Reserve: time.Second, Next: 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("plan (-want +got):\n%s", diff)
		}
	})
}
