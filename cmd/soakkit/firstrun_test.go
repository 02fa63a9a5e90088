package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
)

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSecretsWriteBaseline creates a secrets baseline with the command, and
// scans with it as soakkit.yaml's secrets.baseline: the accepted finding
// passes, a new one still fails, and the file holds no secret.
func TestSecretsWriteBaseline(t *testing.T) {
	dir := t.TempDir()
	key := "AKIA" + "IOSFODNN7EXAMPLQ"
	writeFiles(t, dir, map[string]string{"cfg.txt": "token = " + key + "\n"})
	r := soakkit(t, dir, nil, "secrets", "--write-baseline", ".secrets-baseline.json")
	if r.code != exitOK || !strings.Contains(r.stderr, "wrote .secrets-baseline.json: 1 finding(s) accepted") || !strings.Contains(r.stdout, "RESULT=CLEAN") {
		t.Fatalf("--write-baseline: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".secrets-baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), key) {
		t.Errorf("the baseline holds the secret:\n%s", data)
	}
	writeFiles(t, dir, map[string]string{"soakkit.yaml": "secrets:\n  baseline: .secrets-baseline.json\n"})
	r = soakkit(t, dir, nil, "secrets")
	if r.code != exitOK || !strings.Contains(r.stdout, "RESULT=CLEAN") {
		t.Errorf("scan with the baseline from soakkit.yaml: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	writeFiles(t, dir, map[string]string{"new.txt": "token = " + "AKIA" + "IOSFODNN7EXAMPLZ" + "\n"})
	r = soakkit(t, dir, nil, "secrets")
	if r.code != exitFailed || !strings.Contains(r.stdout, "new.txt") {
		t.Errorf("a finding not in the baseline: exit %d, want %d\nstdout: %s", r.code, exitFailed, r.stdout)
	}
}

// TestMissingOptionalFiles names, for every optional file that soakkit.yaml
// or a flag names and that does not exist, the file and the command that
// creates it, before any step runs (exit 2).
func TestMissingOptionalFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"soakkit.yaml": "plan:\n  steps:\n    - name: version\n      run: [go, version]\n" +
			"lint:\n  config: lint.yaml\n  baseline: .lint-baseline.json\n" +
			"secrets:\n  config: secrets.toml\n  baseline: .secrets-baseline.json\n",
		"a.py": "print('x')\n",
	})
	wantAll := []string{
		"soakkit.yaml:6: lint.config: lint.yaml: no such file; write it",
		"soakkit.yaml:7: lint.baseline: .lint-baseline.json: no such file; create it with `soakkit lint --write-baseline .lint-baseline.json`",
		"soakkit.yaml:9: secrets.config: secrets.toml: no such file; write it",
		"soakkit.yaml:10: secrets.baseline: .secrets-baseline.json: no such file; create it with `soakkit secrets --write-baseline .secrets-baseline.json`",
	}
	for _, args := range [][]string{{"validate"}, {"soak", "--iterations", "1"}} {
		r := soakkit(t, dir, nil, args...)
		if r.code != exitUsage {
			t.Errorf("soakkit %v: exit %d, want %d\nstderr: %s", args, r.code, exitUsage, r.stderr)
		}
		for _, want := range wantAll {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("soakkit %v: stderr lacks %q:\n%s", args, want, r.stderr)
			}
		}
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"lint", "a.py"}, "`soakkit lint --write-baseline .lint-baseline.json`"},
		{[]string{"lint", "--write-baseline", "x.json", "a.py"}, "lint.yaml: no such file"},
		{[]string{"secrets", "a.py"}, "secrets.toml: no such file"},
		{[]string{"secrets", "--config", filepath.Join(dir, "none.toml"), "a.py"}, "none.toml: no such file"},
	}
	for _, tt := range tests {
		r := soakkit(t, dir, nil, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("soakkit %v: exit %d, want %d and %q\nstderr: %s", tt.args, r.code, exitUsage, tt.want, r.stderr)
		}
	}

	// Without the configs, the baselines are what is missing; the commands
	// named in the messages create them, and then everything runs.
	writeFiles(t, dir, map[string]string{"soakkit.yaml": "plan:\n  steps:\n    - name: version\n      run: [" + binary + ", --version]\n" +
		"lint:\n  baseline: .lint-baseline.json\nsecrets:\n  baseline: .secrets-baseline.json\n"})
	for _, args := range [][]string{{"lint", "--baseline", "nope.json", "a.py"}, {"secrets", "--baseline", "nope.json", "a.py"}} {
		r := soakkit(t, dir, nil, args...)
		if want := "nope.json: no such file; create it with `soakkit " + args[0] + " --write-baseline nope.json`"; r.code != exitUsage || !strings.Contains(r.stderr, want) {
			t.Errorf("soakkit %v: exit %d, want %d and %q\nstderr: %s", args, r.code, exitUsage, want, r.stderr)
		}
	}
	for _, args := range [][]string{{"lint", "--write-baseline", ".lint-baseline.json", "a.py"}, {"secrets", "--write-baseline", ".secrets-baseline.json"}} {
		if r := soakkit(t, dir, nil, args...); r.code != exitOK {
			t.Fatalf("soakkit %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
		}
	}
	r := soakkit(t, dir, nil, "validate", "--artifacts", filepath.Join(t.TempDir(), "a"))
	if r.code != exitOK {
		t.Errorf("validate with the baselines written: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// TestSoakMaxBytes sets the artifacts cap by flag, parsed like max_bytes in
// soakkit.yaml; the flag wins over the file.
func TestSoakMaxBytes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"soakkit.yaml": "soak:\n  max_bytes: 3MiB\n"})
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string // max_bytes in state.json, or a substring of stderr
	}{
		{"config", nil, exitOK, "3145728"},
		{"flag", []string{"--max-bytes", "2MiB"}, exitOK, "2097152"},
		{"decimal", []string{"--max-bytes", "1.5MB"}, exitOK, "1500000"},
		{"bad", []string{"--max-bytes", "5x"}, exitUsage, `bad byte size: "5x"`},
		{"small", []string{"--max-bytes", "10KiB"}, exitUsage, "below the 1048576-byte minimum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			art := filepath.Join(t.TempDir(), "art")
			args := append([]string{"soak", "--iterations", "1", "--artifacts", art}, tt.args...)
			r := soakkit(t, dir, nil, append(args, "--", binary, "--version")...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if tt.wantCode != exitOK {
				if !strings.Contains(r.stderr, tt.want) {
					t.Errorf("stderr lacks %q:\n%s", tt.want, r.stderr)
				}
				return
			}
			var st struct {
				Config struct {
					MaxBytes string `json:"max_bytes"`
				} `json:"config"`
			}
			data, err := os.ReadFile(filepath.Join(art, "soak", "state.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &st); err != nil {
				t.Fatal(err)
			}
			if st.Config.MaxBytes != tt.want {
				t.Errorf("state.json max_bytes = %q, want %q", st.Config.MaxBytes, tt.want)
			}
		})
	}
}

