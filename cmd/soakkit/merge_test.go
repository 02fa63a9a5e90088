package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

// mergeHelperEnv selects the helper mode of the test binary: it is then
// the soaked command of TestMergeThreeRunners, not a test run.
const mergeHelperEnv = "MERGE_E2E_HELPER"

// mergeHelper is one iteration of a soaked command: it counts its runs in
// the file args[0] and writes a JUnit report to args[1]. Mode "pass"
// passes TestA and TestB; "fail" fails TestB and TestC; "flip" passes
// TestA and TestB, and fails TestC and TestD on every second run. It exits
// 1 when a test failed.
func mergeHelper(mode string, args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "want COUNTER REPORT")
		return 2
	}
	b, _ := os.ReadFile(args[0])
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	n++
	if err := os.WriteFile(args[0], []byte(strconv.Itoa(n)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	tests := map[string]bool{"TestA": true, "TestB": true} // name: passed
	switch mode {
	case "fail":
		tests["TestB"], tests["TestC"] = false, false
	case "flip":
		if n%2 == 0 {
			tests["TestC"], tests["TestD"] = false, false
		} else {
			tests["TestD"] = true
		}
	}
	var x strings.Builder
	failed := 0
	for _, name := range []string{"TestA", "TestB", "TestC", "TestD"} {
		ok, ran := tests[name]
		switch {
		case !ran:
		case ok:
			fmt.Fprintf(&x, "<testcase classname=\"e2e\" name=%q time=\"0.001\"/>\n", name)
		default:
			failed++
			fmt.Fprintf(&x, "<testcase classname=\"e2e\" name=%q time=\"0.001\"><failure message=\"boom\">run %d</failure></testcase>\n", name, n)
		}
	}
	doc := fmt.Sprintf("<?xml version=\"1.0\"?>\n<testsuite name=\"e2e\" tests=\"%d\" failures=\"%d\">\n%s</testsuite>\n", len(tests), failed, x.String())
	os.Remove(args[1]) // a new file every run, whatever the clock's resolution
	if err := os.WriteFile(args[1], []byte(doc), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Printf("run %d: %d failed\n", n, failed)
	if failed > 0 {
		return 1
	}
	return 0
}

// TestMergeThreeRunners soaks three runners in parallel — one always
// passing, one always failing, one failing every second iteration — and
// merges their artifacts: runners, counts, the classification across
// runners, the exit status and every merged file.
func TestMergeThreeRunners(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dl := filepath.Join(root, "downloaded") // as actions/download-artifact leaves them
	runners := []struct {
		name, mode     string
		passed, failed int
		verdict        summary.Status
		code           int
	}{
		{"steady", "pass", 4, 0, summary.Passed, exitOK},
		{"broken", "fail", 0, 4, summary.Failed, exitFailed},
		{"flappy", "flip", 2, 2, summary.Failed, exitFailed},
	}
	t.Run("soaks", func(t *testing.T) {
		for _, r := range runners {
			t.Run(r.name, func(t *testing.T) {
				t.Parallel()
				dir := filepath.Join(root, r.name)
				os.MkdirAll(dir, 0o755)
				report := filepath.Join(dir, "report.xml")
				res := soakkit(t, dir, []string{mergeHelperEnv + "=" + r.mode}, "soak", "--runner", r.name,
					"--iterations", "4", "--keep-going", "--heartbeat", "0s", "--artifacts", filepath.Join(dl, r.name),
					"--junit", report, "--", self, filepath.Join(dir, "counter"), report)
				if res.code != r.code {
					t.Errorf("soak %s: exit %d, want %d\n%s%s", r.name, res.code, r.code, res.stdout, res.stderr)
				}
			})
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	// A resume naming another runner is refused like any other change.
	res := soakkit(t, root, nil, "soak", "--resume", "--artifacts", filepath.Join(dl, "steady"), "--runner", "someone-else")
	if res.code != exitUsage || !strings.Contains(res.stderr, "runner") {
		t.Errorf("resume with another --runner: exit %d, want %d naming the runner\n%s", res.code, exitUsage, res.stderr)
	}

	out := filepath.Join(root, "merged")
	res = soakkit(t, root, nil, "merge", "--out", out, dl)
	if res.code != exitFailed {
		t.Fatalf("merge: exit %d, want %d\n%s%s", res.code, exitFailed, res.stdout, res.stderr)
	}
	l := artifact.Layout{Root: out}
	var s summary.Summary
	if err := canonjson.Read(l.Summary(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Verdict.Status != summary.Failed || s.Verdict.ExitCode != exitFailed {
		t.Errorf("merged verdict %s (exit %d), want failed (1): %s", s.Verdict.Status, s.Verdict.ExitCode, s.Verdict.Reason)
	}
	type runnerRow struct {
		Name           string
		Iterations     int
		Passed, Failed int
		Verdict        summary.Status
		OSSet          bool
	}
	var got, want []runnerRow
	for _, r := range s.Runners {
		got = append(got, runnerRow{r.Name, r.Iterations, r.Passed, r.Failed, r.Verdict, r.OS != "" && r.Arch != ""})
	}
	for _, r := range []int{1, 2, 0} { // sorted by name
		w := runners[r]
		want = append(want, runnerRow{w.name, 4, w.passed, w.failed, w.verdict, true})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("runners (-want +got):\n%s", diff)
	}
	if s.Iterations.Iterations != 12 || s.Iterations.Passed != 6 || s.Iterations.Failed != 6 {
		t.Errorf("merged iterations %+v, want 12 (6 passed, 6 failed)", s.Iterations.Counts)
	}

	type class struct {
		Name                    string
		Class                   summary.Class
		Failing, Flaky, Passing string
		PassedRuns, FailedRuns  int
	}
	var gotC []class
	for _, c := range s.CrossRunner {
		gotC = append(gotC, class{c.Name(), c.Class, strings.Join(c.FailingOn, ","), strings.Join(c.FlakyOn, ","),
			strings.Join(c.PassingOn, ","), c.Passed, c.Failed})
	}
	step := commandName([]string{self})
	wantC := []class{
		{"e2e.TestC", summary.ClassFailingEverywhere, "broken,flappy", "", "", 0, 6},
		{"e2e.TestB", summary.ClassRunnerSpecific, "broken", "", "flappy,steady", 8, 4},
		{step, summary.ClassFlaky, "broken", "flappy", "steady", 6, 6},
		{"e2e.TestD", summary.ClassFlaky, "", "flappy", "", 2, 2},
	}
	if diff := cmp.Diff(wantC, gotC); diff != "" {
		t.Errorf("cross-runner classes (-want +got):\n%s", diff)
	}

	var ju struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	b, err := os.ReadFile(l.JUnit())
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &ju); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	failing := map[string][]string{}
	for _, su := range ju.Suites {
		failing[su.Name] = []string{}
		for _, c := range su.Cases {
			if c.Failure != nil {
				failing[su.Name] = append(failing[su.Name], c.Name)
			}
		}
	}
	wantFailing := map[string][]string{
		"broken": {"verdict", step, "TestB", "TestC"},
		"flappy": {"verdict", step, "TestD", "TestC"}, // in order of first appearance
		"steady": {},
	}
	if diff := cmp.Diff(wantFailing, failing); diff != "" {
		t.Errorf("junit.xml failing cases per suite (-want +got):\n%s", diff)
	}
	md, err := os.ReadFile(l.SummaryMarkdown())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"### Runners", "| steady |", "### Across runners", "runner specific"} {
		if !strings.Contains(string(md), w) {
			t.Errorf("summary.md lacks %q:\n%s", w, md)
		}
	}
	html, err := os.ReadFile(l.HTMLReport())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "FAILED") {
		t.Errorf("report.html does not show the verdict")
	}
	var m artifact.Manifest
	if err := canonjson.Read(l.Manifest(), &m); err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(out); err != nil || len(m.Files) != 4 {
		t.Errorf("manifest: %d files, %v", len(m.Files), err)
	}

	// soakkit report on the merged directory would judge it as one soak
	// with no records: it refuses, exit 2, and leaves the merge's files.
	before, err := os.ReadFile(l.SummaryMarkdown())
	if err != nil {
		t.Fatal(err)
	}
	res = soakkit(t, root, nil, "report", out)
	if res.code != exitUsage || !strings.Contains(res.stderr, "soakkit merge") {
		t.Errorf("report on the merged directory: exit %d, want %d pointing to soakkit merge\n%s", res.code, exitUsage, res.stderr)
	}
	if after, err := os.ReadFile(l.SummaryMarkdown()); err != nil || !bytes.Equal(before, after) {
		t.Errorf("report on the merged directory rewrote summary.md (%v)", err)
	}

	// A source that is not artifacts is named, exit 2, and nothing written.
	bad := filepath.Join(root, "empty")
	os.MkdirAll(bad, 0o755)
	res = soakkit(t, root, nil, "merge", "--out", filepath.Join(root, "merged2"), dl, bad)
	if res.code != exitUsage || !strings.Contains(res.stderr, bad) {
		t.Errorf("merge with an empty source: exit %d, want 2 naming %s\n%s", res.code, bad, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "merged2")); !os.IsNotExist(err) {
		t.Errorf("merge with a bad source wrote its output: %v", err)
	}
}
