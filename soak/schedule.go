package soak

import "time"

// A schedule plans iterations and pauses so that a soak with a deadline
// never overruns it. Every iteration gets at most iterTimeout, cut to what is
// left before the deadline minus reserve (the time teardown may take after an
// iteration's context is done: ending process trees, stopping the service,
// writing the final artifacts). A pause after which no iteration would fit
// is not taken at all.
type schedule struct {
	deadline    time.Time // zero: none
	iterTimeout time.Duration
	heartbeat   time.Duration
	reserve     time.Duration
}

// next returns the budget of an iteration starting at now, whether it was cut
// short to fit the deadline, and false if none fits.
func (s schedule) next(now time.Time) (budget time.Duration, cut, ok bool) {
	if s.deadline.IsZero() {
		return s.iterTimeout, false, true
	}
	room := s.deadline.Sub(now) - s.reserve
	if room <= 0 {
		return 0, false, false
	}
	if room < s.iterTimeout {
		return room, true, true
	}
	return s.iterTimeout, false, true
}

// pause returns how long to wait before the next iteration, and false if no
// iteration would fit after it (the soak should end now rather than sleep).
func (s schedule) pause(now time.Time) (time.Duration, bool) {
	if s.deadline.IsZero() {
		return s.heartbeat, true
	}
	if s.deadline.Sub(now)-s.heartbeat-s.reserve <= 0 {
		return 0, false
	}
	return s.heartbeat, true
}

// watchUntil returns when a soak without iterations stops watching: the
// deadline minus the reserve.
func (s schedule) watchUntil() time.Time { return s.deadline.Add(-s.reserve) }