// TestOnlyFlag checks that --only is offered where it is honoured
// (validate) and nowhere else, and that a wrong step name lists the plan's
// steps.
func TestOnlyFlag(t *testing.T) {
	dir := t.TempDir()
	r := soakkit(t, dir, nil, "soak", "--help")
	if strings.Contains(r.stdout, "--only") {
		t.Errorf("soak --help mentions --only, which soak does not take:\n%s", r.stdout)
	}
	if r := soakkit(t, dir, nil, "soak", "--only", "x"); r.code != exitUsage {
		t.Errorf("soak --only: exit %d, want %d", r.code, exitUsage)
	}
	r = soakkit(t, dir, nil, "validate", "--help")
	if !strings.Contains(r.stdout, "--only") {
		t.Errorf("validate --help does not mention --only:\n%s", r.stdout)
	}
	r = soakkit(t, dir, nil, "validate", "--config", testdata(t, "pass.yaml"), "--only", "nope")
	if r.code != exitUsage || !strings.Contains(r.stderr, `the plan has no step "nope"; its steps: version, group`) {
		t.Errorf("--only nope: exit %d, want %d and the list of steps\nstderr: %s", r.code, exitUsage, r.stderr)
	}
}

// TestInit writes soakkit.yaml with soakkit init where a plan fits, runs
// validate with it, and checks that an existing file is kept unless
// --force and that a tree where nothing fits gets no file.
func TestInit(t *testing.T) {
	py := t.TempDir()
	writeFiles(t, py, map[string]string{"app.py": "import json\n\nprint(json.dumps({}))\n"})
	noPytest := []string{"PATH=" + t.TempDir()}
	r := soakkit(t, py, nil, "init")
	if r.code != exitOK || !strings.Contains(r.stdout, "found: 1 Python files, no go.mod") {
		t.Fatalf("init: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	cfg := filepath.Join(py, "soakkit.yaml")
	written, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Windows has no permission bits: a writable file reads back as 0666.
	wantMode := os.FileMode(0o644)
	if runtime.GOOS == "windows" {
		wantMode = 0o666
	}
	if st, _ := os.Stat(cfg); st.Mode().Perm() != wantMode {
		t.Errorf("soakkit.yaml mode %v, want %v", st.Mode().Perm(), wantMode)
	}
	for _, want := range []string{"# soakkit.yaml for ", "- name: secrets", "# service:", "# notify:", "soakkit lint --write-baseline"} {
		if !strings.Contains(string(written), want) {
			t.Errorf("soakkit.yaml lacks %q:\n%s", want, written)
		}
	}
	r = soakkit(t, py, noPytest, "validate")
	if r.code != exitOK || !strings.Contains(r.stdout, "RESULT=OK") || strings.Contains(r.stderr, "embedded default") {
		t.Errorf("validate with the written file: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	os.WriteFile(cfg, []byte("# mine\n"), 0o644)
	r = soakkit(t, py, nil, "init")
	if got, _ := os.ReadFile(cfg); r.code != exitUsage || string(got) != "# mine\n" || !strings.Contains(r.stderr, "already exists; keeping it (--force replaces it)") {
		t.Errorf("init over an existing file: exit %d, file %q\nstderr: %s", r.code, got, r.stderr)
	}
	r = soakkit(t, py, nil, "init", "--force")
	if got, _ := os.ReadFile(cfg); r.code != exitOK || string(got) != string(written) {
		t.Errorf("init --force: exit %d, file replaced: %v\nstderr: %s", r.code, string(got) == string(written), r.stderr)
	}

	// In a Go module, from a package directory: the file goes to the module
	// root, where validate finds it.
	mod := t.TempDir()
	writeFiles(t, mod, map[string]string{"go.mod": "module example.com/tmp\n\ngo 1.26\n", "pkg/a.go": "package pkg\n"})
	r = soakkit(t, filepath.Join(mod, "pkg"), nil, "init")
	if r.code != exitOK || !strings.Contains(r.stdout, "found: Go module example.com/tmp") {
		t.Fatalf("init in a module: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(mod, "soakkit.yaml")); err != nil {
		t.Errorf("soakkit.yaml not at the module root: %v", err)
	}
	r = soakkit(t, filepath.Join(mod, "pkg"), nil, "validate", "--only", "secrets", "--artifacts", filepath.Join(t.TempDir(), "a"))
	if r.code != exitOK || strings.Contains(r.stderr, "embedded default") {
		t.Errorf("validate --only secrets with the written file: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}

	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"notes.txt": "x\n"})
	r = soakkit(t, empty, nil, "init")
	if _, err := os.Stat(filepath.Join(empty, "soakkit.yaml")); r.code != exitUsage || err == nil || !strings.Contains(r.stderr, "no default plan fits") {
		t.Errorf("init where nothing fits: exit %d, file written: %v\nstderr: %s", r.code, err == nil, r.stderr)
	}
}

// TestNotifyUnsetVariables runs validate and soak with a notify section
// whose environment variables are unset: neither fails, and both say the
// same thing, that the notifier is disabled and why.
func TestNotifyUnsetVariables(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"soakkit.yaml": "plan:\n  steps:\n    - name: version\n      run: [" + binary + ", --version]\n" +
		"notify:\n  telegram: {token_env: SOAKKIT_TEST_TG_TOKEN, chat_id_env: SOAKKIT_TEST_TG_CHAT}\n  slack: {url_env: SOAKKIT_TEST_SLACK}\n"})
	env := []string{"SOAKKIT_TEST_SLACK=", "SOAKKIT_TEST_TG_CHAT=42"}
	want := []string{
		"notify: telegram disabled: SOAKKIT_TEST_TG_TOKEN is not set",
		"notify: slack disabled: SOAKKIT_TEST_SLACK is not set",
	}
	for _, args := range [][]string{
		{"validate", "--artifacts", filepath.Join(dir, "v")},
		{"soak", "--iterations", "1", "--artifacts", filepath.Join(dir, "s")},
	} {
		r := soakkit(t, dir, env, args...)
		if r.code != exitOK {
			t.Errorf("soakkit %s: exit %d, want %d\nstdout: %s\nstderr: %s", args[0], r.code, exitOK, r.stdout, r.stderr)
		}
		for _, w := range want {
			if !strings.Contains(r.stderr, "soakkit "+args[0]+": "+w+"\n") {
				t.Errorf("soakkit %s: stderr lacks %q:\n%s", args[0], w, r.stderr)
			}
		}
		if strings.Contains(r.stderr, "notify: notify:") {
			t.Errorf("soakkit %s: doubled prefix:\n%s", args[0], r.stderr)
		}
	}
}

// TestLongWaitsGiveProgress runs a watch-only soak and a soak whose
// service never becomes ready, in CI mode: each logs a line every
// heartbeat, and the readiness failure names the check and the time waited.
func TestLongWaitsGiveProgress(t *testing.T) {
	sleep := sleeper(t)
	dir := t.TempDir()
	port := freePort(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		line     string // logged every heartbeat
		want     []string
	}{
		{"watch-only", nil, exitOK, `msg="soak watching" watching=true`, []string{"service_rss="}},
		{"not ready", []string{"--service-ready", "tcp:127.0.0.1:" + strconv.Itoa(port)}, exitFailed,
			`msg="soak waiting for the service" waiting_for="tcp 127.0.0.1:` + strconv.Itoa(port) + `"`,
			[]string{"service: ready: tcp 127.0.0.1:" + strconv.Itoa(port) + ": not ready after ", "refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"soak", "--duration", "5s", "--heartbeat", "1s", "--sample-interval", "200ms",
				"--artifacts", filepath.Join(t.TempDir(), "a"), "--service", `"` + sleep + `"`}, tt.args...)
			r := soakkit(t, dir, sleeperEnv, args...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			// 5s minus the stop reserve, a line a second: at least 2.
			if n := strings.Count(r.stderr, tt.line); n < 2 {
				t.Errorf("%d progress lines %s, want at least 2:\n%s", n, tt.line, r.stderr)
			}
			// Case-insensitive: each OS words a refused connection its own
			// way ("connection refused"; Windows: "actively refused it";
			// Wine: "Connection refused.").
			for _, w := range tt.want {
				if !strings.Contains(strings.ToLower(r.stdout+r.stderr), strings.ToLower(w)) {
					t.Errorf("output lacks %q:\nstdout: %s\nstderr: %s", w, r.stdout, r.stderr)
				}
			}
		})
	}
}

// TestPrintedPathsAbsolute checks that the report paths printed are
// absolute whether the artifacts root comes from the default, a config
// file or a relative flag.
func TestPrintedPathsAbsolute(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"sub/soakkit.yaml": "artifacts: out\nplan:\n  steps:\n    - name: version\n      run: [" + binary + ", --version]\n"})
	for _, args := range [][]string{
		{"validate", "--config", "sub/soakkit.yaml"},
		{"validate", "--config", "sub/soakkit.yaml", "--artifacts", "rel"},
		{"soak", "--iterations", "1", "--config", "sub/soakkit.yaml"},
		{"soak", "--iterations", "1", "--artifacts", "rel2", "--", binary, "--version"},
	} {
		r := soakkit(t, dir, nil, args...)
		if r.code != exitOK {
			t.Fatalf("soakkit %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
		}
		n := 0
		for _, l := range strings.Split(r.stdout+r.stderr, "\n") {
			for _, prefix := range []string{"report: ", "summary: "} {
				if p, ok := strings.CutPrefix(l, prefix); ok {
					n++
					if !filepath.IsAbs(p) {
						t.Errorf("soakkit %v printed a relative path: %q", args, l)
					} else if _, err := os.Stat(p); err != nil {
						t.Errorf("soakkit %v printed %q: %v", args, l, err)
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("soakkit %v printed no report path:\n%s%s", args, r.stdout, r.stderr)
		}
	}
}

// TestValidateRowsShowCounts checks that the validate table gives totals:
// the secrets row its findings and files (and not a second RESULT= marker),
// the lint row its findings by severity, the tests row its test counts.
func TestValidateRowsShowCounts(t *testing.T) {
	skipWithoutGo(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod":    "module example.com/rows\n\ngo 1.26\n",
		"a.go":      "package rows\n",
		"a_test.go": "package rows\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n\nfunc TestB(t *testing.T) { t.Skip(\"later\") }\n\nfunc TestC(t *testing.T) { t.Fail() }\n",
		"app.py":    "REQS.labels(user_id='42').inc()\n",
		"creds.txt": "token = " + "AKIA" + "IOSFODNN7EXAMPLQ" + "\n",
		"soakkit.yaml": "plan:\n  steps:\n    - name: lint\n      builtin: lint\n      args: [app.py]\n" +
			"    - name: secrets\n      builtin: secrets\n      args: [.]\n    - name: tests\n      go_test: [./...]\n",
	})
	r := soakkit(t, dir, nil, "validate", "--artifacts", filepath.Join(t.TempDir(), "a"))
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, exitFailed, r.stdout, r.stderr)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = l
		}
	}
	for step, wants := range map[string][]string{
		"lint":    {"0 errors, 1 warnings"},
		"secrets": {"scanned 6 file(s)", "1 finding(s)"}, // with soakkit.yaml
		"tests":   {"1 passed", "1 failed", "1 skipped"},
	} {
		for _, w := range wants {
			if !strings.Contains(rows[step], w) {
				t.Errorf("row %s lacks %q: %q\n%s", step, w, rows[step], r.stdout)
			}
		}
	}
	if n := strings.Count(r.stdout, "RESULT="); n != 1 {
		t.Errorf("validate stdout has %d RESULT= markers, want 1:\n%s", n, r.stdout)
	}
}

