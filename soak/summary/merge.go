package summary

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/soakkit/soakkit/internal/junit"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// A Merger combines the summaries of the runs of several runners (a CI
// matrix, the pods of an Indexed Job) into one: the verdict of the whole,
// each runner's part ([Summary.Runners]) and the classification of every
// step and test that did not pass everywhere ([Summary.CrossRunner]).
//
// It judges nothing again: each runner's run is judged by [Compute] under
// the same rules as a single soak; the Merger derives the merged verdict
// from those verdicts and from the classification across runners. It keeps
// only what the merged summary shows of each (counts, verdict, leak and
// slowdown verdicts, per-step and per-test outcomes, its first failure)
// and folds the steps' durations into one bounded set per step, so a
// caller can drop a runner's Summary once added.
//
// The zero Merger is ready to use. Its methods may be called concurrently.
type Merger struct {
	// ReportURL is the link to the merged HTML report in summary.md.
	// Default: none.
	ReportURL string

	mu      sync.Mutex
	runners []mergedRunner
	durs    map[string]*durations // every runner's passing durations, by step name
}

// mergedRunner is what a Merger keeps of one runner's summary.
type mergedRunner struct {
	info     Runner
	counts   Iterations
	steps    []StepStats
	outcomes []Outcome
	first    time.Time
	failure  *Failure // the runner's first failure
	run      RunInfo
}

// Add adds the summary s of the run whose artifacts are at source. A run
// that recorded no runner (older engines) is named after source's last
// element; runners with the same name are told apart by a "#2", "#3"
// suffix, in the order of their sources.
func (m *Merger) Add(source string, s *Summary) {
	r := mergedRunner{counts: s.Iterations, steps: slices.Clone(s.Steps), outcomes: slices.Clone(s.outcomes), run: s.Run}
	if f := s.FirstFailure; f != nil {
		c := *f
		c.Logs = make([]string, len(f.Logs))
		for i, l := range f.Logs { // relative to the runner's root: relative to the merge's working directory now
			c.Logs[i] = filepath.ToSlash(filepath.Join(source, filepath.FromSlash(l)))
		}
		r.failure = &c
	}
	r.run.Runner = nil
	info := Runner{Source: source, RunID: s.RunID, Iterations: s.Iterations.Iterations, Passed: s.Iterations.Passed,
		Failed: s.Iterations.Failed, Verdict: s.Verdict.Status, ExitCode: s.Verdict.ExitCode, Reason: s.Verdict.Reason,
		Complete: s.Run.Complete, Stop: s.Run.Stop, StopReason: s.Run.Reason, Leaks: slices.Clone(s.Leaks),
		Slowdowns: slices.Clone(s.Slowdowns)}
	if s.Run.Runner != nil {
		info.Runner = *s.Run.Runner
	}
	if info.Name == "" {
		info.Name = lastElem(source)
	}
	if info.Leaks == nil {
		info.Leaks = []probe.Verdict{}
	}
	if info.Slowdowns == nil {
		info.Slowdowns = []Trend{}
	}
	r.info = info
	m.mu.Lock()
	defer m.mu.Unlock()
	m.runners = append(m.runners, r)
	if m.durs == nil {
		m.durs = map[string]*durations{}
	}
	for i, st := range s.Steps {
		if i >= len(s.stepDurs) {
			break // a Summary not from Compute: no durations to merge
		}
		d := m.durs[st.Name]
		if d == nil {
			d = &durations{}
			m.durs[st.Name] = d
		}
		d.absorb(&s.stepDurs[i])
	}
}

// absorb adds every duration of o to d. The result does not depend on the
// order in which durations are absorbed: exact while all of them fit (and
// none came as a sketch), else one sketch holding them all.
func (d *durations) absorb(o *durations) {
	if o.n == 0 {
		return
	}
	if o.sketch == nil {
		for _, v := range o.exact {
			d.add(v)
		}
		return
	}
	if d.n == 0 || o.max > d.max {
		d.max = o.max
	}
	d.n += o.n
	d.toSketch()
	d.sketch.Merge(o.sketch)
}

