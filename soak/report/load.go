package report

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// chartMetrics are the resources charted for every target that carries
// them, in page order.
var chartMetrics = []probe.Metric{probe.RSS, probe.FDs, probe.Threads, probe.Procs, probe.HeapLive, probe.Goroutines}

// A run is what the artifacts tree of one soak holds, as far as it could be
// read. Files that are missing (a soak that just started) or unreadable are
// noted in problems; only an unreadable root is an error.
type run struct {
	layout   artifact.Layout
	state    *artifact.State // nil without state.json
	env      *probe.Env      // nil without env.json
	records  []artifact.Record
	targets  []*target // in page order
	problems []string  // what could not be read, for the page
	start    time.Time // earliest record or sample
	end      time.Time // latest record end or sample
}

// A target is the sample series of one label of samples.jsonl.
type target struct {
	name     string
	times    []time.Time                // while loading
	values   map[probe.Metric][]float64 // while loading: aligned with times, NaN where absent
	byMetric map[probe.Metric]series    // after loading
}

// A series is the samples of one metric of a target, in time order.
type series struct {
	t []time.Time
	v []float64
}

// series returns the samples of m.
func (t *target) series(m probe.Metric) ([]time.Time, []float64) {
	s := t.byMetric[m]
	return s.t, s.v
}

// finish turns the aligned columns read from samples.jsonl into one series
// per metric. A metric carried by every sample shares the time column.
func (t *target) finish() {
	t.byMetric = map[probe.Metric]series{}
	for m, vs := range t.values {
		gaps := 0
		for _, v := range vs {
			if math.IsNaN(v) {
				gaps++
			}
		}
		if gaps == 0 {
			t.byMetric[m] = series{t.times, vs}
			continue
		}
		s := series{make([]time.Time, 0, len(vs)-gaps), make([]float64, 0, len(vs)-gaps)}
		for i, v := range vs {
			if !math.IsNaN(v) {
				s.t = append(s.t, t.times[i])
				s.v = append(s.v, v)
			}
		}
		t.byMetric[m] = s
	}
	t.times, t.values = nil, nil
}

func load(root string) (*run, error) {
	if fi, err := os.Stat(root); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", root)
	}
	r := &run{layout: artifact.Layout{Root: root}}
	note := func(what string, err error) {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			r.problems = append(r.problems, fmt.Sprintf("%s: %v", what, err))
		}
	}

	if st, err := artifact.ReadState(r.layout.State()); err == nil {
		r.state = st
	} else {
		note("state.json", err)
	}
	var env probe.Env
	if err := canonjson.Read(r.layout.Env(), &env); err == nil {
		r.env = &env
	} else {
		note("env.json", err)
	}
	for rec, err := range artifact.Records(r.layout.Iterations()) {
		if err != nil {
			note("iterations.jsonl", err)
			break
		}
		r.records = append(r.records, rec)
	}
	byName := map[string]*target{}
	for s, err := range artifact.Samples(r.layout.Samples()) {
		if err != nil {
			note("samples.jsonl", err)
			break
		}
		if s.Time.IsZero() {
			continue
		}
		t := byName[s.Target]
		if t == nil {
			t = &target{name: s.Target, values: map[probe.Metric][]float64{}}
			byName[s.Target] = t
		}
		if n := len(t.times); n > 0 && s.Time.Before(t.times[n-1]) {
			continue // out of order (a clock step); trend analysis needs order
		}
		n := len(t.times)
		t.times = append(t.times, s.Time)
		for _, m := range chartMetrics {
			v, ok := s.Value(m)
			vs, seen := t.values[m]
			if !ok {
				if seen {
					t.values[m] = append(vs, math.NaN())
				}
				continue
			}
			if !seen {
				vs = make([]float64, n, max(n+1, 1024))
				for i := range vs {
					vs[i] = math.NaN()
				}
			}
			t.values[m] = append(vs, v)
		}
		r.widen(s.Time)
	}
	for _, rec := range r.records {
		r.widen(rec.Start)
		r.widen(rec.End)
	}
	for _, t := range byName {
		t.finish()
		r.targets = append(r.targets, t)
	}
	slices.SortFunc(r.targets, func(a, b *target) int {
		if c := targetRank(a.name) - targetRank(b.name); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return r, nil
}

func (r *run) widen(t time.Time) {
	if t.IsZero() {
		return
	}
	if r.start.IsZero() || t.Before(r.start) {
		r.start = t
	}
	if t.After(r.end) {
		r.end = t
	}
}

// targetRank orders targets: the software under test (the service, or any
// sampler label) first, then the soak's own process, then the steps' trees.
func targetRank(name string) int {
	switch {
	case name == artifact.Self:
		return 1
	case artifact.IsStep(name):
		return 2
	}
	return 0
}