// word matches a word; repeatSep what separates a word from its
// repetition ("service service", "soak: soak:"). A quoted name
// (service "service") is not a repetition.
var (
	word      = regexp.MustCompile(`[A-Za-z]{3,}`)
	repeatSep = regexp.MustCompile(`^:? $`)
)

// doubledWords returns the words of l that directly repeat the word before.
func doubledWords(l string) []string {
	var out []string
	locs := word.FindAllStringIndex(l, -1)
	for i := 1; i < len(locs); i++ {
		prev, cur := l[locs[i-1][0]:locs[i-1][1]], l[locs[i][0]:locs[i][1]]
		if strings.EqualFold(prev, cur) && repeatSep.MatchString(l[locs[i-1][1]:locs[i][0]]) {
			out = append(out, cur)
		}
	}
	return out
}

// TestMessagesNotDoubled runs commands into their error and failure
// messages and checks that none repeats a word ("service service",
// "soak: soak:", "notify: notify:").
func TestMessagesNotDoubled(t *testing.T) {
	for give, want := range map[string]int{
		"soakkit soak: soak: config": 1, "notify: notify: webhook": 1, "service service (pid 1)": 1,
		`service "service" (pid 1)`: 0, "the soak stopped: service_exited": 0,
	} {
		if got := doubledWords(give); len(got) != want {
			t.Errorf("doubledWords(%q) = %q, want %d", give, got, want)
		}
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"bad-baseline.txt": "not a fingerprint\n",
		"notify.yaml":      "plan:\n  steps:\n    - name: v\n      run: [" + binary + ", --version]\nnotify:\n  webhook: {url: 'ftp://x'}\n",
	})
	runs := [][]string{
		{"soak", "--max-bytes", "10KiB", "--iterations", "1", "--", binary, "--version"},
		{"soak", "--iterations", "1", "--config", "notify.yaml"},
		{"soak", "--iterations", "1", "--artifacts", filepath.Join(dir, "f"), "--", binary, "--no-such-flag"},
		{"secrets", "--baseline", "bad-baseline.txt", "."},
		{"lint", "--baseline", "bad-baseline.txt", "."},
		{"validate", "--config", "nope.yaml"},
	}
	if sh, err := exec.LookPath("sh"); err == nil {
		runs = append(runs, []string{"soak", "--duration", "3s", "--artifacts", filepath.Join(dir, "a"), "--service", sh + ` -c "echo bye; exit 3"`})
	}
	for _, args := range runs {
		r := soakkit(t, dir, nil, args...)
		if r.code == exitOK {
			t.Errorf("soakkit %v: exit 0, want an error", args)
		}
		said := map[string]bool{}
		for _, l := range strings.Split(r.stdout+r.stderr, "\n") {
			if strings.Contains(l, "level=") {
				continue // log records: key=value pairs
			}
			for _, w := range doubledWords(l) {
				t.Errorf("soakkit %v: doubled %q in %q", args, w, l)
			}
			// A finding printed as the headline and again as a bullet
			// reads as two problems.
			text := verdictLine.ReplaceAllString(l, "")
			if text != "" && said[text] {
				t.Errorf("soakkit %v: %q said twice\nstdout: %s", args, text, r.stdout)
			}
			said[text] = true
		}
	}
}

