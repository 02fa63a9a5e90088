package summary

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/junit"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// Bounds of junit.xml, so that its size does not grow with the run: CI
// systems ingest one test case per step and per test, not per iteration.
const (
	junitDetails = 10      // failed runs detailed per test case; the rest are counted
	junitTail    = 4 << 10 // bytes of log tail per detailed failure
)

// junitAcc collects, record by record, what junit.xml says beyond the
// summary's figures: per step and per test the failed runs' details (the
// first junitDetails) and what stopped the runs that were not judged.
type junitAcc struct {
	steps   []junitStep // by index of Summary.Steps
	tests   []junitTest // in order of first appearance
	testIdx map[[3]string]int

	notJudged     []string // "iteration 7: cut by the soak deadline"
	notJudgedMore int
	survivors     []string // "iteration 3: pid 42 (sleep 300)"
	survivorsN    int
}

type junitStep struct {
	ms      int64 // run time, summed
	errors  int   // runs whose status is error (also in StepStats.Failed)
	fails   []junitFail
	more    int    // failed runs not detailed
	skipMsg string // the first skipped run's details
	skipped bool
	cutMsg  string // what stopped the first cut run
}

type junitFail struct {
	iteration int
	start     time.Time
	status    step.Status
	details   string
	tail      string
	logs      []string
}

type junitTest struct {
	step, pkg, test              string
	passed, failed, skipped, cut int
	ms                           int64
	iterations                   []int // where it failed, the first maxListed
	more                         int
	cutMsg                       string
	failedStep                   bool
}

func (j *junitAcc) step(i int, r *artifact.Record, name string, st *artifact.StepRecord, cut bool) {
	js := &j.steps[i]
	js.ms += st.DurationMS
	switch {
	case st.Status == step.Skipped:
		if !js.skipped {
			js.skipped, js.skipMsg = true, st.Details
		}
	case cut:
		if js.cutMsg == "" {
			js.cutMsg = cutWord(r) + ": " + st.Details
		}
	case failedStatus(st.Status):
		if st.Status == step.Error {
			js.errors++
		}
		if len(js.fails) < junitDetails {
			js.fails = append(js.fails, junitFail{iteration: r.Iteration, start: r.Start, status: st.Status,
				details: st.Details, tail: lastBytes(st.Tail, junitTail), logs: st.Logs})
		} else {
			js.more++
		}
	}
	for _, t := range st.Tests {
		if t.Test == "" {
			continue // the package line repeats its tests' outcome
		}
		jt := j.test(name, t.Package, t.Test)
		jt.ms += t.ElapsedMS
		switch {
		case t.Status == step.Skipped:
			jt.skipped++
		case t.Status == step.Passed:
			jt.passed++
		case cut:
			jt.cut++
			if jt.cutMsg == "" {
				jt.cutMsg = cutWord(r) + " during the test"
			}
		default:
			jt.failed++
			if len(jt.iterations) < maxListed {
				jt.iterations = append(jt.iterations, r.Iteration)
			} else {
				jt.more++
			}
		}
	}
}

// test returns the test of step name, adding it if new.
func (j *junitAcc) test(name, pkg, test string) *junitTest {
	k := [3]string{name, pkg, test}
	ti, ok := j.testIdx[k]
	if !ok {
		if j.testIdx == nil {
			j.testIdx = map[[3]string]int{}
		}
		ti = len(j.tests)
		j.testIdx[k] = ti
		j.tests = append(j.tests, junitTest{step: name, pkg: pkg, test: test})
	}
	return &j.tests[ti]
}

func (j *junitAcc) record(r *artifact.Record) {
	if !r.Judged() {
		msg := cutWord(r)
		if !r.CutByDeadline() && r.Reason != "" {
			msg += ": " + firstLine(r.Reason)
		}
		if len(j.notJudged) < junitDetails {
			j.notJudged = append(j.notJudged, fmt.Sprintf("iteration %d: %s", r.Iteration, msg))
		} else {
			j.notJudgedMore++
		}
	}
	if len(r.Survivors) > 0 {
		j.survivorsN++
		if len(j.survivors) < junitDetails {
			ps := make([]string, len(r.Survivors))
			for i, p := range r.Survivors {
				ps[i] = p.String()
			}
			j.survivors = append(j.survivors, fmt.Sprintf("iteration %d: %s", r.Iteration, strings.Join(ps, ", ")))
		}
	}
}

// lastBytes returns the last n bytes of s, never splitting a character,
// marked with "…" when cut.
func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := len(s) - n
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	return "…" + s[cut:]
}

func ms2s(ms int64) junit.Seconds { return junit.Seconds(time.Duration(ms) * time.Millisecond) }

