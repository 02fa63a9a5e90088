package soak

import (
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

func TestSchedule(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := schedule{deadline: t0.Add(time.Hour), iterTimeout: 10 * time.Minute, heartbeat: 5 * time.Minute, reserve: 20 * time.Second}
	tests := []struct {
		name       string
		at         time.Duration
		wantBudget time.Duration
		wantCut    bool
		wantOK     bool
	}{
		{"start", 0, 10 * time.Minute, false, true},
		{"just fits", 49*time.Minute + 40*time.Second, 10 * time.Minute, false, true},
		{"cut", 55 * time.Minute, 4*time.Minute + 40*time.Second, true, true},
		{"only the reserve left", 59*time.Minute + 40*time.Second, 0, false, false},
		{"past the deadline", 2 * time.Hour, 0, false, false},
	}
	for _, tt := range tests {
		b, cut, ok := s.next(t0.Add(tt.at))
		if b != tt.wantBudget || cut != tt.wantCut || ok != tt.wantOK {
			t.Errorf("%s: next(+%v) = %v, %v, %v; want %v, %v, %v", tt.name, tt.at, b, cut, ok, tt.wantBudget, tt.wantCut, tt.wantOK)
		}
	}
	if d, ok := s.pause(t0.Add(50 * time.Minute)); !ok || d != 5*time.Minute {
		t.Errorf("pause with room = %v, %v", d, ok)
	}
	if _, ok := s.pause(t0.Add(55 * time.Minute)); ok {
		t.Error("pause after which nothing fits was taken")
	}
	none := schedule{iterTimeout: time.Minute}
	if b, cut, ok := none.next(t0); b != time.Minute || cut || !ok {
		t.Errorf("no deadline: next = %v, %v, %v", b, cut, ok)
	}
}

// TestScheduleNeed: an iteration starts only if what is left covers what
// recent iterations needed (their p95) and the configured minimum; the
// first one, with no history, needs only the minimum.
func TestScheduleNeed(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	tests := []struct {
		name     string
		history  []time.Duration
		minNeed  time.Duration
		left     time.Duration // before the deadline, reserve excluded
		wantNeed time.Duration
		wantOK   bool
	}{
		{"first iteration, any room", nil, 0, ms, 0, true},
		{"first iteration, below the minimum", nil, time.Second, 900 * ms, time.Second, false},
		{"first iteration, minimum met", nil, time.Second, time.Second, time.Second, true},
		{"fast iterations, room left", []time.Duration{30 * ms, 40 * ms, 35 * ms}, 0, 50 * ms, 40 * ms, true},
		{"fast iterations, a doomed start", []time.Duration{30 * ms, 40 * ms, 35 * ms}, 0, 9 * ms, 40 * ms, false},
		{"minimum above the history", []time.Duration{30 * ms}, time.Second, 500 * ms, time.Second, false},
		// Twenty durations of 10ms and one of 1s: the p95 of twenty is the
		// second largest, so a single outlier does not end the soak early.
		{"one outlier ignored", append(repeat(10*ms, 19), time.Second), 0, 20 * ms, 10 * ms, true},
		{"two outliers count", append(repeat(10*ms, 18), time.Second, time.Second), 0, 20 * ms, time.Second, false},
		// Only the last twenty count: early slow iterations are forgotten.
		{"ring forgets", append(repeat(time.Second, 5), repeat(10*ms, 20)...), 0, 20 * ms, 10 * ms, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reserve := 10 * time.Second
			s := schedule{deadline: t0.Add(time.Hour), iterTimeout: time.Minute, reserve: reserve, minNeed: tt.minNeed}
			for _, d := range tt.history {
				s.observe(d)
			}
			if got := s.need(); got != tt.wantNeed {
				t.Errorf("need() = %v, want %v", got, tt.wantNeed)
			}
			now := s.deadline.Add(-reserve - tt.left)
			b, cut, ok := s.next(now)
			if ok != tt.wantOK {
				t.Fatalf("next with %v left = %v, %v, %v; want ok %v", tt.left, b, cut, ok, tt.wantOK)
			}
			if ok && (b != tt.left || !cut) {
				t.Errorf("next with %v left = budget %v cut %v, want the rest, cut", tt.left, b, cut)
			}
			// A pause that would leave too little is not taken either.
			s.heartbeat = time.Millisecond
			if _, ok := s.pause(now.Add(-time.Millisecond)); ok != tt.wantOK {
				t.Errorf("pause ending with %v left: ok %v, want %v", tt.left, ok, tt.wantOK)
			}
		})
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	s := make([]time.Duration, n)
	for i := range s {
		s[i] = d
	}
	return s
}

func TestRanToEnd(t *testing.T) {
	for st, want := range map[artifact.IterStatus]bool{
		artifact.IterPassed: true, artifact.IterFailed: true, artifact.IterTimedOut: true,
		artifact.IterCancelled: false, artifact.IterInterrupted: false,
	} {
		if got := ranToEnd(st); got != want {
			t.Errorf("ranToEnd(%q) = %v, want %v", st, got, want)
		}
	}
}