// verdictLine matches what sets a verdict's lines apart: the status of
// the headline or the bullet of a finding.
var verdictLine = regexp.MustCompile(`^(?:[A-Z]+: |  - )`)

// TestReadinessStartTimeout lets the service's start_timeout, not the
// soak's deadline, end the readiness wait: the error names the check, the
// time waited and the timeout.
func TestReadinessStartTimeout(t *testing.T) {
	sleep := sleeper(t)
	dir := t.TempDir()
	port := strconv.Itoa(freePort(t))
	writeFiles(t, dir, map[string]string{"soakkit.yaml": "soak:\n  duration: 1m\n  service:\n    argv: [" + strconv.Quote(sleep) + "]\n" +
		"    ready: {tcp: \"127.0.0.1:" + port + "\"}\n    start_timeout: 2s\n"})
	r := soakkit(t, dir, sleeperEnv, "soak", "--heartbeat", "1s")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, exitFailed, r.stdout, r.stderr)
	}
	// The wait is rounded to the millisecond: exactly "2s" when the
	// deadline's timer fires within half a millisecond.
	want := regexp.MustCompile(`service: ready: tcp 127\.0\.0\.1:` + port + `: not ready after 2(\.\d+)?s \(start_timeout 2s\): tcp 127\.0\.0\.1:` + port + `: `)
	if !want.MatchString(r.stdout + r.stderr) {
		t.Errorf("output lacks %s\nstdout: %s\nstderr: %s", want, r.stdout, r.stderr)
	}
}

