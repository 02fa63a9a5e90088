package secrets

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/secrets/internal/gen"
	"go.uber.org/goleak"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestMain(m *testing.M) {
	code := m.Run()
	if benchCorpus.dir != "" {
		os.RemoveAll(benchCorpus.dir)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixedSecrets are deterministic generated values used by the golden tests.
func fixedSecrets() (ghp, stripe, pw string) {
	r := rand.New(rand.NewPCG(42, 42))
	return gen.Kinds[3].Gen(r), "sk_live_" + gen.Str(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 30), "Zq8!xLm#40pR"
}

func testTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ghp, stripe, pw := fixedSecrets()
	writeFiles(t, dir, map[string]string{
		"src/app.py":         "import os\nTOKEN = \"" + ghp + "\"\n",
		"src/ok.py":          "print('hello')\n",
		"config/prod.env":    "DB_PASSWORD=" + pw + "\nSTRIPE=" + stripe + " # soakkit:allow\n",
		"tests/fixture.yaml": "api_secret: " + stripe + "\n",
		"ci/creds.yaml":      "BYBIT_API_KEY: \"test_api_key_for_ci_only\"\n", // soakkit:allow: test fixture, not a credential
		"artifacts/run.log":  "leaked " + ghp + "\n",
		"assets/logo.png":    "\x89PNG\x00\x00binary",
		"bundle/app.min.js":  strings.Repeat("var a=1;", 100000) + "k=\"" + ghp + "\";" + strings.Repeat("b=2;", 100000),
		"docs/.git/config":   "token = " + ghp + "\n",
		"docs/readme.txt":    "key: AKIAIOSFODNN7EXAMPLE\n",
	})
	return dir
}

func TestScanTree(t *testing.T) {
	dir := testTree(t)
	s := &Scanner{Root: dir, ArtifactsDir: filepath.Join(dir, "artifacts"), Workers: 3, ChunkSize: 64 << 10,
		Allowlists: []Allowlist{{Globs: []string{"tests/**"}}}}
	rep, err := s.Scan(t.Context(), filepath.Join(dir, "src"), filepath.Join(dir, "config"), filepath.Join(dir, "tests"),
		filepath.Join(dir, "ci"), filepath.Join(dir, "assets"), filepath.Join(dir, "bundle"), filepath.Join(dir, "docs"))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		File, Rule string
		Line       int
		Sup        Suppression
		Crit       bool
	}
	var got []row
	for _, f := range rep.Findings {
		got = append(got, row{f.File, f.RuleID, f.Line, f.Suppressed, f.Critical})
		if strings.Contains(f.Match, f.Secret) {
			t.Errorf("finding %v: Match contains the secret", f)
		}
	}
	want := []row{
		{"artifacts/run.log", "github-pat", 1, "", true},
		{"bundle/app.min.js", "github-pat", 1, "", false},
		{"ci/creds.yaml", "generic-secret", 1, TestCredential, false},
		{"config/prod.env", "generic-password", 1, "", false},
		{"config/prod.env", "stripe-secret-key", 2, InlineAllowed, false},
		{"src/app.py", "github-pat", 2, "", false},
		{"tests/fixture.yaml", "stripe-secret-key", 1, Allowlisted, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan findings mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"assets/logo.png"}, rep.Binary); diff != "" {
		t.Errorf("Binary mismatch (-want +got):\n%s", diff)
	}
	if rep.Result() != Critical || rep.ExitCode() != ExitCritical || rep.Marker() != "| scan_secrets | FAIL | RESULT=CRITICAL |" {
		t.Errorf("Result = %s, ExitCode = %d, Marker = %q", rep.Result(), rep.ExitCode(), rep.Marker())
	}
	for _, f := range rep.Findings {
		if f.File == "bundle/app.min.js" && f.Column != 800000+4 {
			t.Errorf("minified bundle finding at column %d, want %d", f.Column, 800004)
		}
	}
}

