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