// TestConfigWithoutPlan: a soakkit.yaml without plan steps is nothing to
// validate or soak (exit 2, saying so), unless it has a service, which a
// soak then watches.
func TestConfigWithoutPlan(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"soakkit.yaml": "soak:\n  duration: 1m\n"})
	for _, tt := range []struct {
		cmd, want string
	}{
		{"validate", "nothing to validate: plan.steps is empty"},
		{"soak", "nothing to soak: no plan.steps and no soak.service"},
	} {
		r := soakkit(t, dir, nil, tt.cmd)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stdout, "RESULT=") {
			t.Errorf("soakkit %s: exit %d, want %d and %q\nstdout: %s\nstderr: %s", tt.cmd, r.code, exitUsage, tt.want, r.stdout, r.stderr)
		}
	}
	writeFiles(t, dir, map[string]string{"soakkit.yaml": "soak:\n  duration: 3s\n  service:\n    argv: [" + strconv.Quote(sleeper(t)) + "]\n"})
	r := soakkit(t, dir, sleeperEnv, "soak", "--heartbeat", "1s")
	if r.code != exitOK || !strings.Contains(r.stderr, `msg="soak watching"`) {
		t.Errorf("soak of a config with a service only: exit %d, want %d and a watch\nstdout: %s\nstderr: %s", r.code, exitOK, r.stdout, r.stderr)
	}
}

