package probe

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// feed72h feeds 72 h of 1 Hz samples of a flat noisy series to a monitor's
// default trackers and returns them.
func feed72h() []*Tracker {
	var trs []*Tracker
	for _, m := range sortedMetrics(DefaultPolicies()) {
		trs = append(trs, NewTracker(m, DefaultPolicy(m)))
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 72 * 3600 {
		at := simEpoch.Add(time.Duration(i) * time.Second)
		for _, tr := range trs {
			v := 50 + float64(rng.IntN(5)) // counts
			if tr.metric.Unit() == "B" {
				v = 100*MiB + MiB*rng.NormFloat64()
			}
			tr.Add(at, v)
		}
	}
	return trs
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkTracker72h reports the memory that 72 h at 1 Hz of the seven
// default metrics keeps (MiB-retained) and the cost per sample.
func BenchmarkTracker72h(b *testing.B) {
	for b.Loop() {
		before := heapInUse()
		start := time.Now()
		trs := feed72h()
		took := time.Since(start)
		after := heapInUse()
		b.ReportMetric(float64(after-before)/MiB, "MiB-retained")
		b.ReportMetric(float64(took)/float64(72*3600*len(trs)), "ns/sample")
		runtime.KeepAlive(trs)
	}
}

func TestTrackerMemory72h(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("feeds 1.8 M samples")
	}
	before := heapInUse()
	trs := feed72h()
	after := heapInUse()
	got := float64(after-before) / MiB
	if got > 4 {
		t.Errorf("7 trackers after 72 h at 1 Hz retain %.2f MiB, want ≤ 4 MiB", got)
	}
	for _, tr := range trs {
		if v := tr.Verdict(); v.Outcome != Pass {
			t.Errorf("%s: %s (%s), want PASS", tr.metric, v.Outcome, v.Reason)
		}
	}
	t.Logf("retained %.2f MiB", got)
	runtime.KeepAlive(trs)
}

// series builds a 1 Hz series of d with value f(minutes since start).
func series(d time.Duration, f func(min float64) float64) ([]time.Time, []float64) {
	var ts []time.Time
	var vs []float64
	for s := time.Duration(0); s < d; s += time.Second {
		ts = append(ts, simEpoch.Add(s))
		vs = append(vs, f(s.Minutes()))
	}
	return ts, vs
}

func TestAnalyze(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	noise := func() float64 { return 0.5 * MiB * rng.NormFloat64() }
	tests := []struct {
		name   string
		d      time.Duration
		f      func(min float64) float64
		want   Outcome
		reason string // substring of the reason
	}{
		{"flat", 3 * time.Hour, func(m float64) float64 { return 200*MiB + noise() }, Pass, "within the budget"},
		{"leak-2MiB/min", 3 * time.Hour, func(m float64) float64 { return 200*MiB + 2*MiB*m + noise() }, Leak, "online alarm"},
		{"slow-leak", 24 * time.Hour, func(m float64) float64 { return 200*MiB + 0.05*MiB*m + noise() }, Leak, "past the budget"},
		{"cache-fills-then-flat", 3 * time.Hour, func(m float64) float64 { return 200*MiB + 60*MiB*min(m/10, 1) + noise() }, Pass, ""},
		{"one-step", 3 * time.Hour, func(m float64) float64 {
			if m > 90 {
				return 230*MiB + noise()
			}
			return 200*MiB + noise()
		}, Pass, ""},
		{"big-one-step", 4 * time.Hour, func(m float64) float64 {
			if m > 120 {
				return 300*MiB + noise()
			}
			return 200*MiB + noise()
		}, Pass, "only in the fit"},
		{"too-short", 10 * time.Second, func(m float64) float64 { return 200*MiB + noise() }, Inconclusive, "only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, vs := series(tt.d, tt.f)
			got := Analyze(RSS, Policy{}, ts, vs)
			if got.Outcome != tt.want || !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("Analyze(%s) = %s (%s), want %s with %q", tt.name, got.Outcome, got.Reason, tt.want, tt.reason)
			}
			if strings.Contains(got.Reason, "within the budget") && got.Growth > got.Budget {
				t.Errorf("Analyze(%s): growth %.1f MiB over a %.1f MiB budget, but the reason says %q", tt.name, got.Growth, got.Budget, got.Reason)
			}
			if got.Unit != "MiB/h" || got.GrowthUnit != "MiB" {
				t.Errorf("units %q, %q; want MiB/h and MiB", got.Unit, got.GrowthUnit)
			}
		})
	}
}

