package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/secrets"
	"github.com/soakkit/soakkit/soak/artifact"
)

// binary is the soakkit executable built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	if mode := os.Getenv(mergeHelperEnv); mode != "" {
		os.Exit(mergeHelper(mode, os.Args[1:])) // a step of a soak in TestMergeThreeRunners
	}
	if os.Getenv(sleepHelperEnv) != "" {
		time.Sleep(10 * time.Minute) // a service that runs until the soak stops it
		os.Exit(0)
	}
	// A run without a Go toolchain (the Windows tests under Wine) passes a
	// soakkit binary built for the target in SOAKKIT_TEST_BINARY.
	if b := os.Getenv("SOAKKIT_TEST_BINARY"); b != "" {
		binary = b
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "soakkit-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "soakkit")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		panic("build soakkit: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// sleepHelperEnv, set in the environment soakkit passes on to its service,
// makes the test binary a service that runs until it is stopped (at most
// 10 minutes): a sleep program on every OS, Windows included.
const sleepHelperEnv = "SOAKKIT_TEST_SLEEP"

// sleeper returns the path of the test binary, to serve as a service with
// sleepHelperEnv set (see sleeperEnv).
func sleeper(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return self
}

// sleeperEnv is the extra environment of a soakkit run whose service is
// sleeper's.
var sleeperEnv = []string{sleepHelperEnv + "=1"}

// skipWithoutGo skips under Wine only: the test's plan runs (or the test
// builds with) the go command, which has no Windows build inside Wine.
func skipWithoutGo(t *testing.T) {
	t.Helper()
	winetest.Skip(t, "runs the go command; no Windows Go toolchain inside Wine")
}

type runResult struct {
	code           int
	stdout, stderr string
}

// soakkit runs the binary in dir with args and extra environment.
func soakkit(t *testing.T, dir string, env []string, args ...string) runResult {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CI=true", "GITHUB_ACTIONS=", "GITHUB_STEP_SUMMARY=")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("soakkit %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return runResult{code, stdout.String(), stderr.String()}
}

func testdata(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageAndHelp(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // substring of stdout+stderr
	}{
		{"no args", nil, exitUsage, "Commands:"},
		{"help", []string{"--help"}, exitOK, "Exit codes:"},
		{"version", []string{"--version"}, exitOK, "soakkit "},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"command help", []string{"soak", "--help"}, exitOK, "Examples:"},
		{"help topic", []string{"help", "secrets"}, exitOK, "--baseline"},
		{"unknown flag", []string{"validate", "--nope"}, exitUsage, "unknown flag: --nope"},
		{"bad duration flag", []string{"soak", "--duration", "5x"}, exitUsage, "invalid argument"},
		{"bad env duration", []string{"soak"}, exitUsage, "SOAKKIT_DURATION"},
		{"bad format", []string{"secrets", "--format", "xml", "."}, exitUsage, `"xml" is not one of`},
		{"bad lint format", []string{"lint", "--format", "xml", "."}, exitUsage, "--format"},
		{"service-ready without service", []string{"soak", "--duration", "1s", "--service-ready", "tcp:127.0.0.1:1"}, exitUsage, "needs --service"},
		{"bad service-ready", []string{"soak", "--duration", "1s", "--service", "x", "--service-ready", "udp:1"}, exitUsage, "is not tcp:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var env []string
			if tt.name == "bad env duration" {
				env = []string{"SOAKKIT_DURATION=soon"}
			}
			r := soakkit(t, dir, env, tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("soakkit %v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tt.wantOut) {
				t.Errorf("soakkit %v: output lacks %q\nstdout: %s\nstderr: %s", tt.args, tt.wantOut, r.stdout, r.stderr)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	skipWithoutGo(t)
	tests := []struct {
		name       string
		config     string
		wantCode   int
		wantMarker string
		wantOut    []string
	}{
		{"pass", "pass.yaml", exitOK, "RESULT=OK", []string{"version", "PASSED", "SKIPPED", "skip_if: no-such-program-soakkit-test is not installed"}},
		{"fail", "fail.yaml", exitFailed, "RESULT=FAIL", []string{"broken", "FAILED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			art := filepath.Join(dir, "art")
			r := soakkit(t, dir, nil, "validate", "--config", testdata(t, tt.config), "--artifacts", art)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if n := strings.Count(r.stdout, "RESULT="); n != 1 || !strings.Contains(r.stdout, tt.wantMarker+"\n") {
				t.Errorf("stdout has %d markers, want exactly one %s:\n%s", n, tt.wantMarker, r.stdout)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			var rep struct {
				Result   string `json:"result"`
				Sections []struct {
					Name string `json:"name"`
					OK   bool   `json:"ok"`
				} `json:"sections"`
			}
			data, err := os.ReadFile(filepath.Join(art, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatalf("report.json: %v", err)
			}
			if want := strings.TrimPrefix(tt.wantMarker, "RESULT="); rep.Result != want {
				t.Errorf("report.json result %q, want %q", rep.Result, want)
			}
		})
	}
}

func TestValidateOnly(t *testing.T) {
	skipWithoutGo(t)
	dir := t.TempDir()
	r := soakkit(t, dir, nil, "validate", "--config", testdata(t, "pass.yaml"), "--artifacts", filepath.Join(dir, "a"), "--only", "version", "-v")
	if r.code != exitOK || !strings.Contains(r.stdout, "go version go") {
		t.Errorf("--only version: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = soakkit(t, dir, nil, "validate", "--config", testdata(t, "pass.yaml"), "--only", "nope")
	if r.code != exitUsage {
		t.Errorf("--only nope: exit %d, want %d", r.code, exitUsage)
	}
}

func TestStrictConfigErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := testdata(t, "bad.yaml")
	r := soakkit(t, dir, nil, "validate", "--config", cfg)
	if r.code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s", r.code, exitUsage, r.stderr)
	}
	for _, want := range []string{cfg + `:5: plan.steps[0].timeout: bad duration: "5" has no unit`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestUnknownKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "soakkit.yaml")
	os.WriteFile(cfg, []byte("plan:\n  steps: []\nsoak:\n  hartbeat: 1s\n  count: many\n"), 0o644)
	r := soakkit(t, dir, nil, "soak", "--config", cfg)
	if r.code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s", r.code, exitUsage, r.stderr)
	}
	for _, want := range []string{cfg + ":4: soak.hartbeat: unknown field", cfg + ":5: soak.count: cannot unmarshal"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestSoakCommand(t *testing.T) {
	skipWithoutGo(t)
	dir := t.TempDir()
	art := filepath.Join(dir, "art")
	r := soakkit(t, dir, []string{"SOAKKIT_HEARTBEAT=50ms"},
		"soak", "--iterations", "3", "--sample-interval", "50ms", "--artifacts", art, "--", "go", "env", "GOOS")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "iterations: 3 run: 3 passed") {
		t.Errorf("stdout: %s", r.stdout)
	}
	if n := strings.Count(r.stderr, `msg="soak iteration"`); n != 3 {
		t.Errorf("%d per-iteration log lines in CI mode, want 3:\n%s", n, r.stderr)
	}
	lines := 0
	if err := jsonl.Read(filepath.Join(art, "soak", "iterations.jsonl"), func([]byte, int) error { lines++; return nil }); err != nil {
		t.Fatal(err)
	}
	if lines != 3 {
		t.Errorf("iterations.jsonl has %d records, want 3", lines)
	}
	for _, f := range []string{"env.json", "soak/state.json", "soak/manifest.json", "soak/samples.jsonl",
		"soak/summary.json", "soak/summary.md", "soak/junit.xml", "soak/report.html"} {
		data, err := os.ReadFile(filepath.Join(art, filepath.FromSlash(f)))
		if err != nil {
			t.Errorf("artifact %s: %v", f, err)
			continue
		}
		if strings.HasSuffix(f, ".json") && !json.Valid(data) {
			t.Errorf("artifact %s is not valid JSON", f)
		}
		if strings.HasSuffix(f, ".jsonl") {
			if err := jsonl.Read(filepath.Join(art, filepath.FromSlash(f)), func([]byte, int) error { return nil }); err != nil {
				t.Errorf("artifact %s: %v", f, err)
			}
		}
	}
	var m artifact.Manifest
	if err := canonjson.Read(filepath.Join(art, "soak", "manifest.json"), &m); err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(art); err != nil {
		t.Errorf("manifest does not verify: %v", err)
	}
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
	}
	if !listed["soak/summary.json"] || !listed["soak/report.html"] {
		t.Errorf("manifest lacks the summary or the report: %v", listed)
	}
	r = soakkit(t, dir, nil, "report", art)
	if r.code != exitOK || !strings.Contains(r.stdout, "PASSED") {
		t.Errorf("report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := soakkit(t, dir, nil, "report", filepath.Join(dir, "nothing-here")); r.code != exitUsage {
		t.Errorf("report of a missing dir: exit %d, want %d", r.code, exitUsage)
	}

	// A failing command: exit 1.
	r = soakkit(t, dir, nil, "soak", "--iterations", "2", "--heartbeat", "10ms", "--artifacts", filepath.Join(dir, "art2"), "--", "go", "no-such-subcommand")
	if r.code != exitFailed {
		t.Errorf("failing soak: exit %d, want %d\n%s", r.code, exitFailed, r.stdout)
	}
}

func TestSecretsCommand(t *testing.T) {
	// A token built at run time, so this file holds no secret-looking text.
	token := "AKIA" + "IOSFODNN7EXAMPLQ"
	tests := []struct {
		name     string
		files    map[string]string
		args     []string
		wantCode int
		marker   string
	}{
		{"clean", map[string]string{"a.txt": "hello\n"}, []string{"."}, exitOK, "RESULT=CLEAN"},
		{"found", map[string]string{"cfg.txt": "token = " + token + "\n"}, []string{"."}, exitFailed, "RESULT=FOUND"},
		{"scan error", map[string]string{"a.txt": "hello\n"}, []string{"missing-dir"}, exitUsage, "RESULT=ERROR"},
		{"critical", map[string]string{"a.txt": "hello\n", "art/log.txt": "token = " + token + "\n"}, []string{"a.txt", "--artifacts", "art"}, exitCritical, "RESULT=CRITICAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(content), 0o644)
			}
			r := soakkit(t, dir, nil, append([]string{"secrets"}, tt.args...)...)
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.marker) {
				t.Errorf("stdout lacks %q:\n%s", tt.marker, r.stdout)
			}
			if strings.Contains(r.stdout+r.stderr, token) {
				t.Errorf("output contains the raw secret")
			}
		})
	}
}

// TestSecretsConfigMinVersion: a config asking for a later gitleaks than
// the one whose semantics soakkit follows is used, with a warning saying
// so; one asking for an earlier release is used silently.
func TestSecretsConfigMinVersion(t *testing.T) {
	tests := []struct {
		minVersion string
		warn       bool
	}{
		{"v8.25.0", false},
		{"v9.1.0", true},
	}
	for _, tt := range tests {
		t.Run(tt.minVersion, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"gl.toml": "minVersion = \"" + tt.minVersion + "\"\n[extend]\nuseDefault = true\n",
				"a.txt":   "hello\n",
			})
			r := soakkit(t, dir, nil, "secrets", "--config", "gl.toml", "a.txt")
			want := "soakkit secrets: warning: config gl.toml: minVersion " + tt.minVersion + " is later than gitleaks " + secrets.GitleaksVersion
			if r.code != exitOK || strings.Contains(r.stderr, want) != tt.warn {
				t.Errorf("exit %d, warning shown %v; want exit %d, warning %v (%q)\nstderr: %s", r.code, !tt.warn, exitOK, tt.warn, want, r.stderr)
			}
		})
	}
}

