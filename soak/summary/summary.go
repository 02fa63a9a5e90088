package summary

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// Version is the version of the summary.json schema.
const Version = 1

// A Status is the verdict of a run.
type Status string

// Verdicts, from the worst. A run with failures is Failed even if it also
// leaked or was stopped early; the rest is then reported in the reasons.
// Only Passed is a pass.
const (
	Failed Status = "failed" // failed iterations, a dead service, a write failure, a hard gate, or nothing run
	// Stopped is a soak stopped by a signal (Ctrl+C, SIGTERM) before its
	// planned end, with no failure so far: its figures cover only part of
	// the plan, so it is not a pass.
	Stopped Status = "stopped"
	// Incomplete is a soak that recorded no end: it is still running, or
	// its process died (kill -9, a crash, a power cut). Not a pass either.
	Incomplete Status = "incomplete"
	Leak       Status = "leak"     // a resource leak verdict and no failure
	Slowdown   Status = "slowdown" // a step got slower and no failure or leak
	Passed     Status = "passed"
)

// Exit statuses of a run, as the soakkit command returns them.
const (
	ExitHealthy  = 0
	ExitFailures = 1 // failures, or a soak that did not complete
	// ExitBadArtifacts is returned when the artifacts are missing, damaged
	// or inconsistent, so that nothing could be judged.
	ExitBadArtifacts = 2
	ExitLeak         = 3   // a leak or slowdown verdict without failures
	ExitSignal       = 130 // stopped by a signal (128 + SIGINT), whatever was found before
)

// A Summary is the verdict of a soak and the figures behind it, computed
// from its artifacts only, so that it can be computed for a finished run,
// one still running and one whose process died. Its JSON is summary.json.
type Summary struct {
	Version int    `json:"version"`
	RunID   string `json:"run_id,omitempty"`
	// Verdict comes first: what someone paged at 3 a.m. reads.
	Verdict Verdict `json:"verdict"`
	Run     RunInfo `json:"run"`
	// Iterations counts the iterations by outcome.
	Iterations Iterations  `json:"iterations"`
	Steps      []StepStats `json:"steps"`
	Flaky      []Flaky     `json:"flaky"`
	// Slowdowns holds the duration trend of every step with enough
	// passing runs; Slower marks the slowdown verdicts.
	Slowdowns []Trend `json:"slowdowns"`
	// Leaks holds probe's verdict for every metric of every sampled
	// target: long-lived ones from samples.jsonl, "step:<name>" trees from
	// the per-iteration figures.
	Leaks  []probe.Verdict `json:"leaks"`
	Alarms []probe.Alarm   `json:"alarms"`
	Gates  []GateResult    `json:"gates"`
	// FirstFailure is the first failed iteration, with its log tail.
	FirstFailure *Failure `json:"first_failure,omitempty"`
	// Figures are the numbers gates can name, by name: iterations,
	// passed, failed, timed_out, cut, cancelled, interrupted, success_rate and
	// failure_rate (fractions), duration_s, flaky; per step
	// "step.<name>.runs", .passed, .failed, .failure_rate, .p50_ms, .p95_ms,
	// .max_ms and .peak_rss_mib; "slowdown.<step>.percent"; and per leak
	// verdict "leak.<target>.<metric>.slope", .lower and .growth in the
	// verdict's Unit and GrowthUnit (MiB/h and MiB for sizes, per hour for
	// sampled counts, per iteration for a step's counts). A figure that
	// could not be computed is absent, not zero.
	Figures map[string]float64 `json:"figures"`
	// Runners is set in a summary that merges the runs of several runners
	// (package soak/merge): each runner's identity, counts and own
	// verdict. CrossRunner then classifies the steps and tests that did
	// not pass everywhere. Both are absent in the summary of one run.
	Runners     []Runner      `json:"runners,omitempty"`
	CrossRunner []CrossRunner `json:"cross_runner,omitempty"`

	// The fields of the metrics_summary.json that shell soak scripts
	// write, for users whose tooling parses them.
	TotalIterations    int             `json:"total_iterations"`
	Successful         int             `json:"successful"`
	FailedIterations   int             `json:"failed"`
	SuccessRatePercent float64         `json:"success_rate_percent"`
	DurationSeconds    DurationSeconds `json:"duration_seconds"`

	junit      *junitAcc        // what junit.xml details, beyond the figures above
	stepDurs   []durations      // passing durations by step index, for a Merger's percentiles
	outcomes   []Outcome        // every step and test, for Outcomes
	merged     []runnerOutcomes // a merged summary's runners, for its JUnit
	reportLink string
}

