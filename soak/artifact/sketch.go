package artifact

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// SketchAccuracy is the relative accuracy of every [Sketch]: a quantile it
// returns is within 1% of a value of the data at that rank.
const SketchAccuracy = 0.01

// sketchMaxBins bounds the memory of a Sketch (8 bytes a bin, a few KiB at
// most). At 1% accuracy 2048 bins span a factor of e^41 between the
// smallest and the largest value, so the bound never costs accuracy on
// durations or byte counts; beyond it the lowest bins are merged.
const sketchMaxBins = 2048

// sketchMapping maps values to bins; every Sketch uses it, so the JSON
// form holds bin indexes only.
var sketchMapping = func() *mapping.LogarithmicMapping {
	m, err := mapping.NewLogarithmicMapping(SketchAccuracy)
	if err != nil {
		panic(err) // a constant accuracy in (0, 1): cannot happen
	}
	return m
}()

// The bin indexes a valid Sketch can hold: those of the smallest and the
// largest indexable values.
var (
	sketchMinIndex = sketchMapping.Index(sketchMapping.MinIndexableValue())
	sketchMaxIndex = sketchMapping.Index(sketchMapping.MaxIndexableValue())
)

// A Sketch summarises a stream of values in bounded memory so that their
// quantiles can be read at any scale: a DDSketch
// (github.com/DataDog/sketches-go) with [SketchAccuracy] relative accuracy,
// plus the exact count, minimum, maximum and sum. Two sketches merge into
// the sketch of both streams, so per-range sketches of a long soak add up
// to the sketch of the whole run.
//
// The zero Sketch is empty and ready to use. A Sketch is not safe for
// concurrent use, and a copy shares its bins with the original: copy one
// with [Sketch.Merge] into a zero Sketch.
//
// Its JSON form is compact and deterministic (the same values give the same
// bytes). Durations of 12, 10, 11 and 250 ms write as
//
//	{"n":4,"min":10,"max":250,"sum":283,"pos":[[115,1],[119,1],[124,1],[276,1]]}
//
// n is the count; min, max and sum are exact (absent when 0); "zero" counts
// values too small to index (zero among them); "pos" and "neg" hold the
// bins of the positive values and of the negated negative ones as runs of
// consecutive bins: the index of the first bin, then one count per bin.
type Sketch struct {
	n             int64
	min, max, sum float64
	dd            *ddsketch.DDSketch // nil while empty
}

// newDD returns an empty DDSketch with the Sketch's mapping and bounded stores.
func newDD() *ddsketch.DDSketch {
	return ddsketch.NewDDSketch(sketchMapping,
		store.NewCollapsingLowestDenseStore(sketchMaxBins),
		store.NewCollapsingLowestDenseStore(sketchMaxBins))
}

// Add adds v. NaN and infinities are not values and are ignored, as is a
// value too large to index (above about 1e307).
func (s *Sketch) Add(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	if s.dd == nil {
		s.dd = newDD()
	}
	if s.dd.Add(v) != nil {
		return
	}
	if s.n == 0 {
		s.min, s.max = v, v
	} else {
		s.min, s.max = min(s.min, v), max(s.max, v)
	}
	s.n++
	s.sum += v
}

// Merge adds every value of o to s. o is not changed; s and o may be the
// same Sketch (every value then counts twice).
func (s *Sketch) Merge(o *Sketch) {
	if o == nil || o.n == 0 {
		return
	}
	if s.dd == nil {
		s.dd = newDD()
	}
	if o == s {
		o = &Sketch{n: s.n, min: s.min, max: s.max, sum: s.sum, dd: s.dd.Copy()}
	}
	if s.n == 0 {
		s.min, s.max = o.min, o.max
	} else {
		s.min, s.max = min(s.min, o.min), max(s.max, o.max)
	}
	// Both use sketchMapping: MergeWith cannot fail.
	_ = s.dd.MergeWith(o.dd)
	s.n += o.n
	s.sum += o.sum
}

// Count returns the number of values added.
func (s *Sketch) Count() int64 { return s.n }

// Min returns the smallest value added, exactly; 0 if s is empty.
func (s *Sketch) Min() float64 { return s.min }

// Max returns the largest value added, exactly; 0 if s is empty.
func (s *Sketch) Max() float64 { return s.max }

// Sum returns the sum of the values added; 0 if s is empty.
func (s *Sketch) Sum() float64 { return s.sum }

// Quantile returns the value at quantile q (0.5 for the median, 0.95 for
// p95), within [SketchAccuracy] of a value at that rank, and never outside
// [Min, Max]: Quantile(0) and Quantile(1) are exact. q is clamped to
// [0, 1]. An empty Sketch returns 0.
func (s *Sketch) Quantile(q float64) float64 {
	if s.n == 0 {
		return 0
	}
	switch {
	case math.IsNaN(q) || q <= 0:
		return s.min
	case q >= 1:
		return s.max
	}
	v, err := s.dd.GetValueAtQuantile(q)
	if err != nil {
		return s.min // not reached: q is in range and s is not empty
	}
	return min(max(v, s.min), s.max)
}

