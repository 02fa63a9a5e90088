package artifact

import (
	"fmt"
	"time"

	"github.com/soakkit/soakkit/step"
)

// An IterStatus is the outcome of one iteration.
type IterStatus string

// Iteration statuses. Only IterFailed and IterTimedOut are failures. IterCut
// iterations were ended by the soak's own deadline before they finished,
// IterCancelled ones by a signal (or the end of the caller's context, or
// the service's exit), and IterInterrupted ones were running when the soak
// process died (they are recorded when the soak is resumed): none of these
// is evidence for or against a step. Records written before IterCut
// existed show a deadline cut as IterCancelled (see [Record.CutByDeadline]).
const (
	IterPassed      IterStatus = "passed"
	IterFailed      IterStatus = "failed"
	IterTimedOut    IterStatus = "timed_out"
	IterCut         IterStatus = "cut"
	IterCancelled   IterStatus = "cancelled"
	IterInterrupted IterStatus = "interrupted"
)

// Failed reports whether s counts as a failed iteration.
func (s IterStatus) Failed() bool { return s == IterFailed || s == IterTimedOut }

// legacyDeadlineReason is the Reason engines wrote for an iteration the
// soak's deadline ended, before IterCut existed.
const legacyDeadlineReason = "the soak deadline was reached"

// CutByDeadline reports whether the soak's deadline ended the iteration
// before it finished: status IterCut, or, in records written before that
// status existed, IterCancelled with a cut budget and the deadline as the
// reason.
func (r *Record) CutByDeadline() bool {
	return r.Status == IterCut || r.Status == IterCancelled && r.Cut && r.Reason == legacyDeadlineReason
}

// StepCut reports whether st, a step record of r (nested ones included),
// was stopped by the soak's end rather than by its own result, so that it
// is neither a pass nor a failure of the step: the engine marked it
// (StepRecord.Cut), or, in records written before steps were marked, r is
// not [Record.Judged] and st neither passed, nor was skipped, nor failed.
func (r *Record) StepCut(st *StepRecord) bool {
	if st.Status == step.Passed || st.Status == step.Skipped || st.Status == "" {
		return false
	}
	return st.Cut || !r.Judged() && st.Status != step.Failed
}

// Judged reports whether the iteration's outcome is evidence about the
// software under test: it passed, failed or timed out on its own, rather
// than being cut short by the soak's deadline, a signal or the soak
// process's death.
func (r *Record) Judged() bool {
	return !r.CutByDeadline() && (r.Status == IterPassed || r.Status.Failed())
}

// A Record is one line of iterations.jsonl: one iteration, whatever its
// outcome (timed-out, cancelled and interrupted ones included). Timestamps
// are UTC RFC 3339.
type Record struct {
	Iteration  int          `json:"iteration"` // 1-based, continuous across resumes
	Start      time.Time    `json:"start"`
	End        time.Time    `json:"end"`
	DurationMS int64        `json:"duration_ms"`
	BudgetMS   int64        `json:"budget_ms"`     // the timeout it ran under
	Cut        bool         `json:"cut,omitempty"` // the budget was cut to fit the soak deadline (Status says whether the deadline ended it)
	Result     string       `json:"result"`        // "OK" only for IterPassed, else "FAIL"
	Status     IterStatus   `json:"status"`
	Reason     string       `json:"reason,omitempty"` // why it did not pass
	Steps      []StepRecord `json:"steps"`
	// Survivors are processes started during the iteration that were still
	// alive after it; each makes the iteration fail. They were killed.
	Survivors []Process `json:"survivors,omitempty"`
	// Resources holds, per sampled target ([Self], a service's name,
	// [StepTarget]), the figures of the last sample of the iteration and
	// the peak RSS seen during it.
	Resources map[string]Figures `json:"resources,omitempty"`
	LogDir    string             `json:"log_dir,omitempty"` // slash path relative to the artifacts root
	// Range is set on a range record: the compacted records of the
	// passing iterations Iteration to Range.Last (see [Range]).
	Range *Range `json:"range,omitempty"`
}

// A Range is what a range record keeps of a run of consecutive passing
// iterations once the engine has compacted their records to stay under the
// soak's byte cap (their logs are deleted). Only iterations that passed
// with every step (nested ones and per-test results included) passed or
// skipped, and nothing cut or left behind, are compacted: every other
// iteration keeps its full record and its logs.
//
// The [Record] that carries a Range has Iteration set to the first
// iteration of the run, Start to its start, End to the end of the last,
// DurationMS to the sum of their durations, BudgetMS to the largest
// budget, Status [IterPassed], Result "OK", and no Steps, Resources or
// LogDir of its own: those live in the Range.
type Range struct {
	Last  int `json:"last"`  // the last iteration of the run
	Count int `json:"count"` // iterations in it: Last - Iteration + 1
	// Steps has one entry per step name, nested steps flattened with
	// their "/"-joined name ("build/vet"), in the order they first ran.
	Steps []RangeStep `json:"steps"`
	// Resources holds, per sampled target, the extrema and the last
	// figures of the iterations' [Record.Resources].
	Resources map[string]RangeFigures `json:"resources,omitempty"`
}