func TestSecretsSARIF(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.env"), []byte("AWS_ACCESS_KEY_ID="+"AKIA"+"IOSFODNN7EXAMPLZ"+"\n"), 0o644)
	r := soakkit(t, dir, nil, "secrets", "--format", "sarif", ".")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []any `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("stdout is not SARIF JSON: %v\n%s", err, r.stdout)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || r.code != exitFailed {
		t.Errorf("SARIF: version %q, %d runs, exit %d", log.Version, len(log.Runs), r.code)
	}
}

func TestLintCommand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.py"), []byte("REQS.labels(env='prod', service='api').inc()\n"), 0o644)
	r := soakkit(t, dir, nil, "lint", "ok.py")
	if r.code != exitOK {
		t.Errorf("clean file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A label that looks unbounded is a warning: shown, not failing, unless
	// --fail-on warning.
	os.WriteFile(filepath.Join(dir, "warn.py"), []byte("REQS.labels(user_id='42').inc()\n"), 0o644)
	r = soakkit(t, dir, nil, "lint", "warn.py")
	if r.code != exitOK || !strings.Contains(r.stdout, "warn.py:1:13: warning: ") || !strings.Contains(r.stdout, "0 errors, 1 warnings") {
		t.Errorf("unbounded label: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = soakkit(t, dir, nil, "lint", "--fail-on", "warning", "warn.py")
	if r.code != exitFailed {
		t.Errorf("unbounded label with --fail-on warning: exit %d, want %d", r.code, exitFailed)
	}
	os.WriteFile(filepath.Join(dir, "bad.py"), []byte("REQS.labels(le='1').inc()\nprint(json.dumps(\n"), 0o644)
	r = soakkit(t, dir, nil, "lint", "bad.py")
	if r.code != exitFailed || !strings.Contains(r.stdout, "bad.py:1:13: error: ") || !strings.Contains(r.stdout, "bad.py:2:17: error: syntax error: '(' was never closed") {
		t.Errorf("reserved label and syntax error: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	// --write-baseline accepts the findings; --baseline then passes.
	base := filepath.Join(dir, "lint-baseline.json")
	r = soakkit(t, dir, nil, "lint", "--write-baseline", base, "bad.py")
	if r.code != exitOK || !strings.Contains(r.stderr, "2 findings accepted") {
		t.Errorf("--write-baseline: exit %d\nstderr: %s", r.code, r.stderr)
	}
	r = soakkit(t, dir, nil, "lint", "--baseline", base, "bad.py")
	if r.code != exitOK || !strings.Contains(r.stdout, "2 baselined") || strings.Contains(r.stdout, "error:") {
		t.Errorf("with the written baseline: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = soakkit(t, dir, nil, "lint", "--config", filepath.Join(dir, "missing.yaml"), "bad.py")
	if r.code != exitUsage {
		t.Errorf("missing config: exit %d, want %d", r.code, exitUsage)
	}
}

// TestLintTrees runs soakkit lint on a Python-only tree (no go.mod) and
// on an empty one: the first lints its Python files and says what it
// skipped; the second says there is nothing to lint and never passes.
func TestLintTrees(t *testing.T) {
	py := t.TempDir()
	os.MkdirAll(filepath.Join(py, "app"), 0o755)
	os.WriteFile(filepath.Join(py, "app", "main.py"), []byte("print('hi')\n"), 0o644)
	os.WriteFile(filepath.Join(py, "gen.go"), []byte("package main\n"), 0o644)
	r := soakkit(t, py, nil, "lint", ".")
	if r.code != exitOK || strings.Contains(r.stderr, "main module") ||
		!strings.Contains(r.stdout, "skipped Go: 1 files: not in a Go module") || !strings.Contains(r.stdout, "1 files (1 Python)") {
		t.Errorf("python-only tree: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "README.md"), []byte("# x\n"), 0o644)
	r = soakkit(t, empty, nil, "lint", ".")
	if r.code != exitUsage || !strings.Contains(r.stderr, "nothing to lint") {
		t.Errorf("empty tree: exit %d, want %d\nstderr: %s", r.code, exitUsage, r.stderr)
	}
}

// TestValidateOutsideGoModule runs validate's embedded default where there
// is no go.mod: Python sources get the Python plan (pytest reported as
// skipped when it is not installed, never as "0 passed"), and a tree with
// nothing to validate gets exit 2 and a message, never a green run.
func TestValidateOutsideGoModule(t *testing.T) {
	py := t.TempDir()
	os.WriteFile(filepath.Join(py, "app.py"), []byte("import json\n\nprint(json.dumps({}))\n"), 0o644)
	noPytest := []string{"PATH=" + t.TempDir()}
	r := soakkit(t, py, noPytest, "validate", "--artifacts", filepath.Join(t.TempDir(), "a"))
	if r.code != exitOK || !strings.Contains(r.stdout, "RESULT=OK") || !strings.Contains(r.stderr, "embedded default plan for Python") {
		t.Fatalf("python tree: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"1 files (1 Python); 0 errors", "skip_if: pytest is not installed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("python tree: stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, bad := range []string{"./...", "vet", "0 passed"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("python tree: stdout has %q:\n%s", bad, r.stdout)
		}
	}

	// A syntax error fails the lint step.
	os.WriteFile(filepath.Join(py, "broken.py"), []byte("def f():\n    x = \"\"\"\n"), 0o644)
	r = soakkit(t, py, noPytest, "validate", "--artifacts", filepath.Join(t.TempDir(), "a"))
	if r.code != exitFailed || !strings.Contains(r.stdout, "RESULT=FAIL") {
		t.Errorf("python tree with a syntax error: exit %d\nstdout: %s", r.code, r.stdout)
	}

	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("nothing here\n"), 0o644)
	r = soakkit(t, empty, nil, "validate", "--artifacts", filepath.Join(t.TempDir(), "a"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "no default plan fits") || strings.Contains(r.stdout, "RESULT=OK") {
		t.Errorf("empty tree: exit %d, want %d\nstdout: %s\nstderr: %s", r.code, exitUsage, r.stdout, r.stderr)
	}
}

func TestEnvCommand(t *testing.T) {
	secret := "sk_live_" + strings.Repeat("q7", 14)
	r := soakkit(t, t.TempDir(), []string{"SOAKKIT_TEST_VAR=plain", "STRIPE_KEY=" + secret}, "env")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var snap struct {
		GOOS string            `json:"goos"`
		Env  map[string]string `json:"env"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &snap); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if snap.GOOS != runtime.GOOS {
		t.Errorf("goos = %q", snap.GOOS)
	}
	if _, ok := snap.Env["STRIPE_KEY"]; !ok {
		t.Errorf("variable name STRIPE_KEY missing")
	}
	if strings.Contains(r.stdout, secret) {
		t.Errorf("env output contains the raw secret")
	}
}