// WriteJUnit writes the run as JUnit XML of a size CI systems ingest,
// whatever the number of iterations: one test suite "soak", with one test
// case per step (nested steps "parent/child") and one per test of a go test
// step, each with its run counts. A case fails when any of its runs failed
// (an error when all its failures are errors): the message counts them,
// and the text details the first ones (iteration, time, details, logs and
// the log's tail); the rest are counted, and every run stays in
// iterations.jsonl. A case none of whose runs was judged is skipped: with
// the step's own reason, or with what cut it (the soak's deadline, a
// signal, the soak process's death). Iterations the end of the soak stopped
// are one skipped case, processes that survived their iteration one
// failed case.
//
// A merged summary ([Merger]) is written with one test suite per runner
// instead.
func (s *Summary) WriteJUnit(w io.Writer) error {
	if len(s.Runners) > 0 {
		return s.writeMergedJUnit(w)
	}
	j := s.junit
	if j == nil {
		j = &junitAcc{}
	}
	it := s.Iterations
	su := junit.Suite{Name: "soak", Time: ms2s(it.DurationMS)}
	if it.Iterations > 0 {
		su.Timestamp = canonjson.FormatTime(it.First)
	}
	su.Props = &junit.Properties{List: []junit.Property{
		{Name: "verdict", Value: string(s.Verdict.Status)},
		{Name: "iterations", Value: it.String()},
	}}
	for i, st := range s.Steps {
		var js junitStep
		if i < len(j.steps) {
			js = j.steps[i]
		}
		c := junit.Case{Name: st.Name, Classname: "soak.step", Time: ms2s(js.ms)}
		runs := fmt.Sprintf("%d runs: %d passed, %d failed", st.Runs, st.Passed, st.Failed)
		if st.TimedOut > 0 {
			runs += fmt.Sprintf(" (%d timed out)", st.TimedOut)
		}
		if st.Skipped > 0 {
			runs += fmt.Sprintf(", %d skipped", st.Skipped)
		}
		if st.Cut > 0 {
			runs += fmt.Sprintf(", %d stopped by the end of the soak (first: %s)", st.Cut, js.cutMsg)
		}
		switch {
		case st.Failed > 0:
			p := &junit.Problem{Message: fmt.Sprintf("%d of %d runs failed", st.Failed, st.Passed+st.Failed), Text: stepFailures(&js)}
			if st.TimedOut > 0 {
				p.Message += fmt.Sprintf(" (%d timed out)", st.TimedOut)
			}
			if len(js.fails) > 0 {
				f := js.fails[0]
				p.Type = string(f.status)
				p.Message += fmt.Sprintf("; first: iteration %d", f.iteration)
				if d := firstLine(f.details); d != "" {
					p.Message += ": " + d
				}
			}
			if js.errors == st.Failed {
				c.Error = p
			} else {
				c.Failure = p
			}
		case st.Passed == 0 && st.Cut > 0:
			c.Skipped = &junit.Skip{Message: js.cutMsg}
		case st.Passed == 0:
			c.Skipped = &junit.Skip{Message: js.skipMsg}
		}
		c.SystemOut = runs
		su.Cases = append(su.Cases, c)
	}
	for _, t := range j.tests {
		c := junit.Case{Name: t.test, Classname: t.pkg, Time: ms2s(t.ms)}
		runs := t.passed + t.failed
		switch {
		case t.failed > 0:
			its := make([]string, len(t.iterations))
			for i, n := range t.iterations {
				its[i] = strconv.Itoa(n)
			}
			where := strings.Join(its, ", ")
			if t.more > 0 {
				where += fmt.Sprintf(" and %d more", t.more)
			}
			c.Failure = &junit.Problem{Message: fmt.Sprintf("failed in %d of %d runs of step %s; iterations %s", t.failed, runs, t.step, where),
				Type: string(step.Failed)}
		case runs == 0 && t.cut > 0:
			c.Skipped = &junit.Skip{Message: t.cutMsg}
		case runs == 0:
			c.Skipped = &junit.Skip{}
		}
		c.SystemOut = fmt.Sprintf("step %s: %d runs: %d passed, %d failed, %d skipped, %d stopped by the end of the soak",
			t.step, runs+t.skipped+t.cut, t.passed, t.failed, t.skipped, t.cut)
		su.Cases = append(su.Cases, c)
	}
	if n := it.Cut + it.Cancelled + it.Interrupted; n > 0 {
		msg := fmt.Sprintf("%d iterations were stopped by the end of the soak, not judged", n)
		if n == 1 {
			msg = "1 iteration was stopped by the end of the soak, not judged"
		}
		out := strings.Join(j.notJudged, "\n")
		if j.notJudgedMore > 0 {
			out += fmt.Sprintf("\n… and %d more", j.notJudgedMore)
		}
		su.Cases = append(su.Cases, junit.Case{Name: "iterations stopped by the end of the soak", Classname: "soak",
			Skipped: &junit.Skip{Message: msg}, SystemOut: out})
	}
	if j.survivorsN > 0 {
		text := strings.Join(j.survivors, "\n") + "\n"
		if more := j.survivorsN - len(j.survivors); more > 0 {
			text += fmt.Sprintf("… and %d more iterations\n", more)
		}
		su.Cases = append(su.Cases, junit.Case{Name: "no surviving processes", Classname: "soak",
			Failure: &junit.Problem{Message: fmt.Sprintf("processes survived %d iterations", j.survivorsN), Type: "survivors", Text: text}})
	}
	return junit.Write(w, &junit.Suites{Name: "soak", Suites: []junit.Suite{su}})
}

// stepFailures details a step's first failed runs for a failure's text.
func stepFailures(js *junitStep) string {
	var b strings.Builder
	for i, f := range js.fails {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "iteration %d (%s, %s)", f.iteration, f.status, fmtTime(f.start))
		if f.details != "" {
			fmt.Fprintf(&b, ": %s", f.details)
		}
		b.WriteString("\n")
		if len(f.logs) > 0 {
			fmt.Fprintf(&b, "logs: %s\n", strings.Join(f.logs, " "))
		}
		if f.tail != "" {
			b.WriteString(strings.TrimRight(f.tail, "\n"))
			b.WriteString("\n")
		}
	}
	if js.more > 0 {
		fmt.Fprintf(&b, "\n… and %d more failed runs (every run is in iterations.jsonl)\n", js.more)
	}
	return b.String()
}