// Equal reports whether s and o hold the same values as far as a Sketch
// can tell: the same count, minimum, maximum, sum and bins. (go-cmp uses it
// to compare records.)
func (s Sketch) Equal(o Sketch) bool {
	a, errA := s.MarshalJSON()
	b, errB := o.MarshalJSON()
	return errA == nil && errB == nil && string(a) == string(b)
}

// sketchJSON is the JSON form of a Sketch.
type sketchJSON struct {
	N    int64       `json:"n"`
	Min  float64     `json:"min,omitempty"`
	Max  float64     `json:"max,omitempty"`
	Sum  float64     `json:"sum,omitempty"`
	Zero float64     `json:"zero,omitempty"`
	Pos  [][]float64 `json:"pos,omitempty"`
	Neg  [][]float64 `json:"neg,omitempty"`
}

// runGap is the number of empty bins after which a new run starts: a
// shorter gap is cheaper written as zeros than as a new run.
const runGap = 2

// runs returns the bins of st as runs of consecutive bins.
func runs(st store.Store) [][]float64 {
	var out [][]float64
	var cur []float64
	next := 0 // the index after cur's last bin
	st.ForEach(func(i int, c float64) bool {
		if c == 0 {
			return false
		}
		switch {
		case cur != nil && i-next <= runGap:
			for ; next < i; next++ {
				cur = append(cur, 0)
			}
		default:
			if cur != nil {
				out = append(out, cur)
			}
			cur = []float64{float64(i)}
		}
		cur = append(cur, c)
		next = i + 1
		return false
	})
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// MarshalJSON implements [json.Marshaler] with the compact form described
// on [Sketch].
func (s Sketch) MarshalJSON() ([]byte, error) {
	j := sketchJSON{N: s.n, Min: s.min, Max: s.max, Sum: s.sum}
	if s.n > 0 {
		j.Zero = s.dd.GetZeroCount()
		j.Pos = runs(s.dd.GetPositiveValueStore())
		j.Neg = runs(s.dd.GetNegativeValueStore())
	}
	return json.Marshal(j)
}

// errSketch is wrapped by every error of [Sketch.UnmarshalJSON].
var errSketch = errors.New("bad sketch")

// UnmarshalJSON implements [json.Unmarshaler]. It accepts the form
// MarshalJSON writes, checks it (bin indexes in range, whole non-negative
// counts adding up to n, min <= max) and returns an error for anything
// else; it never allocates more than a Sketch can hold.
func (s *Sketch) UnmarshalJSON(b []byte) error {
	var j sketchJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", errSketch, fmt.Sprintf(format, a...))
	}
	for _, v := range []float64{j.Min, j.Max, j.Sum} {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return bad("min, max and sum must be finite")
		}
	}
	switch {
	case j.N < 0:
		return bad("n is negative")
	case j.N == 0:
		if j.Min != 0 || j.Max != 0 || j.Sum != 0 || j.Zero != 0 || len(j.Pos) > 0 || len(j.Neg) > 0 {
			return bad("an empty sketch (n 0) holds values")
		}
		*s = Sketch{}
		return nil
	case j.N > 1<<53:
		return bad("n %d is too large", j.N)
	case j.Min > j.Max:
		return bad("min %g is above max %g", j.Min, j.Max)
	}
	if !wholeCount(j.Zero) {
		return bad("zero %g is not a count", j.Zero)
	}
	dd := newDD()
	total := j.Zero
	if j.Zero > 0 {
		// The zero bin takes any value below the smallest indexable one.
		if err := dd.AddWithCount(0, j.Zero); err != nil {
			return bad("zero: %v", err)
		}
	}
	for _, side := range []struct {
		name string
		runs [][]float64
		st   store.Store
	}{{"pos", j.Pos, dd.GetPositiveValueStore()}, {"neg", j.Neg, dd.GetNegativeValueStore()}} {
		for k, run := range side.runs {
			if len(run) < 2 {
				return bad("%s run %d has no bins", side.name, k+1)
			}
			first := run[0]
			if first != math.Trunc(first) || first < float64(sketchMinIndex) || first+float64(len(run)-2) > float64(sketchMaxIndex) {
				return bad("%s run %d: bin index %g out of range", side.name, k+1, first)
			}
			for i, c := range run[1:] {
				if !wholeCount(c) {
					return bad("%s run %d: count %g is not a count", side.name, k+1, c)
				}
				if c > 0 {
					side.st.AddWithCount(int(first)+i, c)
				}
				total += c
			}
		}
	}
	if total != float64(j.N) {
		return bad("the bins count %g values, n is %d", total, j.N)
	}
	*s = Sketch{n: j.N, min: j.Min, max: j.Max, sum: j.Sum, dd: dd}
	return nil
}

// wholeCount reports whether c is a valid bin count: a whole number from 0
// to 2^53, the range where float64 counts are exact.
func wholeCount(c float64) bool {
	return c >= 0 && c <= 1<<53 && c == math.Trunc(c)
}

var (
	_ json.Marshaler   = Sketch{}
	_ json.Unmarshaler = (*Sketch)(nil)
)