func TestEmbeddedDefaultOnTempModule(t *testing.T) {
	skipWithoutGo(t)
	if testing.Short() {
		t.Skip("runs go vet, the lints, a secret scan and go test on a temporary module")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":       "module example.com/tmp\n\ngo 1.26\n",
		"main.go":      "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(add(1, 2)) }\n\nfunc add(a, b int) int { return a + b }\n",
		"main_test.go": "package main\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif add(1, 2) != 3 {\n\t\tt.Fatal(\"add\")\n\t}\n}\n",
	}
	for name, content := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	r := soakkit(t, dir, []string{"GOFLAGS=-mod=mod"}, "validate")
	if r.code != exitOK {
		t.Fatalf("embedded default: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"vet", "lint", "secrets", "tests", "1 passed", "RESULT=OK"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "artifacts", "report.json")); err != nil {
		t.Errorf("report.json: %v", err)
	}

	// A secret planted in the module fails the secrets step, and only it.
	os.WriteFile(filepath.Join(dir, "creds.txt"), []byte("aws = AKIA"+"IOSFODNN7EXAMPLQ\n"), 0o644)
	r = soakkit(t, dir, []string{"GOFLAGS=-mod=mod"}, "validate", "--artifacts", filepath.Join(t.TempDir(), "a"))
	if r.code != exitFailed || !strings.Contains(r.stdout, "RESULT=FAIL") {
		t.Errorf("with a planted secret: exit %d\n%s", r.code, r.stdout)
	}
}

// leakyBinary returns examples/leaky built for the target: the one named by
// SOAKKIT_TEST_LEAKY when set (.ci/wine-tests builds it, as there is no Go
// toolchain inside Wine), else one built with the go command into dir.
func leakyBinary(t *testing.T, dir string) string {
	t.Helper()
	if b := os.Getenv("SOAKKIT_TEST_LEAKY"); b != "" {
		return b
	}
	skipWithoutGo(t)
	leaky := filepath.Join(dir, "leaky")
	if runtime.GOOS == "windows" {
		leaky += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", leaky, "../../examples/leaky").CombinedOutput(); err != nil {
		t.Fatalf("build leaky: %v\n%s", err, out)
	}
	return leaky
}

// TestSoakLeakVerdictExit3 watches examples/leaky as a --service: leaking
// 300 MiB/min (blatant) it must get a leak verdict and exit 3; leaking
// nothing (only its noisy garbage) it must pass. Each soak lasts 60s minus
// the time reserved to stop the service.
func TestSoakLeakVerdictExit3(t *testing.T) {
	if testing.Short() {
		t.Skip("watches a service for 60s")
	}
	leaky := leakyBinary(t, t.TempDir())
	tests := []struct {
		name  string
		rate  string
		want  int
		leaks bool
	}{
		{name: "leaking", rate: "300", want: exitVerdict, leaks: true},
		{name: "stable", rate: "0", want: exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			art := filepath.Join(dir, "art")
			r := soakkit(t, dir, nil, "soak", "--duration", "60s", "--sample-interval", "250ms", "--artifacts", art,
				"--service", `"`+leaky+`" -mib-per-min `+tt.rate+" -tick 50ms", "--service-ready", "log:leaky: started")
			if r.code != tt.want {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.want, r.stdout, r.stderr)
			}
			named := strings.Contains(r.stdout, "LEAK") && strings.Contains(r.stdout, "service rss")
			if named != tt.leaks {
				t.Errorf("stdout names a service rss leak: %v, want %v:\n%s", named, tt.leaks, r.stdout)
			}
			// The verdict line, for CI logs (.ci/wine-tests prints it).
			for _, l := range strings.Split(r.stdout, "\n") {
				if strings.HasPrefix(l, "LEAK") || strings.HasPrefix(l, "PASSED") || strings.HasPrefix(l, "FAILED") {
					t.Logf("-mib-per-min %s: exit %d: %s", tt.rate, r.code, l)
					break
				}
			}
		})
	}
}