func TestResultPriority(t *testing.T) {
	tests := []struct {
		name     string
		give     Report
		want     Result
		wantCode int
	}{
		{"clean", Report{}, Clean, 0},
		{"suppressed", Report{Findings: []Finding{{Suppressed: Allowlisted}}}, Clean, 0},
		{"strict", Report{Strict: true, Findings: []Finding{{Suppressed: Allowlisted}}}, AllowlistedStrict, 1},
		{"strict-baseline", Report{Strict: true, Findings: []Finding{{Suppressed: Baselined}}}, Clean, 0},
		{"found", Report{Findings: []Finding{{}}, Errors: []UnreadFile{{}}}, Found, 1},
		{"error", Report{Errors: []UnreadFile{{Path: "x"}}}, Unreadable, 2},
		{"critical", Report{Findings: []Finding{{}, {Critical: true}}}, Critical, 4},
	}
	for _, tt := range tests {
		if got := tt.give.Result(); got != tt.want || tt.give.ExitCode() != tt.wantCode {
			t.Errorf("%s: Result() = %s (exit %d), want %s (exit %d)", tt.name, got, tt.give.ExitCode(), tt.want, tt.wantCode)
		}
		ok := strings.Contains(tt.give.Marker(), "| OK |")
		if ok != (tt.wantCode == 0) {
			t.Errorf("%s: Marker() = %q disagrees with exit code %d", tt.name, tt.give.Marker(), tt.wantCode)
		}
	}
}

func TestBaselineAndStrict(t *testing.T) {
	dir := testTree(t)
	src := filepath.Join(dir, "src")
	s := &Scanner{Root: dir}
	rep, err := s.Scan(t.Context(), src)
	if err != nil || len(rep.Findings) != 1 {
		t.Fatalf("Scan = %v, %v", rep, err)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, FormatJSON); err != nil {
		t.Fatal(err)
	}
	base, err := ParseBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// Moving the secret to another line keeps the fingerprint.
	ghp, _, _ := fixedSecrets()
	writeFiles(t, dir, map[string]string{"src/app.py": "import os\n\n\n# moved\nTOKEN = \"" + ghp + "\"\n"})
	s = &Scanner{Root: dir, Baseline: base, Strict: true}
	rep, err = s.Scan(t.Context(), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Suppressed != Baselined || rep.Findings[0].Line != 5 || rep.ExitCode() != 0 {
		t.Errorf("after move: %v, exit %d", rep.Findings, rep.ExitCode())
	}
	// A different secret on the same line is new.
	writeFiles(t, dir, map[string]string{"src/app.py": "TOKEN = \"" + gen.Kinds[3].Gen(rand.New(rand.NewPCG(9, 9))) + "\"\n"})
	rep, _ = s.Scan(t.Context(), src)
	if len(rep.Findings) != 1 || rep.Findings[0].Suppressed != "" || rep.BaselineUnused != 1 {
		t.Errorf("new secret: %v, unused %d", rep.Findings, rep.BaselineUnused)
	}
	// Text baseline format.
	if _, err := ParseBaseline("b.txt", []byte("# accepted\n"+rep.Findings[0].Fingerprint+"  # why\n")); err != nil {
		t.Errorf("ParseBaseline(text) = %v", err)
	}
	if _, err := ParseBaseline("b.txt", []byte("nonsense\n")); err == nil {
		t.Errorf("ParseBaseline accepted a bad line")
	}
}

func TestOriginalAllowlist(t *testing.T) {
	data := "# masks\n****\n^X{4,}$\ntests/**\nconftest.py\nPLACEHOLDER\nExample:.*\n"
	als, err := ParseOriginalAllowlist("allowlist.txt", strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, line string
		want       bool
	}{
		{"tests/unit/x.py", "anything", true},
		{"src/conftest.py", "anything", true},
		{"src/app.py", "token = PLACEHOLDER_abc", true},
		{"src/app.py", "XXXXXX", true},
		{"src/app.py", "Example: foo", false}, // as in scan_secrets.py: only a literal substring
		{"src/app.py", "Example:.* foo", true},
		{"src/app.py", "token = real", false},
	}
	for _, tt := range tests {
		got := false
		for i := range als {
			if als[i].matches("r", tt.path, "secret", "m", tt.line, "") {
				got = true
			}
		}
		if got != tt.want {
			t.Errorf("allowlist(%q, %q) = %v, want %v", tt.path, tt.line, got, tt.want)
		}
	}
	if _, err := ParseOriginalAllowlist("a", strings.NewReader("^([a-$\n")); err == nil {
		t.Errorf("bad regex entry accepted")
	}
}

func TestScanErrors(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getuid() == 0 {
		t.Skip("permissions not enforced")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "x", "b.txt": "y"})
	os.Chmod(filepath.Join(dir, "b.txt"), 0)
	rep, err := (&Scanner{Root: dir}).Scan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Result() != Unreadable || rep.ExitCode() != ExitError {
		t.Errorf("Errors = %v, Result = %s", rep.Errors, rep.Result())
	}
}