func lastElem(p string) string {
	p = strings.TrimRight(strings.ReplaceAll(p, `\`, "/"), "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	if p == "" || p == "." {
		return "runner"
	}
	return p
}

// Len returns the number of runners added.
func (m *Merger) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.runners)
}

// Summary returns the merged summary of the runners added so far, in the
// order of their names (then sources).
//
// Its verdict: [Failed] (exit 1) if any runner failed, did not complete or
// was stopped early (a runner's part is missing from the whole); else
// [Leak] or [Slowdown] (exit 3) if any runner has that verdict; else
// [Passed]. With no runner it is Failed: nothing was judged. Its reasons
// name the runners, then classify the steps and tests across them
// (failing everywhere, runner-specific, flaky). Iterations and step counts
// are summed over the runners; a step's p50 and p95 are those of its
// passing durations on every runner together (exact while there are at
// most 16,384 of them, else from the merged DDSketches of 1 % relative
// accuracy), its maximum the highest; FirstFailure is the earliest first
// failure of any runner, naming it, its log paths prefixed with the
// runner's source; Leaks and Slowdowns are
// empty at the top, and per runner in Runners, with why each stopped;
// Flaky lists what is flaky on some runner, with counts summed, and, in
// FailedOn rather than FailedIterations (each runner numbers its own), the
// iterations where it failed on each runner.
func (m *Merger) Summary() *Summary {
	m.mu.Lock()
	rs := slices.Clone(m.runners)
	type pcts struct{ p50, p95 int64 }
	stepPcts := map[string]pcts{}
	for name, d := range m.durs {
		if p50, p95, _, ok := d.percentiles(); ok {
			stepPcts[name] = pcts{p50, p95}
		}
	}
	m.mu.Unlock()
	slices.SortStableFunc(rs, func(a, b mergedRunner) int {
		return cmp.Or(strings.Compare(a.info.Name, b.info.Name), strings.Compare(a.info.Source, b.info.Source))
	})
	seen := map[string]int{}
	for i := range rs {
		n := rs[i].info.Name
		seen[n]++
		if seen[n] > 1 {
			rs[i].info.Name = fmt.Sprintf("%s#%d", n, seen[n])
		}
	}
	s := &Summary{Version: Version, Steps: []StepStats{}, Flaky: []Flaky{}, Slowdowns: []Trend{}, Leaks: []probe.Verdict{},
		Alarms: []probe.Alarm{}, Gates: []GateResult{}, Runners: []Runner{}, CrossRunner: []CrossRunner{}}
	s.merged = make([]runnerOutcomes, len(rs))
	complete := len(rs) > 0
	it := &s.Iterations
	stepIdx := map[string]int{}
	for i, r := range rs {
		s.Runners = append(s.Runners, r.info)
		s.merged[i] = runnerOutcomes{name: r.info.Name, runner: r.info, outcomes: r.outcomes, first: r.counts.First,
			durationMS: r.counts.DurationMS}
		c := r.counts
		it.Iterations += c.Iterations
		it.Passed += c.Passed
		it.Failed += c.Failed
		it.TimedOut += c.TimedOut
		it.Cut += c.Cut
		it.Cancelled += c.Cancelled
		it.Interrupted += c.Interrupted
		it.DurationMS += c.DurationMS
		if !c.First.IsZero() && (it.First.IsZero() || c.First.Before(it.First)) {
			it.First = c.First
		}
		if c.Last.After(it.Last) {
			it.Last = c.Last
		}
		if !r.run.Started.IsZero() && (s.Run.Started.IsZero() || r.run.Started.Before(s.Run.Started)) {
			s.Run.Started = r.run.Started
		}
		if r.run.Updated.After(s.Run.Updated) {
			s.Run.Updated = r.run.Updated
		}
		s.Run.ElapsedMS = max(s.Run.ElapsedMS, r.run.ElapsedMS)
		s.Run.Resumes += r.run.Resumes
		s.Run.WriteFailed += r.run.WriteFailed
		complete = complete && r.run.Complete
		for _, st := range r.steps {
			j, ok := stepIdx[st.Name]
			if !ok {
				j = len(s.Steps)
				stepIdx[st.Name] = j
				s.Steps = append(s.Steps, StepStats{Name: st.Name})
			}
			m := &s.Steps[j]
			m.Runs += st.Runs
			m.Passed += st.Passed
			m.Failed += st.Failed
			m.TimedOut += st.TimedOut
			m.Skipped += st.Skipped
			m.Cut += st.Cut
			m.PeakRSS = max(m.PeakRSS, st.PeakRSS)
			if st.MaxMS != nil && (m.MaxMS == nil || *st.MaxMS > *m.MaxMS) {
				v := *st.MaxMS
				m.MaxMS = &v
			}
		}
		if f := r.failure; f != nil && (s.FirstFailure == nil || f.Start.Before(s.FirstFailure.Start)) {
			c := *f
			c.Runner = r.info.Name
			s.FirstFailure = &c
		}
	}
	for i := range s.Steps {
		if p, ok := stepPcts[s.Steps[i].Name]; ok {
			s.Steps[i].P50MS, s.Steps[i].P95MS = &p.p50, &p.p95
		}
	}
	s.Run.Complete = complete
	if n := it.Passed + it.Failed; n > 0 {
		it.SuccessRate = float64(it.Passed) / float64(n)
		it.FailureRate = float64(it.Failed) / float64(n)
		s.SuccessRatePercent = math.Round(10000*it.SuccessRate) / 100
	}
	s.TotalIterations, s.Successful, s.FailedIterations = it.Iterations, it.Passed, it.Failed
	s.CrossRunner = classify(s.merged)
	failed := map[outcomeKey][]RunnerIterations{}
	for _, c := range s.CrossRunner {
		if c.Class == ClassFlaky {
			failed[outcomeKey{c.Kind, c.Step, c.Package, c.Test}] = nil
		}
	}
	failedOn(s.merged, failed)
	for _, c := range s.CrossRunner {
		if c.Class == ClassFlaky {
			s.Flaky = append(s.Flaky, Flaky{Kind: c.Kind, Step: c.Step, Package: c.Package, Test: c.Test,
				Passed: c.Passed, Failed: c.Failed, FailedIterations: []int{},
				FailedOn: failed[outcomeKey{c.Kind, c.Step, c.Package, c.Test}]})
			if c.Kind == "step" {
				if j, ok := stepIdx[c.Step]; ok {
					s.Steps[j].Flaky = true
				}
			}
		}
	}
	s.mergedFigures()
	s.mergedVerdict()
	s.reportLink = m.ReportURL
	return s
}

// maxMergedListed is the most iterations a merged summary lists per runner
// for a flaky step or test.
const maxMergedListed = 20

// failedOn lists, for each step or test of want, every runner of rs where
// it failed, in the order of rs, with the iterations where it did.
func failedOn(rs []runnerOutcomes, want map[outcomeKey][]RunnerIterations) {
	for _, r := range rs {
		for _, o := range r.outcomes {
			if o.Failed == 0 {
				continue
			}
			k := outcomeKey{o.Kind, o.Step, o.Package, o.Test}
			if _, ok := want[k]; !ok {
				continue
			}
			n := min(len(o.FailedIterations), maxMergedListed)
			want[k] = append(want[k], RunnerIterations{Runner: r.name, Iterations: slices.Clone(o.FailedIterations[:n]),
				More: o.Failed - n})
		}
	}
}

// runnerOutcomes is a runner's part of a merged summary that its JUnit
// suite needs.
type runnerOutcomes struct {
	name       string
	runner     Runner
	outcomes   []Outcome
	first      time.Time
	durationMS int64
}

type outcomeKey struct{ kind, step, pkg, test string }

// classify classifies, across runners, every step and test that failed on
// some runner: flaky on one (both outcomes there), else failing on every
// runner that ran it, else failing on some and passing on the others.
func classify(rs []runnerOutcomes) []CrossRunner {
	type acc struct {
		c                      CrossRunner
		failing, flaky, passes []int
	}
	byKey := map[outcomeKey]*acc{}
	for i, r := range rs {
		for _, o := range r.outcomes {
			if o.Passed == 0 && o.Failed == 0 {
				continue
			}
			k := outcomeKey{o.Kind, o.Step, o.Package, o.Test}
			a := byKey[k]
			if a == nil {
				a = &acc{c: CrossRunner{Kind: o.Kind, Step: o.Step, Package: o.Package, Test: o.Test}}
				byKey[k] = a
			}
			a.c.Passed += o.Passed
			a.c.Failed += o.Failed
			switch {
			case o.Passed > 0 && o.Failed > 0:
				a.flaky = append(a.flaky, i)
			case o.Failed > 0:
				a.failing = append(a.failing, i)
			default:
				a.passes = append(a.passes, i)
			}
		}
	}
	names := func(idx []int) []string {
		out := make([]string, len(idx))
		for j, i := range idx {
			out[j] = rs[i].name
		}
		return out
	}
	out := []CrossRunner{}
	for _, a := range byKey {
		switch {
		case len(a.flaky) > 0:
			a.c.Class = ClassFlaky
		case len(a.failing) > 0 && len(a.passes) == 0:
			a.c.Class = ClassFailingEverywhere
		case len(a.failing) > 0:
			a.c.Class = ClassRunnerSpecific
		default:
			continue // passed everywhere it ran
		}
		a.c.FailingOn, a.c.FlakyOn, a.c.PassingOn = names(a.failing), names(a.flaky), names(a.passes)
		out = append(out, a.c)
	}
	slices.SortFunc(out, func(a, b CrossRunner) int {
		return cmp.Or(classRank(a.Class)-classRank(b.Class), strings.Compare(a.Kind, b.Kind), // steps before tests
			strings.Compare(a.Step, b.Step), strings.Compare(a.Package, b.Package), strings.Compare(a.Test, b.Test))
	})
	return out
}

func classRank(c Class) int {
	switch c {
	case ClassFailingEverywhere:
		return 0
	case ClassRunnerSpecific:
		return 1
	}
	return 2
}

// Sentence describes c in words: "step build fails on every runner that
// ran it (3)", "test p.TestX fails only on windows-1; passes on linux-1",
// "step e2e is flaky on mac-1 (3 passed, 2 failed)". Each list names at
// most maxNamed runners, then says how many more: the sentence heads a
// verdict, and the runners table names them all.
func (c *CrossRunner) Sentence() string {
	names := func(l []string) string { return nameList(l, maxNamed) }
	what := c.Kind + " " + c.Name()
	switch c.Class {
	case ClassFailingEverywhere:
		return fmt.Sprintf("%s fails on every runner that ran it (%s)", what, names(c.FailingOn))
	case ClassRunnerSpecific:
		return fmt.Sprintf("%s fails only on %s; passes on %s", what, names(c.FailingOn), names(c.PassingOn))
	}
	s := fmt.Sprintf("%s is flaky on %s (%d passed, %d failed over all runners)", what, names(c.FlakyOn), c.Passed, c.Failed)
	if len(c.FailingOn) > 0 {
		s += "; fails every run on " + names(c.FailingOn)
	}
	return s
}

func (s *Summary) mergedFigures() {
	f := map[string]float64{}
	it := s.Iterations
	f["runners"] = float64(len(s.Runners))
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
	f["flaky"] = float64(len(s.Flaky))
	byVerdict := map[Status]int{}
	for _, r := range s.Runners {
		byVerdict[r.Verdict]++
	}
	for _, v := range []Status{Passed, Failed, Leak, Slowdown, Stopped, Incomplete} {
		f["runners."+string(v)] = float64(byVerdict[v])
	}
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
		}
		if st.MaxMS != nil {
			f[p+"max_ms"] = float64(*st.MaxMS)
		}
	}
	s.Figures = f
}

func (s *Summary) mergedVerdict() {
	v := &s.Verdict
	var failures, partial, leaks, slow, notes []string
	for _, r := range s.Runners {
		line := fmt.Sprintf("runner %s: %s", r.Name, r.Reason)
		switch r.Verdict {
		case Failed:
			failures = append(failures, line)
		case Stopped, Incomplete:
			partial = append(partial, line)
		case Leak:
			leaks = append(leaks, line)
		case Slowdown:
			slow = append(slow, line)
		}
	}
	var cross []string
	for i := range s.CrossRunner {
		cross = append(cross, s.CrossRunner[i].Sentence())
	}
	if len(s.Runners) == 0 {
		failures = append(failures, "no runner's artifacts were merged: there is nothing to judge")
	}
	v.Reasons = slices.Concat(failures, partial, leaks, slow, cross, notes)
	n := len(s.Runners)
	switch {
	case len(failures) > 0 || len(partial) > 0:
		v.Status, v.ExitCode = Failed, ExitFailures
		switch {
		case n == 0:
			v.Reason = failures[0]
		case len(failures) > 0:
			v.Reason = fmt.Sprintf("%d of %d runners failed", len(failures), n)
		default:
			v.Reason = fmt.Sprintf("%d of %d runners did not complete", len(partial), n)
		}
		if len(partial) > 0 && len(failures) > 0 {
			v.Reason += fmt.Sprintf(" and %d did not complete", len(partial))
		}
		switch {
		case len(cross) > 0:
			v.Reason += "; " + cross[0]
		case len(failures) > 0:
			v.Reason += "; first: " + failures[0]
		default:
			v.Reason += "; first: " + partial[0]
		}
	case len(leaks) > 0:
		v.Status, v.ExitCode = Leak, ExitLeak
		v.Reason = fmt.Sprintf("%d of %d runners leaked; first: %s", len(leaks), n, leaks[0])
	case len(slow) > 0:
		v.Status, v.ExitCode = Slowdown, ExitLeak
		v.Reason = fmt.Sprintf("%d of %d runners got slower; first: %s", len(slow), n, slow[0])
	default:
		v.Status, v.ExitCode = Passed, ExitHealthy
		v.Reason = fmt.Sprintf("all %d runners passed: %d iterations, no leak or slowdown", n, s.Iterations.Passed)
	}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
}

// writeMergedJUnit writes a merged summary as JUnit XML: one test suite per
// runner, holding a case for the runner's own verdict (failed unless it
// passed), and one per step and per test with its runs over the runner's
// soak: failed if any run failed, skipped if none was judged.
func (s *Summary) writeMergedJUnit(w io.Writer) error {
	doc := &junit.Suites{Name: "soak merge"}
	for _, r := range s.merged {
		su := junit.Suite{Name: r.name, Time: junit.Seconds(time.Duration(r.durationMS) * time.Millisecond)}
		if !r.first.IsZero() {
			su.Timestamp = r.first.UTC().Format(time.RFC3339)
		}
		props := []junit.Property{{Name: "os", Value: r.runner.OS}, {Name: "arch", Value: r.runner.Arch},
			{Name: "source", Value: r.runner.Source}}
		if r.runner.Shard != "" {
			props = append(props, junit.Property{Name: "shard", Value: r.runner.Shard})
		}
		if r.runner.Stop != "" {
			props = append(props, junit.Property{Name: "stop", Value: string(r.runner.Stop)})
		}
		su.Props = &junit.Properties{List: props}
		vc := junit.Case{Name: "verdict", Classname: "soak"}
		if r.runner.Verdict != Passed {
			vc.Failure = &junit.Problem{Message: r.runner.Reason, Type: string(r.runner.Verdict)}
		}
		su.Cases = append(su.Cases, vc)
		for _, o := range r.outcomes {
			c := junit.Case{Name: o.Step, Classname: "soak.step"}
			if o.Kind == "test" {
				c = junit.Case{Name: o.Test, Classname: o.Package, SystemOut: "step " + o.Step}
			}
			switch {
			case o.Passed == 0 && o.Failed == 0:
				c.Skipped = &junit.Skip{Message: "no run was judged"}
			case o.Failed > 0:
				kind := "failed"
				if o.Passed > 0 {
					kind = "flaky"
				}
				c.Failure = &junit.Problem{Message: fmt.Sprintf("failed %d of %d runs", o.Failed, o.Passed+o.Failed), Type: kind}
			}
			su.Cases = append(su.Cases, c)
		}
		doc.Suites = append(doc.Suites, su)
	}
	return junit.Write(w, doc)
}

// runnersMarkdown writes a merged summary's runners and cross-runner
// classes as Markdown tables; nothing for the summary of one run.
func (s *Summary) runnersMarkdown(b *strings.Builder) {
	if len(s.Runners) == 0 {
		return
	}
	b.WriteString("\n### Runners\n\n| Runner | OS/arch | Shard | Iterations | Passed | Failed | Verdict | Reason |\n|---|---|---|--:|--:|--:|---|---|\n")
	for i, r := range s.Runners {
		if i == mdMaxRows {
			fmt.Fprintf(b, "| … %d more | | | | | | | |\n", len(s.Runners)-i)
			break
		}
		fmt.Fprintf(b, "| %s | %s/%s | %s | %d | %d | %d | %s | %s |\n", mdText(r.Name), mdText(r.OS), mdText(r.Arch),
			mdText(cmp.Or(r.Shard, "–")), r.Iterations, r.Passed, r.Failed, strings.ToUpper(string(r.Verdict)), mdText(r.Reason))
	}
	if len(s.CrossRunner) == 0 {
		return
	}
	b.WriteString("\n### Across runners\n\n| Class | Kind | Name | Failing on | Flaky on | Passing on |\n|---|---|---|---|---|---|\n")
	list := func(names []string) string {
		if len(names) == 0 {
			return "–"
		}
		return mdText(nameList(names, maxNamed))
	}
	for i, c := range s.CrossRunner {
		if i == mdMaxRows {
			fmt.Fprintf(b, "| … %d more | | | | | |\n", len(s.CrossRunner)-i)
			break
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", strings.ReplaceAll(string(c.Class), "_", " "), c.Kind, mdText(c.Name()),
			list(c.FailingOn), list(c.FlakyOn), list(c.PassingOn))
	}
}

// mergedStops says why the runners of a merged summary stopped, grouped by
// stop reason, the most common first (then by name, none recorded last):
// "count on all 3 runners",
// "duration on 97 runners (a, b, c, d, e and 92 more); signal: interrupt
// on x; none recorded (running, or the process died) on y". A group's
// words follow its reason when all its runners give the same.
func (s *Summary) mergedStops() string {
	type group struct {
		stop    artifact.StopReason
		words   string
		mixed   bool
		runners []string
	}
	var groups []*group
	byStop := map[artifact.StopReason]*group{}
	for _, r := range s.Runners {
		g := byStop[r.Stop]
		if g == nil {
			g = &group{stop: r.Stop, words: firstLine(r.StopReason)}
			byStop[r.Stop] = g
			groups = append(groups, g)
		}
		g.mixed = g.mixed || firstLine(r.StopReason) != g.words
		g.runners = append(g.runners, r.Name)
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		none := func(g *group) int {
			if g.stop == "" {
				return 1
			}
			return 0
		}
		return cmp.Or(len(b.runners)-len(a.runners), none(a)-none(b), strings.Compare(string(a.stop), string(b.stop)))
	})
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		p := string(g.stop)
		if g.stop == "" {
			p = noStop
		}
		if g.words != "" && !g.mixed {
			p += ": " + g.words
		}
		switch {
		case len(groups) == 1 && len(g.runners) > 1:
			p += fmt.Sprintf(" on all %d runners", len(g.runners))
		case len(g.runners) == 1:
			p += " on " + g.runners[0]
		default:
			p += fmt.Sprintf(" on %d runners (%s)", len(g.runners), nameList(g.runners, mdMaxRunners))
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// maxNamed is how many runners a list names in a [CrossRunner.Sentence] or
// a cell of the cross-runner table before it says how many more.
const maxNamed = 10

// nameList joins at most n of names, then says how many more there are.
func nameList(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// failedOnText says where a step or test of a merged summary failed: "mac-1:
// 2, 4, 6; windows-1: 3, 4, 5, 6 and 2 more", with at most maxIters
// iterations a runner and maxRunners runners, then how many more runners.
func failedOnText(on []RunnerIterations, maxRunners, maxIters int) string {
	var b strings.Builder
	for i, r := range on {
		if i == maxRunners {
			fmt.Fprintf(&b, "; and %d more runners", len(on)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r.Runner)
		b.WriteString(": ")
		more := r.More
		for j, n := range r.Iterations {
			if j == maxIters {
				more += len(r.Iterations) - j
				break
			}
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(n))
		}
		switch {
		case more > 0 && len(r.Iterations) == 0:
			fmt.Fprintf(&b, "%d runs (iterations not recorded)", more)
		case more > 0:
			fmt.Fprintf(&b, " and %d more", more)
		}
	}
	return b.String()
}
