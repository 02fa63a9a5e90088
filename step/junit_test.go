package step_test

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/step"
)

const (
	reportFailing = `<testsuite name="pytest"><testcase classname="t.m" name="test_ok" time="0.5"/>` +
		`<testcase classname="t.m" name="test_bad" time="0.25"><failure message="boom">trace</failure></testcase>` +
		`<testcase classname="t.m" name="test_skip"><skipped/></testcase></testsuite>`
	reportPassing = `<testsuite name="s"><testcase classname="c" name="a" time="1"/></testsuite>`
	reportFlaky   = `<testsuite name="s"><testcase classname="c" name="retried" time="0.3">` +
		`<flakyFailure message="reset" time="0.1"/></testcase><testcase classname="c" name="b"/></testsuite>`
)

// writer returns argv that copies src to dst (relative to the step's dir)
// and exits with code.
func writer(src, dst, code string) []string {
	return []string{"sh", "-c", `mkdir -p "$(dirname "$2")" && cp "$1" "$2" && exit "$3"`, "sh", src, dst, code}
}

func TestJUnitReports(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh")
	}
	src := t.TempDir()
	put := func(name, content string) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	failing, passing, flaky := put("failing.xml", reportFailing), put("passing.xml", reportPassing), put("flaky.xml", reportFlaky)
	malformed := put("bad.xml", "<testsuite>\n<testcase name=\"a\">\n</testsuite>\n")

	type test struct {
		name    string
		argv    []string
		globs   []string
		pre     map[string]string // files in the dir before the step runs
		status  step.Status
		details string // a substring of the details
		tests   []string
	}
	tests := []test{
		{"failing test fails the step", writer(failing, "out/report.xml", "1"), []string{"out/*.xml"}, nil, step.Failed,
			"1 passed, 1 failed (test_bad), 1 skipped", []string{"t.m test_ok passed", "t.m test_bad failed", "t.m test_skip skipped"}},
		{"failing test with exit 0", writer(failing, "report.xml", "0"), []string{"report.xml"}, nil, step.Failed,
			"failed (test_bad)", []string{"t.m test_ok passed", "t.m test_bad failed", "t.m test_skip skipped"}},
		{"passing", writer(passing, "r/a/b.xml", "0"), []string{"r/**/*.xml"}, nil, step.Passed, "1 passed", []string{"c a passed"}},
		{"dot-slash glob", writer(passing, "r/b.xml", "0"), []string{"./r/*.xml"}, nil, step.Passed, "1 passed", []string{"c a passed"}},
		{"flaky rerun", writer(flaky, "report.xml", "0"), []string{"report.xml"}, nil, step.Passed,
			"2 passed, 1 passed on rerun (retried)", []string{"c retried failed", "c retried passed", "c b passed"}},
		{"missing report", []string{"true"}, []string{"reports/*.xml"}, nil, step.Failed, "no JUnit report matched reports/*.xml", nil},
		{"stale report ignored", []string{"true"}, []string{"*.xml"}, map[string]string{"old.xml": reportPassing}, step.Failed,
			"no JUnit report matched *.xml; 1 stale JUnit report(s) ignored: old.xml", nil},
		{"fresh beside stale", writer(passing, "new.xml", "0"), []string{"*.xml"}, map[string]string{"old.xml": reportFailing}, step.Passed,
			"1 passed; 1 stale JUnit report(s) ignored: old.xml", []string{"c a passed"}},
		{"did not start", []string{"soakkit-no-such-binary"}, []string{"*.xml"}, nil, step.Error, "soakkit-no-such-binary", nil},
		{"malformed", writer(malformed, "report.xml", "0"), []string{"report.xml"}, nil, step.Error, "report.xml:3: ", nil},
		{"bad glob", []string{"true"}, []string{"[a-"}, nil, step.Error, "bad pattern", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.pre {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c := step.Command{Name: "suite", Argv: tt.argv, Dir: dir, JUnit: tt.globs}
			r := c.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
			if r.Status != tt.status || r.OK != tt.status.OK() {
				t.Errorf("status %q ok=%v, want %q (details %q)", r.Status, r.OK, tt.status, r.Details)
			}
			if !strings.Contains(r.Details, tt.details) {
				t.Errorf("details %q, want them to contain %q", r.Details, tt.details)
			}
			if tt.status == step.Error && strings.Contains(r.Details, "no JUnit report") {
				t.Errorf("details %q blame a missing report for a step that could not run", r.Details)
			}
			var got []string
			for _, x := range r.Tests {
				got = append(got, x.Package+" "+x.Test+" "+string(x.Status))
			}
			if diff := cmp.Diff(tt.tests, got); diff != "" {
				t.Errorf("Tests (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJUnitPerAttempt: with retries, each attempt reads only the reports
// it wrote, so a report left by a failed attempt is not read again.
func TestJUnitPerAttempt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.xml")
	if err := os.WriteFile(src, []byte(reportFailing), 0o644); err != nil {
		t.Fatal(err)
	}
	// The first attempt writes a failing report and fails; the second writes nothing.
	argv := []string{"sh", "-c", `if [ ! -e done ]; then touch done; cp "$1" out.xml; exit 1; fi; exit 0`, "sh", src}
	c := step.Command{Name: "suite", Argv: argv, Dir: dir, JUnit: []string{"out.xml"}, Retries: 1, Backoff: 1}
	r := c.Run(t.Context(), step.Runtime{LogDir: t.TempDir()})
	if r.Status != step.Failed || r.Attempts != 2 || !strings.Contains(r.Details, "no JUnit report matched out.xml; 1 stale") {
		t.Errorf("status %q after %d attempts, details %q; want failed after 2 with the stale report ignored", r.Status, r.Attempts, r.Details)
	}
}

// replacer is a redactor for tests: it replaces "tok_" followed by letters
// in each write, which receives whole lines.
type replacer struct{ w io.Writer }

func (r replacer) Write(b []byte) (int, error) {
	_, err := r.w.Write(regexp.MustCompile(`tok_[a-z]+`).ReplaceAll(b, []byte("[REDACTED]")))
	return len(b), err
}

func (replacer) Close() error { return nil }

// TestJUnitNamesRedacted: test names come from a file the command wrote and
// pass the same redactor as its output.
func TestJUnitNamesRedacted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src.xml")
	report := `<testsuite name="s"><testcase classname="auth.tok_classy" name="test_login[tok_secretvalue]"><failure/></testcase>` +
		`<testcase classname="c" name="plain"/></testsuite>`
	if err := os.WriteFile(src, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	c := step.Command{Name: "suite", Argv: writer(src, "out.xml", "1"), Dir: dir, JUnit: []string{"out.xml"}}
	r := c.Run(t.Context(), step.Runtime{LogDir: t.TempDir(), Redact: func(w io.Writer) io.WriteCloser { return replacer{w} }})
	var got []string
	for _, x := range r.Tests {
		got = append(got, x.Package+" "+x.Test)
	}
	if diff := cmp.Diff([]string{"auth.[REDACTED] test_login[[REDACTED]]", "c plain"}, got); diff != "" {
		t.Errorf("test names (-want +got):\n%s", diff)
	}
	if strings.Contains(r.Details, "tok_") || !strings.Contains(r.Details, "test_login[[REDACTED]]") {
		t.Errorf("details %q: want the redacted failing test name", r.Details)
	}
}