func TestScanMissingPathAndCancel(t *testing.T) {
	if _, err := (&Scanner{}).Scan(t.Context(), filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Errorf("Scan(missing) succeeded")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := (&Scanner{}).Scan(ctx, testTree(t)); err == nil {
		t.Errorf("Scan(canceled) succeeded")
	}
}

func TestChunkBoundaries(t *testing.T) {
	// Secrets at every offset around chunk boundaries are found exactly once.
	r := rand.New(rand.NewPCG(21, 22))
	ghp := gen.Kinds[3].Gen(r)
	key := gen.PEM(r, "EC", 10)
	for _, pad := range []int{32<<10 - 30, 32<<10 - 2, 32 << 10, 48<<10 - 10, 64<<10 - 100} {
		body := strings.Repeat("x", pad) + " " + ghp + "\n" + strings.Repeat("y ", 9000) + "\n" + key + "\n"
		rep, err := (&Scanner{ChunkSize: 32 << 10}).ScanReader(t.Context(), "f", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range rep.Findings {
			ids = append(ids, f.RuleID)
		}
		if diff := cmp.Diff([]string{"github-pat", "private-key"}, ids); diff != "" {
			t.Errorf("pad %d: findings mismatch (-want +got):\n%s", pad, diff)
		}
		if len(rep.Findings) == 2 && (rep.Findings[0].Column != pad+2 || rep.Findings[1].Line != 3) {
			t.Errorf("pad %d: positions %s, %s", pad, rep.Findings[0].Location(), rep.Findings[1].Location())
		}
	}
}

func gitCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestScanGitAndStaged(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(31, 32))
	old, added, staged := gen.Kinds[3].Gen(r), gen.Kinds[17].Gen(r), gen.Kinds[13].Gen(r)
	gitCmd(t, dir, "init", "-q")
	writeFiles(t, dir, map[string]string{"a.txt": "one\ntoken=" + old + "\nthree\n"})
	gitCmd(t, dir, "add", ".")
	gitCmd(t, dir, "commit", "-q", "-m", "base")
	gitCmd(t, dir, "tag", "base")
	writeFiles(t, dir, map[string]string{
		"a.txt":              "one\ntoken=" + old + "\nthree\nfour\nnpm=" + added + "\n",
		"dir/with space.txt": "x\n",
	})
	gitCmd(t, dir, "add", ".")
	gitCmd(t, dir, "commit", "-q", "-m", "head")
	rep, err := (&Scanner{}).ScanGit(t.Context(), dir, "base..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].RuleID != "npm-token" || rep.Findings[0].Line != 5 || rep.Findings[0].File != "a.txt" || rep.Files != 2 {
		t.Errorf("ScanGit = %v (files %d)", rep.Findings, rep.Files)
	}
	writeFiles(t, dir, map[string]string{"b.env": "GOOGLE=" + staged + "\n"})
	gitCmd(t, dir, "add", "b.env")
	rep, err = (&Scanner{}).ScanStaged(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].RuleID != "google-api-key" || rep.Findings[0].File != "b.env" {
		t.Errorf("ScanStaged = %v", rep.Findings)
	}
	if _, err := (&Scanner{}).ScanGit(t.Context(), dir, "nosuchref..HEAD"); err == nil {
		t.Errorf("ScanGit(bad range) succeeded")
	}
}

func TestScanOverlappingPaths(t *testing.T) {
	dir := testTree(t)
	once, err := (&Scanner{Root: dir}).Scan(t.Context(), filepath.Join(dir, "src"))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := (&Scanner{Root: dir}).Scan(t.Context(), filepath.Join(dir, "src", "app.py"), filepath.Join(dir, "src"), filepath.Join(dir, "src"))
	if err != nil {
		t.Fatal(err)
	}
	if len(twice.Findings) != len(once.Findings) || twice.Files != once.Files {
		t.Errorf("overlapping paths: %d findings in %d files, want %d in %d", len(twice.Findings), twice.Files, len(once.Findings), once.Files)
	}
}

// TestScanStagedDiffPrefixConfig checks that a user's diff prefix settings
// do not change the reported paths ("+++ i/b.env" with mnemonicPrefix).
func TestScanStagedDiffPrefixConfig(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	r := rand.New(rand.NewPCG(33, 34))
	for _, setting := range []string{"diff.mnemonicPrefix", "diff.noprefix"} {
		dir := t.TempDir()
		gitCmd(t, dir, "init", "-q")
		gitCmd(t, dir, "config", setting, "true")
		writeFiles(t, dir, map[string]string{"b/c.env": "GOOGLE=" + gen.Kinds[13].Gen(r) + "\n", "bin.dat": "\x00\x01"})
		gitCmd(t, dir, "add", ".")
		rep, err := (&Scanner{}).ScanStaged(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 1 || rep.Findings[0].File != "b/c.env" || len(rep.Binary) != 1 || rep.Binary[0] != "bin.dat" {
			t.Errorf("%s: ScanStaged = %v, binary %q; want one finding in b/c.env, binary bin.dat", setting, rep.Findings, rep.Binary)
		}
	}
}

// TestScanArtifactsDespiteExclude checks that Exclude cannot hide the
// artifacts directory, whether it matches the directory or an ancestor.
func TestScanArtifactsDespiteExclude(t *testing.T) {
	dir := testTree(t)
	nested := filepath.Join(dir, "out", "artifacts")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "artifacts", "run.log"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(nested, "run.log"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, artifacts string
		exclude         []string
		want            string
	}{
		{"dir", "artifacts", []string{"**/artifacts"}, "artifacts/run.log"},
		{"ancestor", "out/artifacts", []string{"out"}, "out/artifacts/run.log"},
	}
	for _, tt := range tests {
		s := &Scanner{Root: dir, ArtifactsDir: filepath.Join(dir, filepath.FromSlash(tt.artifacts)), Exclude: tt.exclude}
		rep, err := s.Scan(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var crit []string
		for _, f := range rep.Findings {
			if f.Critical {
				crit = append(crit, f.File)
			}
		}
		if len(crit) != 1 || crit[0] != tt.want || rep.ExitCode() != ExitCritical {
			t.Errorf("%s: critical findings in %q (exit %d), want one in %s (exit %d)", tt.name, crit, rep.ExitCode(), tt.want, ExitCritical)
		}
	}
}

// TestBinarySniffLength checks the documented sniff window: a NUL anywhere
// in the first 8 KiB makes a file binary, a later one does not.
func TestBinarySniffLength(t *testing.T) {
	for _, tt := range []struct {
		at     int
		binary bool
	}{{0, true}, {8<<10 - 1, true}, {8 << 10, false}} {
		in := []byte(strings.Repeat("x", 9<<10))
		in[tt.at] = 0
		rep, err := (&Scanner{}).ScanReader(t.Context(), "f", bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rep.Binary) == 1; got != tt.binary {
			t.Errorf("NUL at byte %d: binary = %v, want %v", tt.at, got, tt.binary)
		}
	}
}
