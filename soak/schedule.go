package soak

import (
	"slices"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

// A schedule plans iterations and pauses so that a soak with a deadline
// never overruns it and never starts an iteration that cannot finish.
//
// Every iteration gets at most iterTimeout, cut to what is left before the
// deadline minus reserve (see [stopReserve]): the reserve is taken from
// the last iteration's budget, not from the soak. An iteration is not started at all when what is left is
// below what one needs: the p95 of the durations of the last iterations
// that ran to their end (a ring of recentIterations, so memory stays
// bounded), or minNeed if that is more. With no such iteration yet (the
// first one of a fresh soak), only minNeed applies: there is nothing else
// to go by, and a soak that never starts is no soak. A pause after which no
// iteration would start is not taken at all.
type schedule struct {
	deadline    time.Time // zero: none
	iterTimeout time.Duration
	heartbeat   time.Duration
	reserve     time.Duration
	minNeed     time.Duration // configured least time an iteration needs

	recent [recentIterations]time.Duration // ring of finished iterations' durations
	n      int                             // durations observed, in total
}

// maxStopReserve bounds the time kept between the end of the last
// iteration's budget and the deadline.
const maxStopReserve = time.Second

// stopReserve returns the time kept between the end of the last
// iteration's budget and the deadline, for what follows it: ending the
// iteration's process trees, stopping the service, writing the final
// records. That takes milliseconds when the programs end on SIGTERM, so
// the reserve is small, maxStopReserve or grace if less, and a soak runs
// iterations for nearly all of its duration. A program that ignores
// SIGTERM when the deadline cuts it short, or a service that does when it
// is stopped, is killed after its grace, by which the soak may end late.
func stopReserve(grace time.Duration) time.Duration { return min(grace, maxStopReserve) }

// recentIterations is how many finished iterations the estimate of the
// next one's duration looks at: enough for a p95 that ignores one outlier,
// few enough to follow a soak whose iterations get slower.
const recentIterations = 20

// observe records the duration of an iteration that ran to its end (passed,
// failed or timed out; not one cut short by the deadline or a signal, whose
// duration says nothing about what an iteration needs).
func (s *schedule) observe(d time.Duration) {
	s.recent[s.n%recentIterations] = d
	s.n++
}

// ranToEnd reports whether an iteration of status st ran to its end, so
// that its duration tells what an iteration needs.
func ranToEnd(st artifact.IterStatus) bool {
	return st == artifact.IterPassed || st == artifact.IterFailed || st == artifact.IterTimedOut
}

// need returns the time the next iteration is expected to need: the p95
// (nearest rank) of the recent durations, or minNeed if that is more.
func (s *schedule) need() time.Duration {
	k := min(s.n, recentIterations)
	if k == 0 {
		return s.minNeed
	}
	d := slices.Clone(s.recent[:k])
	slices.Sort(d)
	i := (95*k+99)/100 - 1 // ceil(0.95 k) - 1
	return max(d[i], s.minNeed)
}

// next returns the budget of an iteration starting at now, whether it was cut
// short to fit the deadline, and false if none fits: the time left is used
// up, or below what an iteration needs.
func (s *schedule) next(now time.Time) (budget time.Duration, cut, ok bool) {
	if s.deadline.IsZero() {
		return s.iterTimeout, false, true
	}
	room := s.deadline.Sub(now) - s.reserve
	if room <= 0 || room < s.need() {
		return 0, false, false
	}
	if room < s.iterTimeout {
		return room, true, true
	}
	return s.iterTimeout, false, true
}

// pause returns how long to wait before the next iteration, and false if no
// iteration would start after it (the soak should end now rather than
// sleep).
func (s *schedule) pause(now time.Time) (time.Duration, bool) {
	if s.deadline.IsZero() {
		return s.heartbeat, true
	}
	if _, _, ok := s.next(now.Add(s.heartbeat)); !ok {
		return 0, false
	}
	return s.heartbeat, true
}

// watchUntil returns when a soak without iterations stops watching: the
// deadline minus the reserve.
func (s *schedule) watchUntil() time.Time { return s.deadline.Add(-s.reserve) }
