package live_test

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/live"
	"github.com/soakkit/soakkit/step"
)

// BenchmarkScrape measures one scrape of a soak 72 hours in, sampled at
// 1 Hz: two long-lived targets whose every default metric is fitted at
// scrape time (as the soak's monitors do), a step running, and 20 steps'
// histograms. Run: go test -run '^$' -bench Scrape -benchtime 20x ./soak/live
func BenchmarkScrape(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var trackers []*probe.Tracker
	var targets []string
	for _, target := range []string{"self", "api"} {
		for m := range probe.DefaultPolicies() {
			tr := probe.NewTracker(m, probe.DefaultPolicy(m))
			for i := range 72 * 3600 {
				tr.Add(t0.Add(time.Duration(i)*time.Second), 1000+float64(i)/100+rng.NormFloat64()*10)
			}
			trackers = append(trackers, tr)
			targets = append(targets, target)
		}
	}
	m := live.New(live.Config{Runner: "linux-1"})
	ob := m.Observer()
	ob.Start(func() soak.Live {
		var vs []probe.Verdict
		for i, tr := range trackers {
			v := tr.Verdict()
			v.Target = targets[i]
			vs = append(vs, v)
		}
		return soak.Live{Trends: vs, Bytes: 1 << 30}
	})
	ob.Service("api", true)
	for _, target := range []string{"self", "api", "step:tests"} {
		ob.Sample(probe.Sample{Target: target, Procs: 3, RSS: 1 << 28, FDs: 40, Threads: 12})
	}
	var steps []artifact.StepRecord
	for i := range 20 {
		steps = append(steps, artifact.StepRecord{Name: "step" + string(rune('a'+i)), Status: step.Passed, DurationMS: int64(100 * i)})
	}
	for range 100 {
		ob.Iteration(&artifact.Record{Status: artifact.IterPassed, Steps: steps}, soak.Progress{})
	}
	h := m.Handler()
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/scrape")
}
