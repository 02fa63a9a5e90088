package summary

import (
	"slices"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// A Runner is one runner's part of a merged summary ([Summary.Runners]):
// who it is, where its artifacts were read, its counts and the verdict
// [Compute] gave its run.
type Runner struct {
	artifact.Runner        // name, os, arch, shard
	Source          string `json:"source"` // the artifacts root read, as given
	RunID           string `json:"run_id,omitempty"`
	Iterations      int    `json:"iterations"`
	Passed          int    `json:"passed"`
	Failed          int    `json:"failed"`
	Verdict         Status `json:"verdict"`
	ExitCode        int    `json:"exit_code"`
	Reason          string `json:"reason"`
	Complete        bool   `json:"complete"` // the run recorded its end
	// Stop is why the runner's soak ended and StopReason says it in
	// words, as its own summary's Run has them (RunInfo.Stop and
	// RunInfo.Reason); both are empty for a run that recorded no end.
	Stop       artifact.StopReason `json:"stop,omitempty"`
	StopReason string              `json:"stop_reason,omitempty"`
	// Leaks are the runner's leak verdicts, one per target and metric,
	// and Slowdowns its steps' duration trends, as its own summary has
	// them.
	Leaks     []probe.Verdict `json:"leaks"`
	Slowdowns []Trend         `json:"slowdowns"`
}

// A Class says how a step or test that did not pass everywhere behaved
// across the runners of a merged summary.
type Class string

// Classes, from the most telling of intermittence: a step that is flaky on
// one runner is Flaky whatever the others did.
const (
	// Flaky: it both passed and failed on at least one runner.
	ClassFlaky Class = "flaky"
	// RunnerSpecific: it failed every run on some runners and passed
	// every run on the others.
	ClassRunnerSpecific Class = "runner_specific"
	// FailingEverywhere: it failed every run on every runner that ran it.
	ClassFailingEverywhere Class = "failing_everywhere"
)

// A CrossRunner classifies a step, or a test of a step, across the
// runners of a merged summary. Runners that never ran it (or whose runs of
// it were all cut by the soak's end) are in none of the lists.
type CrossRunner struct {
	Kind    string `json:"kind"` // "step" or "test"
	Step    string `json:"step"`
	Package string `json:"package,omitempty"`
	Test    string `json:"test,omitempty"`
	Class   Class  `json:"class"`
	// Runner names: where it failed every run, where it both passed and
	// failed, where it passed every run.
	FailingOn []string `json:"failing_on"`
	FlakyOn   []string `json:"flaky_on"`
	PassingOn []string `json:"passing_on"`
	Passed    int      `json:"passed"` // runs, over all runners
	Failed    int      `json:"failed"`
}

// Name returns the step's or test's display name.
func (c *CrossRunner) Name() string {
	if c.Kind == "test" {
		return c.Package + "." + c.Test
	}
	return c.Step
}

// An Outcome counts the runs of a step, or of a test of a go test step,
// that passed and that failed over one run of a soak, with the rules of
// [Summary.Flaky]: runs the soak's end cut count for neither.
type Outcome struct {
	Kind    string `json:"kind"` // "step" or "test"
	Step    string `json:"step"`
	Package string `json:"package,omitempty"`
	Test    string `json:"test,omitempty"`
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	// FailedIterations lists the iterations where it failed, as
	// [Flaky.FailedIterations] does (at most 100; FailedIterationsMore
	// counts the rest).
	FailedIterations     []int `json:"failed_iterations,omitempty"`
	FailedIterationsMore int   `json:"failed_iterations_more,omitempty"`
}

// A RunnerIterations lists the iterations of one runner in which a step or
// test failed, in a merged summary's [Flaky] entries. Each runner numbers
// its own iterations.
type RunnerIterations struct {
	Runner string `json:"runner"`
	// Iterations are the first ones where it failed (at most 20), More
	// counts the others.
	Iterations []int `json:"iterations"`
	More       int   `json:"more,omitempty"`
}

// Outcomes returns the pass and fail counts of every step and test of the
// run, in order of first appearance; what [Summary.Flaky] lists is the
// part that both passed and failed. It is what a merge of several runners
// classifies across them. A Summary decoded from summary.json has none.
func (s *Summary) Outcomes() []Outcome { return slices.Clone(s.outcomes) }
