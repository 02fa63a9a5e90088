package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/internal/strictyaml"
	"github.com/soakkit/soakkit/step"
)

func TestLoadFull(t *testing.T) {
	f, err := Load(filepath.Join("testdata", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"vet", "checks", "tests"}, f.StepNames()); diff != "" {
		t.Errorf("StepNames (-want +got):\n%s", diff)
	}
	c := f.SoakConfig()
	if c.Duration.Std() != 2*time.Hour || c.MaxFailures != 3 || !c.KeepGoing || c.ArtifactsDir != "out" {
		t.Errorf("SoakConfig = %+v", c)
	}
	if want := filepath.Join(f.Dir); c.Service.Dir != want {
		t.Errorf("service dir = %q, want %q", c.Service.Dir, want)
	}
	if f.HeartbeatOr(time.Second) != 30*time.Second {
		t.Errorf("HeartbeatOr = %v", f.HeartbeatOr(time.Second))
	}
	args := f.builtinArgs(f.Plan.Steps[1].Steps[1])
	want := []string{"--baseline", filepath.Join(f.Dir, ".secrets-baseline.json"), "--strict", "--exclude", "vendor/**", "."}
	if diff := cmp.Diff(want, args); diff != "" {
		t.Errorf("secrets builtin args (-want +got):\n%s", diff)
	}
	it := f.Iteration("/bin/soakkit")
	if len(it.Sections) != 3 || it.Timeout != 10*time.Minute {
		t.Fatalf("Iteration: %d sections, timeout %v", len(it.Sections), it.Timeout)
	}
	t.Setenv("SKIP_TESTS", "1")
	if got := it.Sections[2].SkipIf(t.Context()); got != "skip_if: $SKIP_TESTS is set" {
		t.Errorf("SkipIf = %q", got)
	}
}

func TestDefault(t *testing.T) {
	f := Default(t.TempDir())
	if diff := cmp.Diff([]string{"vet", "lint", "secrets", "tests"}, f.StepNames()); diff != "" {
		t.Errorf("default plan (-want +got):\n%s", diff)
	}
	if f.Path != "" {
		t.Errorf("Default().Path = %q, want empty", f.Path)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		give string
		want []string // "line field" per error
	}{
		{"unknown key", "plan:\n  stepz: []\n", []string{"2 plan.stepz"}},
		{"no kind", "plan:\n  steps:\n    - name: a\n", []string{"3 plan.steps[0]"}},
		{"two kinds", "plan:\n  steps:\n    - name: a\n      run: [x]\n      go_test: [./...]\n", []string{"3 plan.steps[0]"}},
		{"missing name", "plan:\n  steps:\n    - run: [x]\n", []string{"3 plan.steps[0]"}},
		{"bad name", "plan:\n  steps:\n    - name: a/b\n      run: [x]\n", []string{"3 plan.steps[0].name"}},
		{"duplicate", "plan:\n  steps:\n    - name: a\n      run: [x]\n    - name: g\n      steps:\n        - name: a\n          run: [y]\n",
			[]string{"7 plan.steps[1].steps[0].name"}},
		{"bad builtin", "plan:\n  steps:\n    - name: a\n      builtin: fmt\n", []string{"4 plan.steps[0].builtin"}},
		{"args on run", "plan:\n  steps:\n    - name: a\n      run: [x]\n      args: [y]\n", []string{"5 plan.steps[0].args"}},
		{"bad duration", "soak:\n  heartbeat: 5\n", []string{"2 soak.heartbeat"}},
		{"bad soak duration", "soak:\n  duration: forever\n", []string{"2 soak.duration"}},
		{"parallel without steps", "plan:\n  steps:\n    - name: a\n      run: [x]\n      parallel: 2\n", []string{"5 plan.steps[0].parallel"}},
		{"junit on go_test", "plan:\n  steps:\n    - name: a\n      go_test: [./...]\n      junit: [r.xml]\n", []string{"5 plan.steps[0].junit"}},
		{"bad junit glob", "plan:\n  steps:\n    - name: a\n      run: [x]\n      junit: [\"[a-\"]\n", []string{"5 plan.steps[0].junit"}},
		{"negative retries", "plan:\n  steps:\n    - name: a\n      run: [x]\n      retries: -1\n", []string{"5 plan.steps[0].retries"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			os.WriteFile(path, []byte(tt.give), 0o644)
			_, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%q) succeeded", tt.give)
			}
			var got []string
			for _, e := range flatten(err) {
				var se *strictyaml.Error
				if !errors.As(e, &se) {
					t.Fatalf("error %v is %T, want *strictyaml.Error", e, e)
				}
				if !strings.HasPrefix(se.Error(), path+":") {
					t.Errorf("error %q does not start with the file name", se.Error())
				}
				got = append(got, strings.TrimSpace(strings.Join([]string{strconv.Itoa(se.Line), se.Field}, " ")))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n(%v)", diff, err)
			}
		})
	}
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644)
	if got := Find(sub); got != "" {
		t.Errorf("Find without a file = %q", got)
	}
	os.WriteFile(filepath.Join(root, FileName), []byte("plan: {}\n"), 0o644)
	if got, want := Find(sub), filepath.Join(root, FileName); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
	if got := ModuleRoot(sub); got != root {
		t.Errorf("ModuleRoot = %q, want %q", got, root)
	}
}

func TestNestedSkipIf(t *testing.T) {
	f, err := parse("x.yaml", t.TempDir(), []byte("plan:\n  steps:\n    - name: g\n      steps:\n        - name: inner\n          run: [definitely-not-a-program-xyz]\n          skip_if: {missing: [definitely-not-a-program-xyz]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	it := f.Iteration("soakkit")
	res := it.Sections[0].Step.Run(context.Background(), step.Runtime{LogDir: t.TempDir()})
	if len(res.Steps) != 1 || res.Steps[0].Status != step.Skipped || !strings.Contains(res.Steps[0].Details, "not installed") {
		t.Errorf("nested skip: %+v", res.Steps)
	}
}

// TestReadmeExample keeps the configuration example in README.md valid.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err) // the module root's README is part of the repository
	}
	text := string(readme)
	start := strings.Index(text, "```yaml\nartifacts:")
	if start < 0 {
		t.Fatal("README.md has no ```yaml example starting with artifacts:")
	}
	body := text[start+len("```yaml\n"):]
	body = body[:strings.Index(body, "```")]
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, []byte(body), 0o644)
	f, err := Load(path)
	if err != nil {
		t.Fatalf("README example does not load: %v", err)
	}
	if diff := cmp.Diff([]string{"vet", "checks", "tests"}, f.StepNames()); diff != "" {
		t.Errorf("README example steps (-want +got):\n%s", diff)
	}
}
