package artifact

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sketchOf(vs ...float64) *Sketch {
	var s Sketch
	for _, v := range vs {
		s.Add(v)
	}
	return &s
}

func TestSketchJSON(t *testing.T) {
	tests := []struct {
		name string
		give []float64
		want string
	}{
		{"empty", nil, `{"n":0}`},
		{"one", []float64{100}, `{"n":1,"min":100,"max":100,"sum":100,"pos":[[230,1]]}`},
		{"zero", []float64{0, 0}, `{"n":2,"zero":2}`},
		{"negative", []float64{-1, 1}, `{"n":2,"min":-1,"max":1,"pos":[[0,1]],"neg":[[0,1]]}`},
		{"short gap is one run", []float64{100, 105}, `{"n":2,"min":100,"max":105,"sum":205,"pos":[[230,1,0,1]]}`},
		{"long gap is two runs", []float64{100, 200}, `{"n":2,"min":100,"max":200,"sum":300,"pos":[[230,1],[264,1]]}`},
		{"NaN and infinities ignored", []float64{math.NaN(), math.Inf(1), 3, math.Inf(-1)}, `{"n":1,"min":3,"max":3,"sum":3,"pos":[[54,1]]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(sketchOf(tt.give...))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("Marshal(sketch of %v) = %s, want %s", tt.give, b, tt.want)
			}
			var back Sketch
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			b2, _ := json.Marshal(&back)
			if string(b2) != string(b) {
				t.Errorf("round trip of %s gave %s", b, b2)
			}
		})
	}
}

func TestSketchQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var vs []float64
	var s Sketch
	for range 100_000 {
		v := math.Exp(r.NormFloat64()*2 + 5) // log-normal, like durations
		vs = append(vs, v)
		s.Add(v)
	}
	slices.Sort(vs)
	for _, q := range []float64{0.01, 0.5, 0.95, 0.99} {
		// The sketch answers with a value within 1% of the value at rank
		// q*(n-1).
		want := vs[int(q*float64(len(vs)-1))]
		if got := s.Quantile(q); math.Abs(got-want) > SketchAccuracy*want {
			t.Errorf("Quantile(%g) = %g, want %g within 1%%", q, got, want)
		}
	}
	if got, want := s.Quantile(0), vs[0]; got != want {
		t.Errorf("Quantile(0) = %g, want the exact minimum %g", got, want)
	}
	if got, want := s.Quantile(1), vs[len(vs)-1]; got != want {
		t.Errorf("Quantile(1) = %g, want the exact maximum %g", got, want)
	}
	if s.Count() != int64(len(vs)) || s.Min() != vs[0] || s.Max() != vs[len(vs)-1] {
		t.Errorf("Count, Min, Max = %d, %g, %g, want %d, %g, %g", s.Count(), s.Min(), s.Max(), len(vs), vs[0], vs[len(vs)-1])
	}
	var empty Sketch
	if got := empty.Quantile(0.5); got != 0 {
		t.Errorf("Quantile(0.5) of an empty sketch = %g, want 0", got)
	}
}

func TestSketchMerge(t *testing.T) {
	var a, b, all Sketch
	for i := range 1000 {
		v := float64(i%97 + 1)
		all.Add(v)
		if i%3 == 0 {
			a.Add(v)
		} else {
			b.Add(v)
		}
	}
	var m Sketch
	m.Merge(&a)
	m.Merge(&b)
	m.Merge(&Sketch{}) // an empty sketch adds nothing
	m.Merge(nil)
	if !m.Equal(all) {
		mb, _ := json.Marshal(m)
		ab, _ := json.Marshal(all)
		t.Errorf("merge of two halves = %s, want %s", mb, ab)
	}
	a.Merge(&a)
	if a.Count() != 2*334 {
		t.Errorf("a merged with itself counts %d, want %d", a.Count(), 2*334)
	}
}

func TestSketchUnmarshalErrors(t *testing.T) {
	tests := []string{
		`{"n":-1}`,
		`{"n":1}`,                             // no bin holds the value
		`{"n":0,"min":1}`,                     // empty but with a minimum
		`{"n":1,"min":2,"max":1,"zero":1}`,    // min above max
		`{"n":1,"pos":[[1.5,1]]}`,             // fractional index
		`{"n":1,"pos":[[100000000,1]]}`,       // index out of range
		`{"n":1,"pos":[[1]]}`,                 // a run without bins
		`{"n":1,"pos":[[1,0.5,0.5]]}`,         // fractional counts
		`{"n":1,"pos":[[1,-1,2]]}`,            // negative count
		`{"n":2,"pos":[[1,1]]}`,               // n disagrees with the bins
		`{"n":1,"zero":1,"sum":1e400}`,        // not a float64
		`{"n":9007199254740993,"zero":1}`,     // n too large
		`{"n":1,"pos":[[35000,1,1,1,1,1,1]]}`, // the run ends out of range
		`[1,2]`,
	}
	for _, give := range tests {
		var s Sketch
		if err := json.Unmarshal([]byte(give), &s); err == nil {
			t.Errorf("Unmarshal(%s): no error, want one", give)
		}
	}
}

func TestSketchInRecord(t *testing.T) {
	r := Record{Iteration: 1, Status: IterPassed, Range: &Range{Last: 2, Count: 2,
		Steps: []RangeStep{{Name: "a", Duration: *sketchOf(3, 4)}}}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("record round trip mismatch (-want +got):\n%s", diff)
	}
}

func FuzzSketchJSON(f *testing.F) {
	f.Add([]byte(`{"n":4,"min":10,"max":250,"sum":283,"pos":[[115,1],[119,1],[124,1],[276,1]]}`))
	f.Add([]byte(`{"n":2,"min":-1,"max":1,"pos":[[0,1]],"neg":[[0,1]]}`))
	f.Add([]byte(`{"n":1,"zero":1}`))
	f.Add([]byte(`{"n":0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Sketch
		if json.Unmarshal(b, &s) != nil {
			return
		}
		// What it accepts, it writes back in a form it reads to the
		// same sketch, and that form is stable.
		m1, err := json.Marshal(&s)
		if err != nil {
			t.Fatalf("Marshal of %s: %v", b, err)
		}
		var s2 Sketch
		if err := json.Unmarshal(m1, &s2); err != nil {
			t.Fatalf("Unmarshal(%s) (written from %s): %v", m1, b, err)
		}
		m2, _ := json.Marshal(&s2)
		if string(m1) != string(m2) {
			t.Errorf("unstable JSON: %s then %s (from %s)", m1, m2, b)
		}
		if s2.Count() != s.Count() {
			t.Errorf("count %d after a round trip, want %d", s2.Count(), s.Count())
		}
		if q := s.Quantile(0.5); s.Count() > 0 && (q < s.Min() || q > s.Max()) {
			t.Errorf("median %g outside [%g, %g]", q, s.Min(), s.Max())
		}
	})
}