// TestProgressLine checks the live line of each kind of progress.
func TestProgressLine(t *testing.T) {
	tests := []struct {
		name string
		give soak.Progress
		want string
	}{
		{"iteration", soak.Progress{Iteration: 3, Elapsed: 65 * time.Second, ETA: time.Minute, Counts: artifact.Counts{Passed: 2, Failed: 1}},
			"\r\033[Kiteration 3  elapsed 1m5s  eta 1m0s  passed 2  failed 1  rss 0.0 MiB"},
		{"watching", soak.Progress{Watching: true, Elapsed: 5 * time.Second, ETA: -1, Latest: map[string]artifact.Figures{"service": {RSS: 3 << 20}}},
			"\r\033[Kwatching the service  elapsed 5s  eta ?  rss 3.0 MiB"},
		{"waiting", soak.Progress{Waiting: "tcp 127.0.0.1:8080", Elapsed: 2 * time.Second, ETA: -1},
			"\r\033[Kwaiting for the service (tcp 127.0.0.1:8080)  elapsed 2s"},
	}
	for _, tt := range tests {
		var b strings.Builder
		progressLine(&b)(tt.give)
		if b.String() != tt.want {
			t.Errorf("%s: progress line %q, want %q", tt.name, b.String(), tt.want)
		}
	}
}