// A RangeStep is a step's results over the iterations of a [Range].
type RangeStep struct {
	Name string `json:"name"`
	// Statuses counts the step's runs by status (passed and skipped: a
	// range holds nothing else).
	Statuses map[step.Status]int `json:"statuses"`
	// Duration holds the durations in milliseconds of the runs that
	// passed; its Min, Max and Sum are exact.
	Duration Sketch `json:"duration_ms"`
	Attempts int    `json:"attempts"`           // summed over the runs; above the run count when some were retried
	PeakRSS  uint64 `json:"peak_rss,omitempty"` // bytes, the highest of the runs' peaks
	// Tests counts the per-test results of a go test step by status.
	Tests []RangeTest `json:"tests,omitempty"`
}

// A RangeTest is one test of a go test step over the iterations of a
// [Range].
type RangeTest struct {
	Package  string              `json:"package"`
	Test     string              `json:"test,omitempty"`
	Statuses map[step.Status]int `json:"statuses"`
}

// RangeFigures are a target's resource figures over the iterations of a
// [Range]: each field's lowest and highest value, and the figures of the
// last iteration.
type RangeFigures struct {
	Min  Figures `json:"min"`
	Max  Figures `json:"max"`
	Last Figures `json:"last"`
}

// validRange checks the range of r, if any: a range record covers at least
// one iteration, counts them right and says they passed.
func (r *Record) validRange() error {
	g := r.Range
	switch {
	case g == nil:
		return nil
	case r.Iteration < 1:
		return fmt.Errorf("range: iteration %d is not a first iteration", r.Iteration)
	case g.Last < r.Iteration:
		return fmt.Errorf("range: last %d is before iteration %d", g.Last, r.Iteration)
	case g.Count != g.Last-r.Iteration+1:
		return fmt.Errorf("range: count %d, but iterations %d to %d are %d", g.Count, r.Iteration, g.Last, g.Last-r.Iteration+1)
	case r.Status != IterPassed:
		return fmt.Errorf("range: status %q, but a range holds passed iterations only", r.Status)
	case len(r.Steps) > 0:
		return fmt.Errorf("range: a range record has steps of its own")
	}
	for _, st := range g.Steps {
		if st.Name == "" {
			return fmt.Errorf("range: a step has no name")
		}
		for s, n := range st.Statuses {
			if n < 0 || n > g.Count {
				return fmt.Errorf("range: step %q: %d runs %s in %d iterations", st.Name, n, s, g.Count)
			}
		}
	}
	return nil
}

// LastIteration returns the last iteration r records: Range.Last for a
// range record, Iteration for any other.
func (r *Record) LastIteration() int {
	if r.Range != nil {
		return r.Range.Last
	}
	return r.Iteration
}

// Iterations returns the number of iterations r records: Range.Count for a
// range record, 1 for any other.
func (r *Record) Iterations() int {
	if r.Range != nil {
		return r.Range.Count
	}
	return 1
}

// A StepRecord is a step's result as kept in iterations.jsonl: the
// [step.Result] without its start time and log tail for steps that passed,
// and with the peak RSS of the step's process tree.
type StepRecord struct {
	Name       string       `json:"name"`
	Status     step.Status  `json:"status"`
	OK         bool         `json:"ok"`
	Details    string       `json:"details"`
	ExitCode   int          `json:"exit_code"`
	DurationMS int64        `json:"duration_ms"`
	Attempts   int          `json:"attempts"`
	PeakRSS    uint64       `json:"peak_rss,omitempty"` // bytes, over the samples taken while it ran
	Logs       []string     `json:"logs,omitempty"`     // slash paths relative to the artifacts root
	Tail       string       `json:"tail,omitempty"`     // only for steps that did not pass
	Tests      []TestRecord `json:"tests,omitempty"`
	Steps      []StepRecord `json:"steps,omitempty"`
	Leftovers  []Process    `json:"leftovers,omitempty"`
	// Cut marks a step stopped because the soak's deadline or a signal
	// ended its iteration, not by its own result: its status (timed_out,
	// error) is no evidence against it.
	Cut bool `json:"cut,omitempty"`
}

// A TestRecord is one test of a go test step.
type TestRecord struct {
	Package   string      `json:"package"`
	Test      string      `json:"test,omitempty"`
	Status    step.Status `json:"status"`
	ElapsedMS int64       `json:"elapsed_ms"`
}

// Figures are a target's resource figures in a [Record].
type Figures struct {
	RSS        uint64 `json:"rss,omitempty"`      // bytes, last sample
	PeakRSS    uint64 `json:"peak_rss,omitempty"` // bytes, highest sample during the iteration
	FDs        int    `json:"fds,omitempty"`
	Threads    int    `json:"threads,omitempty"`
	Procs      int    `json:"procs,omitempty"`
	Goroutines int    `json:"goroutines,omitempty"`
	HeapLive   uint64 `json:"go_heap_live,omitempty"`
}

// A Process is a process the soak found and ended: one that survived its
// iteration, or was left behind by a step.
type Process struct {
	PID     int    `json:"pid"`
	Cmdline string `json:"cmdline"`           // arguments joined by spaces; "" if unreadable
	Escaped bool   `json:"escaped,omitempty"` // it had left its step's process group (found by cookie)
}

// String describes p for humans: "pid 42 (sleep 300) [left the process group]".
func (p Process) String() string {
	s := fmt.Sprintf("pid %d", p.PID)
	if p.Cmdline != "" {
		s += " (" + p.Cmdline + ")"
	}
	if p.Escaped {
		s += " [left the process group]"
	}
	return s
}