func TestSoakNotifiesWebhook(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "soakkit.yaml")
	os.WriteFile(cfg, []byte("plan:\n  steps:\n    - name: broken\n      run: [go, no-such-subcommand]\nnotify:\n  webhook:\n    url_env: SOAKKIT_TEST_HOOK\n"), 0o644)
	r := soakkit(t, dir, []string{"SOAKKIT_TEST_HOOK=" + srv.URL}, "soak", "--config", cfg, "--iterations", "2", "--keep-going", "--heartbeat", "10ms")
	if r.code != exitFailed {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) < 2 {
		t.Fatalf("webhook got %d requests, want a failure alert and an end alert", len(bodies))
	}
	if !strings.Contains(strings.Join(bodies, "\n"), "fail") {
		t.Errorf("webhook bodies do not mention the failure:\n%s", strings.Join(bodies, "\n"))
	}
}

func TestStepLogsRedacted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses go env with a variable set in the step's environment")
	}
	dir := t.TempDir()
	key := "AKIA" + "IOSFODNN7EXAMPLQ"
	cfg := filepath.Join(dir, "soakkit.yaml")
	// go env prints the variable's value: a secret on the step's stdout,
	// next to a long identifier that must survive.
	os.WriteFile(cfg, []byte("plan:\n  steps:\n    - name: leak\n      run: [go, env, GOFLAGS, GOPRIVATE]\n      env: {GOFLAGS: \"-tags=a_very_long_identifier_that_is_not_a_secret\", GOPRIVATE: \""+key+"\"}\n"), 0o644)
	art := filepath.Join(dir, "art")
	r := soakkit(t, dir, nil, "validate", "--config", cfg, "--artifacts", art)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	logs, _ := filepath.Glob(filepath.Join(art, "logs", "validate", "*.log"))
	var all string
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		all += string(b)
	}
	report, _ := os.ReadFile(filepath.Join(art, "report.json"))
	if strings.Contains(all+string(report)+r.stdout, key) {
		t.Errorf("the secret reached a log, the report or the output")
	}
	if !strings.Contains(all, "a_very_long_identifier_that_is_not_a_secret") {
		t.Errorf("log lost a long identifier (over-redacted):\n%s", all)
	}
}

func TestFlagEnvNotInheritedBySteps(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "soakkit.yaml")
	os.WriteFile(cfg, []byte("plan:\n  steps:\n    - name: show\n      run: [sh, -c, 'echo \"duration=[$SOAKKIT_DURATION] other=[$SOAKKIT_OTHER] step=[$SOAKKIT_STEP]\"']\n      env: {SOAKKIT_STEP: mine}\n"), 0o644)
	r := soakkit(t, dir, []string{"SOAKKIT_DURATION=24h", "SOAKKIT_OTHER=kept"}, "validate", "--config", cfg, "--only", "show")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "duration=[] other=[kept] step=[mine]") {
		t.Errorf("step saw the wrong environment:\n%s", r.stdout)
	}
}
