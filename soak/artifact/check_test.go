package artifact

import (
	"errors"
	"strings"
	"testing"
)

func TestTally(t *testing.T) {
	passed := func(n int) Record { return Record{Iteration: n, Status: IterPassed} }
	failed := func(n int) Record { return Record{Iteration: n, Status: IterFailed} }
	rng := func(first, last int) Record {
		return Record{Iteration: first, Status: IterPassed, Range: &Range{Last: last, Count: last - first + 1}}
	}
	finished := func(c Counts) *State { return &State{Counts: c, Stop: StopCount} }
	tests := []struct {
		name    string
		recs    []Record
		state   *State
		missing bool
		wantErr string // "" for none
	}{
		{name: "agree", recs: []Record{passed(1), failed(2)}, state: finished(Counts{Iterations: 2, Passed: 1, Failed: 1})},
		{name: "no checkpoint", recs: []Record{passed(1)}},
		{name: "no records yet", state: &State{}, missing: true},
		{name: "resumed gap", recs: []Record{passed(1), passed(3)}, state: finished(Counts{Iterations: 2, Passed: 2})},
		{name: "record ahead of a running checkpoint", recs: []Record{passed(1), passed(2)},
			state: &State{Counts: Counts{Iterations: 1, Passed: 1}, Running: &Active{Iteration: 2}}},
		{name: "record ahead of a finished checkpoint", recs: []Record{passed(1), passed(2)},
			state: finished(Counts{Iterations: 1, Passed: 1}), wantErr: "holds 2 iterations"},
		{name: "repeated", recs: []Record{passed(1), passed(2), passed(1)}, wantErr: "iteration 1 is recorded twice (again in record 3)"},
		{name: "range", recs: []Record{passed(1), rng(2, 9), failed(10), rng(11, 12)},
			state: finished(Counts{Iterations: 12, Passed: 11, Failed: 1})},
		{name: "range repeated", recs: []Record{rng(1, 5), passed(3)}, wantErr: "iteration 3 is recorded twice"},
		{name: "range overlaps", recs: []Record{passed(1), passed(2), rng(2, 4)}, wantErr: "iteration 2 is recorded twice"},
		{name: "out of order", recs: []Record{passed(2), passed(1)}, wantErr: "record 2: iteration 1 comes after iteration 2"},
		{name: "missing file", missing: true, state: finished(Counts{Iterations: 7, Failed: 7}),
			wantErr: "iterations.jsonl is missing, but state.json counts 7 iterations"},
		{name: "failure lost", recs: []Record{passed(1), passed(2)}, state: finished(Counts{Iterations: 2, Passed: 1, Failed: 1}),
			wantErr: "but state.json counts 2 iterations (1 passed, 1 failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tl Tally
			var err error
			for i := range tt.recs {
				if err = tl.Add(&tt.recs[i]); err != nil {
					break
				}
			}
			if err == nil {
				err = tl.Check(tt.state, tt.missing)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Tally of %s: %v, want no error", tt.name, err)
			case tt.wantErr != "" && (!errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Tally of %s: %v, want an ErrInconsistent containing %q", tt.name, err, tt.wantErr)
			}
		})
	}
}