// A Verdict is the outcome of a run and why, in one sentence.
type Verdict struct {
	Status   Status   `json:"status"`
	ExitCode int      `json:"exit_code"`
	Reason   string   `json:"reason"`  // one sentence
	Reasons  []string `json:"reasons"` // every finding behind the status, worst first
}

// RunInfo describes the run from its checkpoint.
type RunInfo struct {
	// Runner is where the soak ran (name, OS, architecture, shard);
	// absent for the artifacts of older engines.
	Runner    *artifact.Runner `json:"runner,omitempty"`
	Started   time.Time        `json:"started,omitzero"`
	Updated   time.Time        `json:"updated,omitzero"`
	ElapsedMS int64            `json:"elapsed_ms"`
	Resumes   int              `json:"resumes"`
	// Stop is why the soak ended; empty while it runs, or if its process
	// died (Complete is then false).
	Stop     artifact.StopReason `json:"stop,omitempty"`
	Reason   string              `json:"reason,omitempty"`
	Complete bool                `json:"complete"`
	// Schedule is what the last run (or resume) set out to do: when it
	// was to end, the iteration timeout and the stop reserve. Absent for
	// the artifacts of older engines.
	Schedule *artifact.Plan `json:"schedule,omitempty"`
	// WatchOnly is set for a soak that only watched its service, with no
	// iterations by design.
	WatchOnly bool `json:"watch_only,omitempty"`
	// Service is how the service ended, when there was one and the soak
	// recorded its end.
	Service *artifact.ServiceExit `json:"service,omitempty"`
	// WriteFailed counts the artifact writes that failed, across resumes;
	// WriteFailures lists the first of them ("path: error"). Any fails the
	// run: its evidence is incomplete.
	WriteFailed   int      `json:"write_failed,omitempty"`
	WriteFailures []string `json:"write_failures,omitempty"`
}

// Iterations counts iterations by outcome.
type Iterations struct {
	artifact.Counts
	SuccessRate float64   `json:"success_rate"` // passed / (passed + failed); 0 when none
	FailureRate float64   `json:"failure_rate"` // failed / (passed + failed)
	First       time.Time `json:"first,omitzero"`
	Last        time.Time `json:"last,omitzero"` // end of the last iteration
	DurationMS  int64     `json:"duration_ms"`   // iteration time summed
}

