package step

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/soakkit/soakkit/internal/junit"
)

// MaxJUnitBytes is the largest JUnit XML report a [Command] reads; a larger
// one is a step error.
const MaxJUnitBytes = junit.MaxReportBytes

// stamp identifies one version of a report file.
type stamp struct {
	mod  time.Time
	size int64
}

// junitFiles returns the regular files matching globs, relative to dir
// (absolute globs as they are), with their stamps.
func junitFiles(dir string, globs []string) (map[string]stamp, error) {
	if dir == "" {
		dir = "."
	}
	files := map[string]stamp{}
	for _, g := range globs {
		base, pat := dir, filepath.ToSlash(g)
		if filepath.IsAbs(g) {
			base, pat = doublestar.SplitPattern(pat)
			base = filepath.FromSlash(base)
		} else {
			pat = path.Clean(pat) // "./reports/*.xml" is "reports/*.xml" to io/fs
		}
		if !doublestar.ValidatePattern(pat) {
			return nil, fmt.Errorf("junit: bad pattern %q", g)
		}
		matches, err := doublestar.Glob(os.DirFS(base), pat, doublestar.WithFilesOnly(), doublestar.WithFailOnIOErrors())
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("junit: %s: %w", g, err)
		}
		for _, m := range matches {
			p := filepath.Join(base, filepath.FromSlash(m))
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() {
				continue
			}
			files[p] = stamp{st.ModTime(), st.Size()}
		}
	}
	return files, nil
}

// applyJUnit makes the reports written during an attempt the per-test
// results of r. before holds the files that matched before the attempt:
// a file matched then and unchanged since is stale and ignored. See
// [Command].JUnit.
func (c Command) applyJUnit(rt Runtime, r Result, before map[string]stamp) Result {
	after, err := junitFiles(c.Dir, c.JUnit)
	if err != nil {
		return c.junitError(r, err)
	}
	var fresh, stale []string
	for p, st := range after {
		if old, ok := before[p]; ok && old.mod.Equal(st.mod) && old.size == st.size {
			stale = append(stale, p)
		} else {
			fresh = append(fresh, p)
		}
	}
	slices.Sort(fresh)
	slices.Sort(stale)
	note := ""
	if len(stale) > 0 {
		note = fmt.Sprintf("; %d stale JUnit report(s) ignored: %s", len(stale), strings.Join(rel(c.Dir, stale), ", "))
	}
	if len(fresh) == 0 {
		switch r.Status {
		case Error, TimedOut:
			// The step did not get to write a report; its own status says why.
			r.Details = truncate(r.Details+note, MaxDetails)
			return r
		}
		r.Status, r.OK = Failed, false
		r.Details = truncate(fmt.Sprintf("no JUnit report matched %s%s", strings.Join(c.JUnit, " "), note), MaxDetails)
		return r
	}
	var tests []TestResult
	var flaky []string
	for _, p := range fresh {
		err := junit.ReadFile(p, MaxJUnitBytes, func(jr junit.Result) error {
			group, name := jr.ID()
			var wasFlaky bool
			for _, rr := range jr.Reruns {
				// Each earlier run is one more result, as go test -count
				// would give: a test that failed, then passed is flaky.
				tests = append(tests, TestResult{Package: group, Test: name, Status: Failed, Elapsed: rr.Time})
				wasFlaky = wasFlaky || strings.HasPrefix(rr.Kind, "flaky")
			}
			st := Passed
			switch jr.Outcome {
			case junit.Failed, junit.Errored:
				st = Failed
			case junit.Skipped:
				st = Skipped
			}
			if wasFlaky && st == Passed {
				flaky = append(flaky, name)
			}
			tests = append(tests, TestResult{Package: group, Test: name, Status: st, Elapsed: jr.Time})
			return nil
		})
		if err != nil {
			return c.junitError(r, err)
		}
	}
	redactNames(rt, tests, flaky)
	r.Tests = tests
	finals := finalResults(tests)
	anyFailed := slices.ContainsFunc(finals, func(t TestResult) bool { return t.Status == Failed })
	if anyFailed && r.Status == Passed {
		// The report is evidence too: a failed test never passes the step,
		// whatever the exit status said.
		r.Status, r.OK = Failed, false
	}
	if (r.Status == Passed || r.Status == Failed) && len(r.Leftovers) == 0 {
		d := summarize(finals)
		if d == "" {
			d = "0 tests in the JUnit report"
		}
		if len(flaky) > 0 {
			d += fmt.Sprintf(", %d passed on rerun (%s)", len(flaky), strings.Join(flaky, ", "))
		}
		r.Details = truncate(d+note, MaxDetails)
	} else {
		r.Details = truncate(r.Details+note, MaxDetails)
	}
	return r
}

// redactNames passes the test names, which come from a file the command
// wrote, through the runtime's redactor as the command's output is: a
// parametrized test's id can hold a token.
func redactNames(rt Runtime, tests []TestResult, flaky []string) {
	if rt.Redact == nil || len(tests) == 0 {
		return
	}
	var in []string
	for _, t := range tests {
		in = append(in, t.Package, t.Test)
	}
	in = append(in, flaky...)
	out := redactLines(rt, in)
	for i := range tests {
		tests[i].Package, tests[i].Test = out[2*i], out[2*i+1]
	}
	copy(flaky, out[2*len(tests):])
}

// redactLines redacts each of lines (which must not contain newlines, or
// they are replaced by spaces), in one pass through the redactor when the
// line count survives it, else one by one.
func redactLines(rt Runtime, lines []string) []string {
	run := func(ls []string) []string {
		var buf strings.Builder
		w := rt.Redact(&buf)
		for _, l := range ls {
			io.WriteString(w, strings.ReplaceAll(l, "\n", " ")+"\n")
		}
		w.Close()
		return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	}
	if out := run(lines); len(out) == len(lines) {
		return out
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Join(run([]string{l}), " ")
	}
	return out
}

// finalResults drops the reruns from tests: for each test only its last
// result is kept, in order.
func finalResults(tests []TestResult) []TestResult {
	var out []TestResult
	for i, t := range tests {
		if i+1 < len(tests) && tests[i+1].Package == t.Package && tests[i+1].Test == t.Test {
			continue
		}
		out = append(out, t)
	}
	return out
}

func (c Command) junitError(r Result, err error) Result {
	r.Status, r.OK = Error, false
	r.Details = truncate(fmt.Sprintf("step %q: %v", c.Name, err), MaxDetails)
	return r
}

// rel returns paths relative to dir where possible, for messages.
func rel(dir string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = p
		if dir == "" {
			dir = "."
		}
		if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
			out[i] = filepath.ToSlash(r)
		}
	}
	return out
}
