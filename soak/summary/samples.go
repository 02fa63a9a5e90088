package summary

import (
	"errors"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// targetTrack holds the trackers of one long-lived sampled target.
type targetTrack struct {
	name     string
	trackers []*probe.Tracker
	last     time.Time
	fdAlarm  *probe.Alarm
	alarms   []probe.Alarm
}

// leakMetrics are the metrics judged per long-lived target, in name order.
var leakMetrics = func() []probe.Metric {
	ms := []probe.Metric{probe.RSS, probe.FDs, probe.Threads, probe.Procs, probe.Zombies, probe.HeapLive, probe.Goroutines}
	slices.Sort(ms)
	return ms
}()

// analyzeSamples streams samples.jsonl through one probe.Tracker per metric
// of every long-lived target (the "step:" targets are short-lived and judged
// per iteration instead), as the engine's Monitors do while sampling. Memory
// is bounded by the trackers, whatever the file's length. visit, if not
// nil, sees every sample first (see [Visit]).
func analyzeSamples(path string, lc *LeakConfig, visit func(*probe.Sample)) ([]probe.Verdict, []probe.Alarm, error) {
	tracks := map[string]*targetTrack{}
	var order []*targetTrack
	var err error
	// The visitor gets a copy, one for the whole file: s itself stays on
	// the stack, not one allocation per sample.
	var shown *probe.Sample
	if visit != nil {
		shown = new(probe.Sample)
	}
	var tt *targetTrack // the last sample's target: most samples repeat it
	for s, rerr := range artifact.Samples(path) {
		if rerr != nil {
			err = rerr
			break
		}
		if shown != nil {
			*shown = s
			visit(shown)
		}
		if artifact.IsStep(s.Target) || s.Time.IsZero() {
			continue
		}
		if tt == nil || tt.name != s.Target {
			tt = tracks[s.Target]
		}
		if tt == nil {
			tt = &targetTrack{name: s.Target}
			for _, m := range leakMetrics {
				tt.trackers = append(tt.trackers, probe.NewTracker(m, lc.policy(m)))
			}
			tracks[s.Target] = tt
			order = append(order, tt)
		}
		if s.Time.Before(tt.last) {
			continue // out of order (a clock step): the trackers need monotonic time
		}
		tt.last = s.Time
		if s.Restart {
			for _, tr := range tt.trackers {
				tr.Restart(s.Time)
			}
		}
		for _, tr := range tt.trackers {
			v, ok := s.Value(tr.Metric())
			if !ok {
				continue
			}
			if a, ok := tr.Add(s.Time, v); ok {
				a.Target = tt.name
				tt.alarms = append(tt.alarms, a)
			}
		}
		if s.MaxFDPct >= 80 && tt.fdAlarm == nil {
			tt.fdAlarm = &probe.Alarm{Target: tt.name, Metric: probe.FDs, Kind: probe.AlarmCeiling, Time: s.Time,
				Value: float64(s.FDs), Reason: "a process holds " + strconv.FormatFloat(s.MaxFDPct, 'f', 0, 64) + "% of its RLIMIT_NOFILE soft limit (ceiling 80%)"}
			tt.alarms = append(tt.alarms, *tt.fdAlarm)
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	slices.SortFunc(order, func(a, b *targetTrack) int { return strings.Compare(a.name, b.name) })
	var vs []probe.Verdict
	var alarms []probe.Alarm
	for _, tt := range order {
		for _, tr := range tt.trackers {
			if tr.Len() == 0 {
				continue
			}
			v := tr.Verdict()
			v.Target = tt.name
			if tr.Metric() == probe.FDs && tt.fdAlarm != nil && v.Outcome != probe.Leak {
				v.Outcome, v.Reason = probe.Leak, tt.fdAlarm.Reason
			}
			vs = append(vs, v)
		}
		alarms = append(alarms, tt.alarms...)
	}
	slices.SortStableFunc(alarms, func(a, b probe.Alarm) int { return a.Time.Compare(b.Time) })
	return vs, alarms, err
}