func TestVerdictFields(t *testing.T) {
	ts, vs := series(2*time.Hour, func(m float64) float64 { return 100*MiB + 2*MiB*m })
	got := Analyze(RSS, Policy{Max: 1024 * MiB}, ts, vs)
	if got.Outcome != Leak || got.FirstAlarm.IsZero() || got.Points < 8 || got.Block != time.Minute {
		t.Fatalf("Analyze = %+v, want LEAK with an alarm time, ≥ 8 points of 1m", got)
	}
	if got.Slope < 119 || got.Slope > 121 || got.Lower > got.Slope || got.Upper < got.Slope {
		t.Errorf("slope %v [%v, %v] MiB/h, want ≈ 120 inside its interval", got.Slope, got.Lower, got.Upper)
	}
	// From 340 MiB at 2 MiB/min, 1024 MiB is about 342 min away.
	if ttl := got.TimeToLimit; ttl < 5*time.Hour || ttl > 6*time.Hour {
		t.Errorf("TimeToLimit = %v, want ≈ 5h42m", ttl)
	}
	if got.Growth < 200 || got.Growth > 240 {
		t.Errorf("Growth = %v MiB, want ≈ 2 MiB/min over the post-warm-up window", got.Growth)
	}
}

func TestTrackerCeilingAndRestart(t *testing.T) {
	tr := NewTracker(RSS, Policy{Max: 500 * MiB})
	var alarms []Alarm
	for i := range 3600 {
		v := 100.0 * MiB
		if i == 1800 {
			v = 600 * MiB
		}
		if a, ok := tr.Add(simEpoch.Add(time.Duration(i)*time.Second), v); ok {
			alarms = append(alarms, a)
		}
	}
	if len(alarms) != 1 || alarms[0].Kind != AlarmCeiling || !alarms[0].Time.Equal(simEpoch.Add(1800*time.Second)) {
		t.Errorf("alarms = %+v, want one ceiling alarm at 30 min", alarms)
	}
	if v := tr.Verdict(); v.Outcome != Leak || !strings.Contains(v.Reason, "ceiling") {
		t.Errorf("Verdict() = %s (%s), want LEAK for the ceiling", v.Outcome, v.Reason)
	}

	tr = NewTracker(RSS, Policy{})
	for i := range 7200 {
		at := simEpoch.Add(time.Duration(i) * time.Second)
		if i == 3600 {
			tr.Restart(at)
		}
		tr.Add(at, 100*MiB)
	}
	if v := tr.Verdict(); v.Outcome != Inconclusive || !strings.Contains(v.Reason, "restarted") {
		t.Errorf("Verdict() after a restart = %s (%s), want INCONCLUSIVE", v.Outcome, v.Reason)
	}
}

func TestTrackerGaps(t *testing.T) {
	tr := NewTracker(RSS, Policy{})
	for i := range 4 * 3600 {
		if (i/600)%2 == 1 { // 10 minutes on, 10 minutes off
			continue
		}
		tr.Add(simEpoch.Add(time.Duration(i)*time.Second), 100*MiB)
	}
	if v := tr.Verdict(); v.Outcome != Inconclusive || !strings.Contains(v.Reason, "no samples") {
		t.Errorf("Verdict() with gaps = %s (%s), want INCONCLUSIVE", v.Outcome, v.Reason)
	}
}
