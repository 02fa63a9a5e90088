package step

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// A GoTest is a step that runs `go test -json` and reports every test's
// outcome in [Result.Tests], so a caller can count failures and flaky tests
// across runs. The zero value of each optional field selects its default.
//
// Its stdout log holds the raw test2json stream; its tail holds the decoded
// test output. Its status comes from go test's exit code; its details
// summarize the counts ("12 passed, 1 failed (TestX), 2 skipped").
type GoTest struct {
	Name     string        // report and log file name; required
	Packages []string      // package patterns (default "./...")
	Flags    []string      // extra go test flags, e.g. "-run", "TestX", "-count=1", "-race"
	Dir      string        // working directory: the module (default: the runner's)
	Env      []string      // added to the runner's environment
	Timeout  time.Duration // per attempt, for the whole go test run (default: none)
	Retries  int           // extra attempts of the whole run after a failure (default 0)
	Backoff  time.Duration // pause before the first retry (default 1s), doubled each time
	Go       string        // go command (default "go" in PATH)
	Grace    time.Duration // SIGTERM to SIGKILL (default 5s); SIGTERM lets go test report
	// Shard runs only this shard's part of the packages: `go list
	// Packages` is run first and [Shard.Select] picks the packages, so that
	// runners of the same commit split the suite without overlap. A shard
	// that gets no package (more shards than packages) is skipped. Tests
	// are never split within a package. Default: the whole suite.
	Shard Shard
}

// Step returns g as a [Step].
func (g GoTest) Step() Step { return goTestStep{g} }

type goTestStep struct{ g GoTest }

func (s goTestStep) Name() string                               { return s.g.Name }
func (s goTestStep) Run(ctx context.Context, rt Runtime) Result { return s.g.Run(ctx, rt) }

// Run runs go test. See [GoTest].
func (g GoTest) Run(ctx context.Context, rt Runtime) Result {
	start := time.Now()
	if r, ok := checkCtx(ctx, g.Name, start); !ok {
		return r
	}
	goCmd := g.Go
	if goCmd == "" {
		goCmd = "go"
	}
	pkgs := g.Packages
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	env := g.Env
	if !g.Shard.Whole() {
		all, err := listPackages(ctx, goCmd, g.Dir, g.Env, pkgs)
		if err != nil {
			return errorResult(g.Name, start, fmt.Errorf("step %q: shard %s: %w", g.Name, g.Shard, err))
		}
		pkgs = g.Shard.Select(all)
		if len(pkgs) == 0 {
			r := Result{Name: g.Name, Status: Skipped, ExitCode: -1,
				Details: fmt.Sprintf("shard %s holds none of the %d packages", g.Shard, len(all))}
			r.finish(start)
			return r
		}
		env = append(slices.Clone(g.Env), g.Shard.Env()...)
	}
	argv := append([]string{goCmd, "test", "-json"}, g.Flags...)
	argv = append(argv, pkgs...)
	c := Command{Name: g.Name, Argv: argv, Dir: g.Dir, Env: env, Timeout: g.Timeout,
		Retries: g.Retries, Backoff: g.Backoff, Grace: g.Grace}
	if err := c.check(); err != nil {
		return errorResult(g.Name, start, err)
	}
	if _, err := rt.logDir(); err != nil {
		return errorResult(g.Name, start, fmt.Errorf("step %q: log dir: %w", g.Name, err))
	}
	p := retryPolicy{retries: c.Retries, backoff: c.Backoff, attemptMax: c.Timeout}
	return p.run(ctx, g.Name, start, func(ctx context.Context) Result {
		var tp testParser
		r := c.once(ctx, rt, hooks{onLine: tp.line, tailLine: testOutput})
		// The parser saw the raw events; a test name (a table case named
		// after its input) can hold a secret, so the names pass the same
		// redactor as the output before they reach any artifact.
		redactNames(rt, tp.results, nil)
		r.Tests = tp.results
		if sum := summarize(tp.results); sum != "" && (r.Status == Passed || r.Status == Failed) && len(r.Leftovers) == 0 {
			r.Details = truncate(sum, MaxDetails)
		}
		return r
	})
}

// testEvent is one test2json event (cmd/test2json).
type testEvent struct {
	Action  string
	Package string
	Test    string
	Elapsed float64 // seconds
	Output  string
}

// testParser collects per-test outcomes from a test2json stream.
type testParser struct {
	results []TestResult
}

// line takes one line of the stream; anything that is not a test2json event
// is ignored.
func (p *testParser) line(b []byte) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return
	}
	var ev testEvent
	if json.Unmarshal(b, &ev) != nil {
		return
	}
	var st Status
	switch ev.Action {
	case "pass":
		st = Passed
	case "fail":
		st = Failed
	case "skip":
		st = Skipped
	default:
		return
	}
	el := time.Duration(0)
	if ev.Elapsed > 0 && ev.Elapsed < 1e9 {
		el = time.Duration(math.Round(ev.Elapsed * 1e9))
	}
	p.results = append(p.results, TestResult{Package: ev.Package, Test: ev.Test, Status: st, Elapsed: el})
}

// summarize returns "N passed, M failed (A, B), K skipped" over the tests
// (not the packages) in rs, or "" if there are none.
func summarize(rs []TestResult) string {
	var pass, skip int
	var failed []string
	for _, r := range rs {
		if r.Test == "" {
			if r.Status == Failed && !hasTestIn(rs, r.Package) {
				failed = append(failed, r.Package)
			}
			continue
		}
		switch r.Status {
		case Passed:
			pass++
		case Skipped:
			skip++
		case Failed:
			failed = append(failed, r.Test)
		}
	}
	if pass+skip+len(failed) == 0 {
		return ""
	}
	s := fmt.Sprintf("%d passed", pass)
	if len(failed) > 0 {
		s += fmt.Sprintf(", %d failed (%s)", len(failed), strings.Join(failed, ", "))
	}
	if skip > 0 {
		s += fmt.Sprintf(", %d skipped", skip)
	}
	return s
}

func hasTestIn(rs []TestResult, pkg string) bool {
	for _, r := range rs {
		if r.Package == pkg && r.Test != "" && r.Status == Failed {
			return true
		}
	}
	return false
}

// testOutput turns a (redacted) test2json line into the output it carries,
// for the tail; other events are dropped and non-JSON lines kept.
func testOutput(b []byte) []byte {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return b
	}
	var ev testEvent
	if json.Unmarshal(t, &ev) != nil {
		return b
	}
	if ev.Action != "output" && ev.Action != "build-output" {
		return nil
	}
	return []byte(strings.TrimRight(ev.Output, "\n"))
}
