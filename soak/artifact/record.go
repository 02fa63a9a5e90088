package artifact

import (
	"fmt"
	"time"

	"github.com/soakkit/soakkit/step"
)

// An IterStatus is the outcome of one iteration.
type IterStatus string

// Iteration statuses. Only IterFailed and IterTimedOut are failures;
// IterCancelled iterations were cut by the soak's own deadline or a signal,
// and IterInterrupted ones were running when the soak process died (they are
// recorded when the soak is resumed).
const (
	IterPassed      IterStatus = "passed"
	IterFailed      IterStatus = "failed"
	IterTimedOut    IterStatus = "timed_out"
	IterCancelled   IterStatus = "cancelled"
	IterInterrupted IterStatus = "interrupted"
)

// Failed reports whether s counts as a failed iteration.
func (s IterStatus) Failed() bool { return s == IterFailed || s == IterTimedOut }

// A Record is one line of iterations.jsonl: one iteration, whatever its
// outcome (timed-out, cancelled and interrupted ones included). Timestamps
// are UTC RFC 3339.
type Record struct {
	Iteration  int          `json:"iteration"` // 1-based, continuous across resumes
	Start      time.Time    `json:"start"`
	End        time.Time    `json:"end"`
	DurationMS int64        `json:"duration_ms"`
	BudgetMS   int64        `json:"budget_ms"`     // the timeout it ran under
	Cut        bool         `json:"cut,omitempty"` // the budget was cut to fit the soak deadline
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
