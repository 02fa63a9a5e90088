package artifact

import (
	"encoding/json"
	"fmt"
	"time"
)

// A StopReason says why a soak ended.
type StopReason string

// Stop reasons. A soak stopped by [StopSignal], or one that never recorded a
// reason (its process died), can be resumed.
const (
	StopDuration      StopReason = "duration"       // the duration was used up
	StopCount         StopReason = "count"          // the iteration count was reached
	StopFailFast      StopReason = "fail_fast"      // an iteration failed and keep_going is off
	StopMaxFailures   StopReason = "max_failures"   // max_failures iterations failed
	StopSignal        StopReason = "signal"         // the context was canceled (SIGINT, SIGTERM)
	StopServiceExited StopReason = "service_exited" // the service ended on its own
	StopServiceFailed StopReason = "service_failed" // the service did not start or become ready
	StopByteCap       StopReason = "byte_cap"       // a record no longer fit under max_bytes, even after compaction
	StopError         StopReason = "error"          // the soak could not do its job (see the reason)
	StopWriteFailed   StopReason = "write_failed"   // an artifact could not be written (disk full, I/O error, permissions)
)

// Resumable reports whether a soak that stopped for r can be resumed: it
// was stopped by a signal, never recorded a reason because its process
// died, or could not write its artifacts (resumed once there is room again;
// the iteration the failure hit stays failed).
func (r StopReason) Resumable() bool { return r == "" || r == StopSignal || r == StopWriteFailed }

// Planned reports whether r is a planned end: the duration was used up or
// the count reached.
func (r StopReason) Planned() bool { return r == StopDuration || r == StopCount }

// StateVersion is the version of the state.json schema.
const StateVersion = 1

// A State is the checkpoint in state.json, rewritten atomically before and
// after every iteration. iterations.jsonl stays the source of truth for the
// counters: on resume they are recounted from it, so a crash between the two
// writes loses nothing.
type State struct {
	Version int       `json:"version"`
	RunID   string    `json:"run_id"` // random; the same across resumes
	Started time.Time `json:"started"`
	// Runner is where the soak runs: its name, OS, architecture and shard,
	// as recorded when it started; a resume keeps it. Absent in the
	// checkpoints of older engines.
	Runner  *Runner   `json:"runner,omitempty"`
	Updated time.Time `json:"updated"`
	// ElapsedMS is the soak time used so far, summed over resumes; the
	// time between a crash and its resume does not count.
	ElapsedMS int64   `json:"elapsed_ms"`
	Counts    Counts  `json:"counts"`
	Running   *Active `json:"running,omitempty"` // the iteration in progress, if any
	Resumes   int     `json:"resumes"`
	// Stop is set when the soak ended; empty while it runs (or if it died).
	Stop   StopReason `json:"stop,omitempty"`
	Reason string     `json:"reason,omitempty"` // detail for Stop
	// WriteFailures lists artifact writes that failed, "path: error", at
	// most 20; WriteFailed counts them all. Any makes the soak fail.
	WriteFailures []string `json:"write_failures,omitempty"`
	WriteFailed   int      `json:"write_failed,omitempty"`
	// Unrecorded is the record of the last iteration when iterations.jsonl
	// refused it; a resume appends it there first.
	Unrecorded *Record `json:"unrecorded,omitempty"`
	// Schedule is what the last run (or resume) set out to do, written
	// when it started; absent in checkpoints of older engines.
	Schedule *Plan `json:"schedule,omitempty"`
	// WatchOnly is set when the soak ran no iterations by design: it only
	// watched its service. Any other soak that records no iteration did
	// not do its job.
	WatchOnly bool `json:"watch_only,omitempty"`
	// Service is how the service ended, once the soak has stopped it (or
	// it died); nil without a service or while it runs.
	Service *ServiceExit `json:"service,omitempty"`
	// ServiceTree is the process tree of the service while it runs.
	ServiceTree *Tree `json:"service_tree,omitempty"`
	// Orphans are processes of an earlier run of this soak (one that was
	// killed) found alive when this run started or resumed, and ended.
	Orphans []Process `json:"orphans,omitempty"`

	// The effective settings of the run, however they were given: a
	// resume continues with exactly these.

	// Config is the engine's configuration of the run (soak.Config), kept
	// as written: readers of the artifacts do not need it to judge, and the
	// engine alone decodes it.
	Config json.RawMessage `json:"config,omitempty"`
	// Heartbeat is the pause between iterations.
	Heartbeat *Duration `json:"heartbeat,omitempty"`
	// Plan names the plan's sections in order; empty for a soak that only
	// watches its service.
	Plan []string `json:"plan,omitempty"`
	// Caller holds the settings of the program that runs the soak (for
	// soakkit, its command line: the plan's source, the command, flags that
	// are not the engine's), kept as it gave them.
	Caller json.RawMessage `json:"caller,omitempty"`
}

