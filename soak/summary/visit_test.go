package summary

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/probe/sim"
	"github.com/soakkit/soakkit/soak/artifact"
)

// TestVisit: a visitor sees every record and every sample, in file order
// and as written, and visiting changes nothing the summary decides. The
// sample shown is a copy: a visitor that keeps or changes it does not
// touch what is judged.
func TestVisit(t *testing.T) {
	r := newRun(t)
	r.iterate(30, 5*time.Minute, passing("probe", constMS(900)))
	r.samplesFrom("api", sim.Run{Profile: sim.Go, Seed: 7, Duration: 2 * time.Hour, Leak: 1})
	r.samples = append(r.samples, probe.Sample{Time: t0.Add(time.Minute), Target: "step:probe", PID: 9, Procs: 1, RSS: 1 << 20})
	r.finish(artifact.StopDuration)
	root := r.write(t)

	plain := compute(t, root, nil)
	var recs []int
	var samples []probe.Sample
	visited, err := Compute(root, nil, Visit(func(rec *artifact.Record) { recs = append(recs, rec.Iteration) },
		func(s *probe.Sample) {
			samples = append(samples, *s)
			s.RSS = 0 // a careless visitor
		}))
	if err != nil {
		t.Fatal(err)
	}
	a, err := canonjson.Marshal(plain)
	if err != nil {
		t.Fatal(err)
	}
	b, err := canonjson.Marshal(visited)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(a), string(b)); diff != "" {
		t.Errorf("summary with a visitor (-without +with):\n%s", diff)
	}
	if plain.Verdict.Status != Leak {
		t.Errorf("verdict %s (%s), want a leak: the test needs a verdict that samples decide", plain.Verdict.Status, plain.Verdict.Reason)
	}
	if len(recs) != 30 || recs[0] != 1 || recs[29] != 30 {
		t.Errorf("records visited: %v, want 1 to 30", recs)
	}
	if len(samples) != len(r.samples) {
		t.Fatalf("%d samples visited, want %d", len(samples), len(r.samples))
	}
	for i := range samples {
		if !samples[i].Time.Equal(r.samples[i].Time) || samples[i].Target != r.samples[i].Target || samples[i].RSS != r.samples[i].RSS {
			t.Fatalf("sample %d visited as %+v, written as %+v", i, samples[i], r.samples[i])
		}
	}
}