// DurationSeconds are the iteration duration figures of metrics_summary.json,
// in seconds, over the iterations that passed or failed (one cut short by
// the soak's end lasted as long as its cut, not as an iteration).
type DurationSeconds struct {
	Avg float64 `json:"avg"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// StepStats are one step's figures over the run. Nested steps are named
// "parent/child".
type StepStats struct {
	Name     string `json:"name"`
	Runs     int    `json:"runs"`
	Passed   int    `json:"passed"`
	Failed   int    `json:"failed"` // failed, timed out or errored on its own
	TimedOut int    `json:"timed_out"`
	Skipped  int    `json:"skipped"`
	// Cut counts the runs stopped by the soak's deadline or a signal, or
	// by the soak process's death: neither passed nor failed.
	Cut int `json:"cut,omitempty"`
	// Durations of the runs that passed, in milliseconds; absent when
	// none passed.
	P50MS   *int64 `json:"p50_ms,omitempty"`
	P95MS   *int64 `json:"p95_ms,omitempty"`
	MaxMS   *int64 `json:"max_ms,omitempty"`
	Flaky   bool   `json:"flaky,omitempty"`
	PeakRSS uint64 `json:"peak_rss,omitempty"` // bytes, highest over the run
}

// Flaky is a step, or a test of a go test step, that both passed and failed
// during the run.
type Flaky struct {
	Kind    string `json:"kind"` // "step" or "test"
	Step    string `json:"step"`
	Package string `json:"package,omitempty"`
	Test    string `json:"test,omitempty"`
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	// FailedIterations lists the iterations where it failed (at most
	// 100; FailedIterationsMore counts the rest).
	FailedIterations     []int `json:"failed_iterations"`
	FailedIterationsMore int   `json:"failed_iterations_more,omitempty"`
	// FailedOn is set in a merged summary, whose FailedIterations is
	// empty (each runner numbers its own iterations): for every runner
	// where it failed, in the order of Summary.Runners, the iterations
	// where it did.
	FailedOn []RunnerIterations `json:"failed_on,omitempty"`
}

// Name returns the flaky step's or test's display name.
func (f *Flaky) Name() string {
	if f.Kind == "test" {
		return f.Package + "." + f.Test
	}
	return f.Step
}

// A Trend is the duration trend of one step's passing runs.
type Trend struct {
	Step string `json:"step"`
	// Slower is the slowdown verdict: the fitted growth is at least the
	// configured fraction of the baseline (Verdict.Outcome is LEAK).
	Slower     bool          `json:"slower"`
	Percent    float64       `json:"percent"`     // fitted growth over the window, % of BaselineMS
	BaselineMS float64       `json:"baseline_ms"` // median of the first runs of the window
	Verdict    probe.Verdict `json:"verdict"`     // Unit "s/h", GrowthUnit "s"
	Reason     string        `json:"reason"`
}

// A Failure is a failed iteration.
type Failure struct {
	Iteration int                 `json:"iteration"`
	Start     time.Time           `json:"start"`
	Status    artifact.IterStatus `json:"status"`
	Reason    string              `json:"reason,omitempty"`
	Step      string              `json:"step,omitempty"` // the first step that did not pass
	Details   string              `json:"details,omitempty"`
	Tail      string              `json:"tail,omitempty"`
	Logs      []string            `json:"logs,omitempty"`
	// Runner names the runner whose iteration this is, in a merged
	// summary; its Logs are then prefixed with the runner's source.
	Runner string `json:"runner,omitempty"`
}

// Compute computes the summary of the soak whose artifacts are under root.
// It reads soak/state.json (optional: a run that died before writing it is
// still summarised), soak/iterations.jsonl and soak/samples.jsonl, and the
// gates' files. An error means the artifacts could not be judged: a file
// is unreadable or damaged, or the records disagree with the checkpoint
// (missing, repeated or miscounted; the error then wraps
// [artifact.ErrInconsistent]). A run with no iterations is a summary, not an
// error.
//
// Options add to what Compute does while it reads (see [Visit]).
func Compute(root string, cfg *Config, opts ...Option) (*Summary, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	var o computeOptions
	for _, opt := range opts {
		opt.apply(&o)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	l := artifact.Layout{Root: root}
	s := &Summary{Version: Version}

	checkpoint, err := artifact.ReadState(l.State())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("summary: %w", err)
	}
	st := checkpoint
	if st == nil {
		st = &artifact.State{} // a run that died before its first checkpoint
	}
	s.RunID = st.RunID
	s.Run = RunInfo{Runner: st.Runner, Started: st.Started, Updated: st.Updated, ElapsedMS: st.ElapsedMS, Resumes: st.Resumes,
		Stop: st.Stop, Reason: st.Reason, Complete: st.Stop != "", WatchOnly: st.WatchOnly, Service: st.Service,
		WriteFailed: st.WriteFailed, WriteFailures: st.WriteFailures, Schedule: st.Schedule}

	var tally artifact.Tally
	a := newAccum()
	missing := false
	for r, err := range artifact.Records(l.Iterations()) {
		if errors.Is(err, fs.ErrNotExist) {
			missing = true
			break
		}
		if err != nil {
			return nil, fmt.Errorf("summary: %w", err) // names file:line
		}
		if err := tally.Add(&r); err != nil {
			return nil, fmt.Errorf("summary: %s: %w", l.Iterations(), err)
		}
		a.add(&r, &cfg.Leaks)
		if o.record != nil {
			v := r // r itself stays on the stack when nothing visits
			o.record(&v)
		}
	}
	if checkpoint != nil && checkpoint.Unrecorded != nil && checkpoint.Unrecorded.Iteration > tally.Last {
		// The last iteration's record could not be appended (a write
		// failure); the checkpoint kept it, and counts it.
		r := *checkpoint.Unrecorded
		tally.Add(&r)
		a.add(&r, &cfg.Leaks)
		if o.record != nil {
			o.record(&r)
		}
		missing = false
	}
	if err := tally.Check(checkpoint, missing); err != nil {
		return nil, fmt.Errorf("summary: %s: %w", l.Dir(), err)
	}
	a.finish(s, cfg)

	vs, alarms, err := analyzeSamples(l.Samples(), &cfg.Leaks, o.sample)
	if err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	s.Leaks = append(vs, s.Leaks...)
	s.Alarms = alarms
	if s.Alarms == nil {
		s.Alarms = []probe.Alarm{}
	}
	s.figures()
	dir := cfg.Dir
	if dir == "" {
		dir = root
	}
	s.Gates = evalGates(cfg.Gates, s.Figures, dir)
	s.verdict(cfg)

	s.reportLink = cfg.ReportURL
	if s.reportLink == "" {
		if _, err := os.Stat(l.HTMLReport()); err == nil {
			s.reportLink = l.HTMLReportLink()
		}
	}
	return s, nil
}

// An Option adds to what [Compute] does. Options are applied in order.
type Option interface{ apply(*computeOptions) }

type computeOptions struct {
	record func(*artifact.Record)
	sample func(*probe.Sample)
}

type optionFunc func(*computeOptions)

func (f optionFunc) apply(o *computeOptions) { f(o) }

// Visit has [Compute] call record with every record it counts (those of
// iterations.jsonl in file order, then the one a checkpoint kept because it
// could not be appended) and sample with every sample of samples.jsonl, in
// file order, as it reads them. Another reader of the artifacts (the HTML
// report) so shares Compute's one pass over the files instead of decoding
// them again. Either function may be nil; the pointers are valid only
// during the call. If Compute returns an error, the calls made cover part
// of the files. Default: none. If given more than once, the last wins.
func Visit(record func(*artifact.Record), sample func(*probe.Sample)) Option {
	return optionFunc(func(o *computeOptions) { o.record, o.sample = record, sample })
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func failure(r *artifact.Record) *Failure {
	f := &Failure{Iteration: r.Iteration, Start: r.Start, Status: r.Status, Reason: r.Reason}
	var find func(prefix string, steps []artifact.StepRecord) bool
	find = func(prefix string, steps []artifact.StepRecord) bool {
		for _, st := range steps {
			if st.OK || st.Status == step.Skipped {
				continue
			}
			name := prefix + st.Name
			// The deepest step that did not pass names the problem best.
			if find(name+"/", st.Steps) {
				return true
			}
			f.Step, f.Details, f.Tail, f.Logs = name, st.Details, st.Tail, st.Logs
			return true
		}
		return false
	}
	find("", r.Steps)
	return f
}

// walkSteps calls fn for every step record of r, nested ones named
// "parent/child".
func walkSteps(steps []artifact.StepRecord, prefix string, fn func(name string, st *artifact.StepRecord)) {
	for i := range steps {
		name := prefix + steps[i].Name
		fn(name, &steps[i])
		walkSteps(steps[i].Steps, name+"/", fn)
	}
}

func failedStatus(st step.Status) bool {
	return st != step.Passed && st != step.Skipped && st != ""
}

const maxListed = 100

// durationMetric labels the per-step duration trend; its values are seconds.
const durationMetric probe.Metric = "duration"

// durationUnits matches how probe words the values and rates of a metric
// it has no unit for, as durationMetric: "12.3 duration", "4.5 duration/h".
var durationUnits = regexp.MustCompile(`(\d) duration(/h)?\b`)

// inSeconds rewords a probe reason about durationMetric in seconds.
func inSeconds(reason string) string { return durationUnits.ReplaceAllString(reason, "$1 s$2") }

func dur(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	case d >= time.Minute:
		return fmt.Sprintf("%.1f min", d.Minutes())
	}
	return d.Round(100 * time.Millisecond).String()
}

func (s *Summary) figures() {
	f := map[string]float64{}
	it := s.Iterations
	f["iterations"] = float64(it.Iterations)
	f["passed"] = float64(it.Passed)
	f["failed"] = float64(it.Failed)
	f["timed_out"] = float64(it.TimedOut)
	f["cut"] = float64(it.Cut)
	f["cancelled"] = float64(it.Cancelled)
	f["interrupted"] = float64(it.Interrupted)
	if it.Passed+it.Failed > 0 {
		f["success_rate"] = it.SuccessRate
		f["failure_rate"] = it.FailureRate
	}
	if it.Iterations > 0 {
		f["duration_s"] = float64(it.Last.Sub(it.First).Milliseconds()) / 1000
	}
	f["flaky"] = float64(len(s.Flaky))
	for _, st := range s.Steps {
		p := "step." + st.Name + "."
		f[p+"runs"] = float64(st.Runs)
		f[p+"passed"] = float64(st.Passed)
		f[p+"failed"] = float64(st.Failed)
		if st.Passed+st.Failed > 0 {
			f[p+"failure_rate"] = float64(st.Failed) / float64(st.Passed+st.Failed)
		}
		if st.P50MS != nil {
			f[p+"p50_ms"] = float64(*st.P50MS)
			f[p+"p95_ms"] = float64(*st.P95MS)
			f[p+"max_ms"] = float64(*st.MaxMS)
		}
		if st.PeakRSS > 0 {
			f[p+"peak_rss_mib"] = float64(st.PeakRSS) / probe.MiB
		}
	}
	for _, tr := range s.Slowdowns {
		if tr.Verdict.Points > 0 {
			f["slowdown."+tr.Step+".percent"] = tr.Percent
		}
	}
	for _, v := range s.Leaks {
		if v.Points == 0 {
			continue // no fit: the slope is missing, not zero
		}
		p := "leak." + v.Target + "." + string(v.Metric) + "."
		f[p+"slope"] = v.Slope
		f[p+"lower"] = v.Lower
		f[p+"growth"] = v.Growth
	}
	s.Figures = f
}

func (s *Summary) verdict(cfg *Config) {
	v := &s.Verdict
	var failures, leaks, slow, notes []string
	it := s.Iterations
	if it.Failed > 0 {
		msg := fmt.Sprintf("%d of %d iterations failed", it.Failed, it.Passed+it.Failed)
		if it.TimedOut > 0 {
			msg += fmt.Sprintf(" (%d timed out)", it.TimedOut)
		}
		if ff := s.FirstFailure; ff != nil {
			msg += fmt.Sprintf("; first: iteration %d", ff.Iteration)
			if ff.Step != "" {
				msg += ", step " + ff.Step
			}
			if d := firstLine(ff.Details); d != "" {
				msg += ": " + d
			} else if ff.Reason != "" {
				msg += ": " + firstLine(ff.Reason)
			}
		}
		failures = append(failures, msg)
	}
	switch s.Run.Stop {
	case artifact.StopServiceExited, artifact.StopServiceFailed, artifact.StopByteCap, artifact.StopError, artifact.StopWriteFailed:
		failures = append(failures, fmt.Sprintf("the soak stopped: %s (%s)", s.Run.Stop, firstLine(s.Run.Reason)))
	case artifact.StopSignal:
		notes = append(notes, "the soak was stopped by a signal before its planned end")
	case "":
		notes = append(notes, "the soak has no stop reason: it is still running or its process died")
	}
	if s.Run.WriteFailed > 0 {
		msg := fmt.Sprintf("%d artifact writes failed", s.Run.WriteFailed)
		if len(s.Run.WriteFailures) > 0 {
			msg += "; first: " + firstLine(s.Run.WriteFailures[0])
		}
		failures = append(failures, msg)
	}
	if x := s.Run.Service; x.Failed() && s.Run.Stop != artifact.StopServiceExited && s.Run.Stop != artifact.StopServiceFailed {
		failures = append(failures, serviceText(x))
	}
	for _, g := range s.Gates {
		if g.Status == GateFail {
			failures = append(failures, "gate "+g.Reason)
		} else if g.Status == GateWarn {
			notes = append(notes, "gate "+g.Reason)
		}
	}
	judged := 0 // leak verdicts of long-lived targets: what a watch-only soak is judged on
	for _, l := range s.Leaks {
		if !artifact.IsStep(l.Target) {
			judged++
		}
		if l.Outcome != probe.Leak {
			continue
		}
		msg := fmt.Sprintf("%s %s leak: %s", l.Target, l.Metric, l.Reason)
		if cfg.Leaks.ignored(l.Target) {
			notes = append(notes, msg+" (target ignored)")
			continue
		}
		leaks = append(leaks, msg)
	}
	for _, tr := range s.Slowdowns {
		if tr.Slower {
			slow = append(slow, tr.Reason)
		}
	}
	// A soak that reached its planned end but judged nothing did not do
	// its job: that is never a pass.
	if s.Run.Stop.Planned() {
		switch {
		case s.Run.WatchOnly && judged == 0:
			failures = append(failures, "the service was never sampled: there is nothing to judge")
		case !s.Run.WatchOnly && it.Iterations == 0:
			failures = append(failures, "no iteration ran: the iteration timeout and stop grace must fit the duration")
		}
	}
	if it.Iterations == 0 && !s.Run.WatchOnly {
		notes = append(notes, "no iteration was recorded")
	}
	for _, f := range s.Flaky {
		notes = append(notes, fmt.Sprintf("%s %s is flaky: %d passed, %d failed", f.Kind, f.Name(), f.Passed, f.Failed))
	}
	v.Reasons = slices.Concat(failures, leaks, slow, notes)
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	also := func(r string) string {
		switch {
		case len(leaks) > 0:
			return r + "; also " + leaks[0]
		case len(slow) > 0:
			return r + "; also " + slow[0]
		}
		return r
	}
	switch {
	case len(failures) > 0:
		v.Status, v.ExitCode = Failed, ExitFailures
		v.Reason = failures[0]
		if len(leaks) > 0 {
			v.Reason += "; also " + leaks[0]
		}
	case s.Run.Stop == artifact.StopSignal:
		v.Status, v.ExitCode = Stopped, ExitSignal
		v.Reason = also("stopped by a signal before its planned end, " + soFar(it))
	case s.Run.Stop == "":
		v.Status, v.ExitCode = Incomplete, ExitFailures
		v.Reason = also("the soak recorded no end (still running, or its process died), " + soFar(it))
	case len(leaks) > 0:
		v.Status, v.ExitCode, v.Reason = Leak, ExitLeak, leaks[0]
	case len(slow) > 0:
		v.Status, v.ExitCode, v.Reason = Slowdown, ExitLeak, slow[0]
	default:
		v.Status, v.ExitCode = Passed, ExitHealthy
		switch {
		case s.Run.WatchOnly:
			v.Reason = "the service ran for the whole soak, no leak"
		case it.Passed == 1:
			v.Reason = "1 iteration passed, no leak or slowdown"
		default:
			v.Reason = fmt.Sprintf("%d iterations passed, no leak or slowdown", it.Passed)
		}
	}
	// A signal ends the process with 128+SIGINT whatever was found: the
	// status says what was found, the exit status that the run was cut.
	if s.Run.Stop == artifact.StopSignal {
		v.ExitCode = ExitSignal
	}
}

// soFar describes the iterations recorded before an early end.
func soFar(it Iterations) string {
	switch {
	case it.Iterations == 0:
		return "before any iteration was recorded"
	case it.Failed > 0:
		return fmt.Sprintf("after %d iterations (%d passed, %d failed)", it.Iterations, it.Passed, it.Failed)
	case it.Iterations == 1:
		return "after 1 iteration"
	}
	return fmt.Sprintf("after %d iterations (%d passed)", it.Iterations, it.Passed)
}

// serviceText describes a service end that fails the soak.
func serviceText(x *artifact.ServiceExit) string {
	if !x.Expected {
		return x.End() + " during the soak"
	}
	return fmt.Sprintf("service %q left %d processes behind when it was stopped", x.Name, len(x.Survivors))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// ExitCode returns the run's exit status: ExitHealthy only for Passed,
// ExitFailures for failures or an incomplete soak, ExitLeak for a leak or
// slowdown without failures, ExitSignal for a soak stopped by a signal.
func (s *Summary) ExitCode() int { return s.Verdict.ExitCode }
