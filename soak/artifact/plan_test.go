package artifact

import (
	"testing"
	"time"
)

func TestPlanDescribe(t *testing.T) {
	now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		give Plan
		now  time.Time
		want string
	}{
		{"duration", Plan{Ends: now.Add(time.Minute), IterationTimeout: Duration(20 * time.Minute), Reserve: Duration(time.Second), Heartbeat: Duration(5 * time.Second)}, now,
			"ends at 10:01:00 UTC (in 1m0s); iteration timeout 20m0s, cut to end 1s before the end (stop reserve); an iteration that recent ones say cannot finish is not started; pause 5s between iterations"},
		{"duration and count, minimum", Plan{Ends: now.Add(time.Hour), Count: 1, IterationTimeout: Duration(time.Minute), Reserve: Duration(time.Second), MinIteration: Duration(30 * time.Second)}, now,
			"ends at 11:00:00 UTC (in 1h0m0s) or after 1 iteration; iteration timeout 1m0s, cut to end 1s before the end (stop reserve); an iteration that recent ones say cannot finish is not started, nor one with less than 30s left; no pause between iterations"},
		{"count", Plan{Count: 3, IterationTimeout: Duration(time.Minute), Heartbeat: Duration(time.Second)}, now,
			"ends after 3 iterations; iteration timeout 1m0s; pause 1s between iterations"},
		{"watch", Plan{Ends: now.Add(20 * time.Second), Reserve: Duration(time.Second), Watch: true}, now,
			"ends at 10:00:20 UTC (in 20s); watches the service only, until 1s before the end (stop reserve)"},
		{"no now", Plan{Ends: now.Add(20 * time.Second), Reserve: Duration(time.Second), Watch: true}, time.Time{},
			"ends at 10:00:20 UTC; watches the service only, until 1s before the end (stop reserve)"},
	}
	for _, tt := range tests {
		if got := tt.give.Describe(tt.now); got != tt.want {
			t.Errorf("%s: Describe() =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}
