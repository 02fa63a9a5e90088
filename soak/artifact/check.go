package artifact

import (
	"errors"
	"fmt"
)

// ErrInconsistent is wrapped by every error that reports artifacts that
// disagree with each other: records missing, repeated or out of order, or
// counts that differ from the checkpoint's. Such artifacts cannot be judged.
var ErrInconsistent = errors.New("inconsistent artifacts")

// A Tally counts the records of iterations.jsonl as they are read, in file
// order, and checks them against each other and, with [Tally.Check],
// against the checkpoint. The zero Tally is ready to use; its memory does
// not grow with the number of records.
type Tally struct {
	Counts Counts // the records added so far, counted with [Counts.Add]
	Last   int    // the highest iteration number added; 0 before any

	records int  // records added
	gap     bool // some iteration number was skipped
}

// Add counts r (a range record as the iterations it holds). It returns an
// error wrapping [ErrInconsistent] if r's first iteration is not above
// every earlier one: iteration numbers are continuous across resumes, so a
// repeated or decreasing number means a record was duplicated or the file
// was spliced.
func (t *Tally) Add(r *Record) error {
	t.records++
	if r.Iteration <= t.Last {
		if !t.gap && r.Iteration >= 1 {
			// Numbers 1 to Last were all recorded: r repeats one.
			return fmt.Errorf("%w: iteration %d is recorded twice (again in record %d)", ErrInconsistent, r.Iteration, t.records)
		}
		return fmt.Errorf("%w: record %d: iteration %d comes after iteration %d", ErrInconsistent, t.records, r.Iteration, t.Last)
	}
	if r.Iteration != t.Last+1 {
		t.gap = true
	}
	t.Counts.Add(r)
	t.Last = r.LastIteration()
	return nil
}

// Check compares the tally of a whole iterations.jsonl with the checkpoint
// st; missing says iterations.jsonl does not exist. A nil st (no state.json)
// has nothing to compare with. The error wraps [ErrInconsistent] and says
// what differs.
//
// The engine appends a record before it rewrites state.json, so a soak
// that is running, or whose process died between the two writes, may have
// one record more than its checkpoint counts, for the iteration the
// checkpoint names as running. A soak that recorded its end has exactly
// the records its checkpoint counts.
func (t *Tally) Check(st *State, missing bool) error {
	if st == nil {
		return nil
	}
	want, got := st.Counts, t.Counts
	if want.Cut == 0 && got.Cut > 0 {
		// A checkpoint written before Counts.Cut existed counted the
		// iterations the deadline cut as cancelled.
		got.Cancelled, got.Cut = got.Cancelled+got.Cut, 0
	}
	switch {
	case missing && want.Iterations > 0:
		return fmt.Errorf("%w: iterations.jsonl is missing, but state.json counts %d iterations", ErrInconsistent, want.Iterations)
	case got == want:
		return nil
	case st.Stop == "" && st.Running != nil && t.Last == st.Running.Iteration && got.Iterations == want.Iterations+1:
		return nil // the record of the running iteration was written, the checkpoint not yet
	}
	return fmt.Errorf("%w: iterations.jsonl holds %s, but state.json counts %s", ErrInconsistent, countText(t.Counts), countText(want))
}

func countText(c Counts) string {
	return fmt.Sprintf("%d iterations (%d passed, %d failed, %d cut, %d cancelled, %d interrupted)",
		c.Iterations, c.Passed, c.Failed, c.Cut, c.Cancelled, c.Interrupted)
}
