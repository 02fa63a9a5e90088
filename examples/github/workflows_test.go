// Package github holds GitHub Actions workflows that run soakkit; its test
// checks them with actionlint and checks the matrix workflow's invariants.
package github

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rhysd/actionlint"
)

// TestActionlint lints every workflow here with actionlint's library (and
// shellcheck on the run scripts when it is installed): no error at all.
func TestActionlint(t *testing.T) {
	files, err := filepath.Glob("*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflow found: %v", err)
	}
	opts := &actionlint.LinterOptions{LogWriter: io.Discard}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = sc
	} else {
		t.Log("shellcheck not installed: run scripts are not shellchecked")
	}
	l, err := actionlint.NewLinter(io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		errs, err := l.Lint(f, data, nil)
		if err != nil {
			t.Fatalf("actionlint %s: %v", f, err)
		}
		for _, e := range errs {
			t.Errorf("%s:%d:%d: %s [%s]", f, e.Line, e.Column, e.Message, e.Kind)
		}
	}
}

// parse reads and parses a workflow here.
func parse(t *testing.T, name string) *actionlint.Workflow {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	w, errs := actionlint.Parse(data)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", name, errs[0])
	}
	return w
}

func envVar(env *actionlint.Env, name string) string {
	if env == nil {
		return ""
	}
	for _, v := range env.Vars {
		if v.Name.Value == name && v.Value != nil {
			return v.Value.Value
		}
	}
	return ""
}

// action returns the steps of j that use the action uses (name@version).
func action(j *actionlint.Job, uses string) []*actionlint.Step {
	var out []*actionlint.Step
	for _, s := range j.Steps {
		if a, ok := s.Exec.(*actionlint.ExecAction); ok && strings.HasPrefix(a.Uses.Value, uses+"@") {
			out = append(out, s)
		}
	}
	return out
}

// run returns the run scripts of j's steps, joined.
func run(j *actionlint.Job) string {
	var b strings.Builder
	for _, s := range j.Steps {
		if r, ok := s.Exec.(*actionlint.ExecRun); ok {
			b.WriteString(r.Run.Value + "\n")
		}
	}
	return b.String()
}

func input(s *actionlint.Step, name string) string {
	if in := s.Exec.(*actionlint.ExecAction).Inputs[name]; in != nil && in.Value != nil {
		return in.Value.Value
	}
	return ""
}

// scalar returns the text of a scalar matrix value ("" for others).
func scalar(v actionlint.RawYAMLValue) string {
	if s, ok := v.(*actionlint.RawYAMLString); ok {
		return s.Value
	}
	return ""
}

func always(s *actionlint.String) bool { return s != nil && strings.Contains(s.Value, "always()") }

