package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/soakkit/soakkit/internal/winetest"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// needPytest returns Debian's pytest, skipping the test without it except
// in CI, where .ci/run installs it and a skip would hide a missing install.
func needPytest(t *testing.T) string {
	t.Helper()
	winetest.Skip(t, "runs pytest; no Windows Python inside Wine")
	p, err := exec.LookPath("pytest")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("pytest not found in CI (.ci/run installs python3-pytest): %v", err)
		}
		t.Skip("pytest not installed (apt-get install python3-pytest)")
	}
	return p
}

// copyFilesTo copies the regular files under src to dst.
func copyFilesTo(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

type summaryFlaky struct {
	Kind, Step, Package, Test string
	Passed, Failed            int
}

func readFlaky(t *testing.T, art string) []summaryFlaky {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(art, "soak", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Flaky []summaryFlaky `json:"flaky"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s.Flaky
}

// testOutcomes returns, per test name, its statuses over the iterations.
func testOutcomes(t *testing.T, art string) map[string][]step.Status {
	t.Helper()
	got := map[string][]step.Status{}
	err := jsonl.Decode(filepath.Join(art, "soak", "iterations.jsonl"), func(r artifact.Record, _ int) error {
		for _, st := range r.Steps {
			for _, tr := range st.Tests {
				got[tr.Package+"::"+tr.Test] = append(got[tr.Package+"::"+tr.Test], tr.Status)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestSoakJUnitPytest soaks a real pytest suite through --junit for four
// iterations: the test that fails every second run is flaky by name, the
// one that always fails is failing and not flaky, the others are stable.
func TestSoakJUnitPytest(t *testing.T) {
	needPytest(t)
	dir := t.TempDir()
	copyFilesTo(t, filepath.Join("..", "..", "internal", "junit", "testdata", "pytest"), dir)
	art := filepath.Join(dir, "art")
	r := soakkit(t, dir, []string{"SOAKKIT_HEARTBEAT=50ms", "SOAK_COUNTER=" + filepath.Join(dir, "counter"), "PYTHONDONTWRITEBYTECODE=1"},
		"soak", "--iterations", "4", "--keep-going", "--sample-interval", "100ms", "--artifacts", art,
		"--junit", "reports/*.xml", "--", "pytest", "-p", "no:cacheprovider", "-q", "--junitxml=reports/junit.xml", "tests")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, exitFailed, r.stdout, r.stderr)
	}
	var flakyTests []string
	for _, f := range readFlaky(t, art) {
		if f.Kind == "test" {
			flakyTests = append(flakyTests, f.Package+"::"+f.Test)
			if f.Passed != 2 || f.Failed != 2 {
				t.Errorf("flaky %s: %d passed, %d failed; want 2 and 2", f.Test, f.Passed, f.Failed)
			}
		}
	}
	if diff := cmp.Diff([]string{"tests.test_suite::test_intermittent"}, flakyTests); diff != "" {
		t.Errorf("flaky tests (-want +got):\n%s\nstdout: %s", diff, r.stdout)
	}
	p, f, s := step.Passed, step.Failed, step.Skipped
	want := map[string][]step.Status{
		"tests.test_suite::test_stable_add":      {p, p, p, p},
		"tests.test_suite::test_stable_param[1]": {p, p, p, p},
		"tests.test_suite::test_stable_param[2]": {p, p, p, p},
		"tests.test_suite::test_intermittent":    {p, f, p, f},
		"tests.test_suite::test_always_fails":    {f, f, f, f},
		"tests.test_suite::test_skipped":         {s, s, s, s},
	}
	if diff := cmp.Diff(want, testOutcomes(t, art)); diff != "" {
		t.Errorf("per-test outcomes by iteration (-want +got):\n%s", diff)
	}
}

// TestExamplePython soaks examples/python through its soakkit.yaml (a
// junit step option) for two iterations: every test of the suite has a
// per-test result in each.
func TestExamplePython(t *testing.T) {
	needPytest(t)
	dir := t.TempDir()
	copyFilesTo(t, filepath.Join("..", "..", "examples", "python"), dir)
	art := filepath.Join(dir, "art")
	r := soakkit(t, dir, []string{"SOAKKIT_HEARTBEAT=50ms"},
		"soak", "--config", "soakkit.yaml", "--iterations", "2", "--sample-interval", "100ms", "--artifacts", art)
	if r.code != exitOK && r.code != exitFailed {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	got := testOutcomes(t, art)
	var names []string
	for n, sts := range got {
		names = append(names, n)
		if r.code == exitOK && len(sts) != 2 {
			t.Errorf("%s: %d results, want 2", n, len(sts))
		}
	}
	slices.Sort(names)
	want := []string{
		"tests.test_inventory::test_add_and_count",
		"tests.test_inventory::test_add_rejects_non_positive[-1]",
		"tests.test_inventory::test_add_rejects_non_positive[0]",
		"tests.test_inventory::test_reserve",
		"tests.test_inventory::test_take_too_many",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("tests recorded (-want +got):\n%s\nstdout: %s", diff, r.stdout)
	}
}