// Active names an iteration in progress.
type Active struct {
	Iteration int       `json:"iteration"`
	Start     time.Time `json:"start"`
	// Steps are the process trees of the iteration's steps running now.
	Steps []Tree `json:"steps,omitempty"`
}

// A Tree is a process tree the soak started and has not yet seen end.
// Cookie is the name of the environment variable every process of the tree
// inherits: if the soak process is killed, a resume finds the tree's
// orphans by it and ends them.
type Tree struct {
	Name   string `json:"name"`
	PID    int    `json:"pid,omitempty"` // 0 until the tree's first process started
	Cookie string `json:"cookie"`
}

// Counts are the iteration counters of a soak.
type Counts struct {
	Iterations  int `json:"iterations"` // iterations recorded in iterations.jsonl (a range record holds several)
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	TimedOut    int `json:"timed_out"`   // also counted in Failed
	Cut         int `json:"cut"`         // ended by the soak deadline before they finished; not failures
	Cancelled   int `json:"cancelled"`   // ended by a signal (or the service's exit); not failures
	Interrupted int `json:"interrupted"` // in progress when the soak process died
}

// Add counts r: one iteration, or for a range record the Range.Count
// passed iterations it holds.
func (c *Counts) Add(r *Record) {
	if r.Range != nil {
		c.Iterations += r.Range.Count
		c.Passed += r.Range.Count
		return
	}
	c.Iterations++
	if r.CutByDeadline() {
		c.Cut++
		return
	}
	switch r.Status {
	case IterPassed:
		c.Passed++
	case IterFailed:
		c.Failed++
	case IterTimedOut:
		c.Failed++
		c.TimedOut++
	case IterCancelled:
		c.Cancelled++
	case IterInterrupted:
		c.Interrupted++
	}
}

// A ServiceExit describes how the service (the software under test, run
// for the whole soak) ended.
type ServiceExit struct {
	Name     string    `json:"name"`
	PID      int       `json:"pid"`
	Time     time.Time `json:"time"`
	ExitCode int       `json:"exit_code"`        // -1 if it was ended by a signal
	Signal   string    `json:"signal,omitempty"` // the signal that ended it, if any
	// Expected is true when the soak stopped the service itself.
	Expected bool   `json:"expected"`
	Tail     string `json:"tail"` // the last lines of its output
	// Survivors are processes of the service's tree still alive after it
	// was stopped; they were killed.
	Survivors []Process `json:"survivors,omitempty"`
}

// Failed reports whether the service's end is a failure of the soak: it
// ended on its own, or left processes behind when it was stopped.
func (x *ServiceExit) Failed() bool {
	return x != nil && (!x.Expected || len(x.Survivors) > 0)
}

// End says in words how the service ended: `service "api" (pid 12) exited
// with status 2`, or `... was ended by a signal (killed)`. The name is
// quoted, so a service named "service" does not read "service service".
func (x *ServiceExit) End() string {
	if x.Signal != "" {
		return fmt.Sprintf("service %q (pid %d) was ended by a signal (%s)", x.Name, x.PID, x.Signal)
	}
	return fmt.Sprintf("service %q (pid %d) exited with status %d", x.Name, x.PID, x.ExitCode)
}