// TestMatrixInvariants checks what actionlint cannot: the shards of the
// matrix are exactly 0…SHARDS-1 and the soak uses them, each job uploads
// its artifacts whatever its outcome under a name the merge job downloads,
// and the merge job runs whatever the soaks' outcome, merges, writes the
// job summary and uploads the merged report.
func TestMatrixInvariants(t *testing.T) {
	w := parse(t, "soak-matrix.yml")
	shards, err := strconv.Atoi(envVar(w.Env, "SHARDS"))
	if err != nil || shards < 1 {
		t.Fatalf("env SHARDS = %q: %v", envVar(w.Env, "SHARDS"), err)
	}
	soak, merge := w.Jobs["soak"], w.Jobs["merge"]
	if soak == nil || merge == nil {
		t.Fatalf("jobs %v: want soak and merge", slices.Collect(func(yield func(string) bool) {
			for k := range w.Jobs {
				if !yield(k) {
					return
				}
			}
		}))
	}

	m := soak.Strategy.Matrix
	var got []string
	for _, v := range m.Rows["shard"].Values {
		got = append(got, scalar(v))
	}
	var want []string
	for i := range shards {
		want = append(want, strconv.Itoa(i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("matrix shards (-want +got, want 0…SHARDS-1):\n%s", diff)
	}
	var oses []string
	for _, v := range m.Rows["os"].Values {
		oses = append(oses, strings.SplitN(scalar(v), "-", 2)[0])
	}
	if diff := cmp.Diff([]string{"ubuntu", "windows", "macos"}, oses); diff != "" {
		t.Errorf("matrix systems (-want +got):\n%s", diff)
	}
	if s := soak.Strategy.FailFast; s == nil || s.Value {
		t.Error("soak strategy: fail-fast must be false: one failing runner must not cancel the others")
	}

	script := run(soak)
	for _, re := range []string{
		`soakkit soak\b`,
		`--shard "\$\{\{ matrix\.shard \}\}/\$SHARDS"`,
		`--runner "[^"]*\$\{\{ matrix\.shard \}\}[^"]*"`, // one name per job
		`--artifacts artifacts\b`,
	} {
		if !regexp.MustCompile(re).MatchString(script) {
			t.Errorf("soak job's scripts lack %s:\n%s", re, script)
		}
	}
	uploads := action(soak, "actions/upload-artifact")
	if len(uploads) != 1 {
		t.Fatalf("soak job: %d upload steps, want 1", len(uploads))
	}
	up := uploads[0]
	if !always(up.If) {
		t.Error("soak job: the upload must run on failure too (if: always())")
	}
	if p := input(up, "path"); strings.TrimSuffix(p, "/") != "artifacts" {
		t.Errorf("soak job uploads %q, want the artifacts root", p)
	}
	name := input(up, "name")
	if !strings.Contains(name, "${{ matrix.shard }}") || !strings.Contains(name, "${{ runner.os }}") {
		t.Errorf("soak job's artifact name %q is not unique per job", name)
	}

	if len(merge.Needs) != 1 || merge.Needs[0].Value != "soak" {
		var needs []string
		for _, n := range merge.Needs {
			needs = append(needs, n.Value)
		}
		t.Errorf("merge job needs %q, want [soak]", needs)
	}
	if !always(merge.If) {
		t.Error("merge job must run when soaks failed too (if: always())")
	}
	downloads := action(merge, "actions/download-artifact")
	if len(downloads) != 1 {
		t.Fatalf("merge job: %d download steps, want 1", len(downloads))
	}
	pattern, dir := input(downloads[0], "pattern"), input(downloads[0], "path")
	if ok, _ := filepath.Match(pattern, strings.ReplaceAll(strings.ReplaceAll(name, "${{ runner.os }}", "Linux"), "${{ matrix.shard }}", "0")); !ok {
		t.Errorf("merge job downloads %q, which does not match the soak artifacts %q", pattern, name)
	}
	script = run(merge)
	if !regexp.MustCompile(`soakkit merge --out (\S+) ` + regexp.QuoteMeta(dir) + `/?(\s|$)`).MatchString(script) {
		t.Errorf("merge job does not merge the folder %s holding every runner's artifacts:\n%s", dir, script)
	}
	if !strings.Contains(script, `>> "$GITHUB_STEP_SUMMARY"`) {
		t.Errorf("merge job does not write the job summary:\n%s", script)
	}
	uploads = action(merge, "actions/upload-artifact")
	if len(uploads) != 1 || !always(uploads[0].If) {
		t.Fatalf("merge job: want one upload of the merged report with if: always()")
	}
	if merged := input(uploads[0], "name"); func() bool { ok, _ := filepath.Match(pattern, merged); return ok }() {
		t.Errorf("the merged report's artifact %q matches the download pattern %q: a re-run would merge it", merged, pattern)
	}
}

// soakkitHelp builds soakkit from this tree and returns the help of
// subcommand cmd, where every flag it takes is listed.
func soakkitHelp(t *testing.T, bin, cmd string) string {
	t.Helper()
	out, _ := exec.Command(bin, cmd, "--help").CombinedOutput()
	if !strings.Contains(string(out), "Flags") {
		t.Fatalf("soakkit %s --help:\n%s", cmd, out)
	}
	return string(out)
}

// buildSoakkit builds the soakkit command of this tree.
func buildSoakkit(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds soakkit")
	}
	bin := filepath.Join(t.TempDir(), "soakkit")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/soakkit").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSoakkitFlags checks that every flag the workflows give soakkit is
// one its command takes, as this tree's soakkit lists them.
func TestSoakkitFlags(t *testing.T) {
	files, err := filepath.Glob("*.yml")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildSoakkit(t)
	helps := map[string]string{}
	call := regexp.MustCompile(`soakkit (soak|merge|validate|secrets|lint|report)\b([^\n]*)`)
	for _, f := range files {
		w := parse(t, f)
		for id, j := range w.Jobs {
			for _, m := range call.FindAllStringSubmatch(run(j), -1) {
				cmd := m[1]
				if helps[cmd] == "" {
					helps[cmd] = soakkitHelp(t, bin, cmd)
				}
				for _, arg := range strings.Fields(m[2]) {
					if arg == "--" {
						break
					}
					name, _, _ := strings.Cut(arg, "=")
					if !strings.HasPrefix(name, "--") {
						continue
					}
					if !regexp.MustCompile(`(?m)^\s+(-\w, )?` + regexp.QuoteMeta(name) + `\b`).MatchString(helps[cmd]) {
						t.Errorf("%s: job %s: soakkit %s has no flag %s", f, id, cmd, name)
					}
				}
			}
		}
	}
	if helps["soak"] == "" || helps["merge"] == "" {
		t.Errorf("the workflows run soakkit %v, want soak and merge among them", slices.Sorted(func(yield func(string) bool) {
			for k := range helps {
				if !yield(k) {
					return
				}
			}
		}))
	}
}
