package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// readmeConfig returns the soakkit.yaml sample of the README's
// Configuration section, as written.
func readmeConfig(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "One file, `soakkit.yaml`")
	if i < 0 {
		t.Fatal("README.md: no Configuration section introducing soakkit.yaml")
	}
	s = s[i:]
	start := strings.Index(s, "```yaml\n")
	if start < 0 {
		t.Fatal("README.md: no yaml block after the soakkit.yaml introduction")
	}
	s = s[start+len("```yaml\n"):]
	end := strings.Index(s, "```")
	if end < 0 {
		t.Fatal("README.md: unterminated yaml block")
	}
	return s[:end]
}

// readmeModule is a small Go module for the README's sample: a server
// (built to bin/server, listening on --port) and a test that writes the
// numbers the sample's gate reads.
var readmeModule = map[string]string{
	"go.mod": "module example.com/sample\n\ngo 1.26\n",
	"main.go": `package main

import (
	"flag"
	"net/http"
)

func main() {
	port := flag.String("port", "8080", "listen port")
	flag.Parse()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(greet("soak"))) })
	if err := http.ListenAndServe("127.0.0.1:"+*port, nil); err != nil {
		panic(err)
	}
}

func greet(name string) string { return "hello, " + name }
`,
	"main_test.go": `package main

import (
	"os"
	"testing"
)

func TestGreet(t *testing.T) {
	if got := greet("x"); got != "hello, x" {
		t.Fatalf("greet = %q", got)
	}
	// The numbers the sample's gate reads.
	if err := os.MkdirAll("artifacts", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("artifacts/kpi.json", []byte("{\"latency_p95_ms\": 12}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
`,
	".gitignore": "artifacts/\nbin/\n",
}

// TestReadmeConfig runs the README's soakkit.yaml sample as written on a
// small module: validate first says which files are missing and which
// commands create them; once they exist (and bin/server is built), validate
// passes and a short soak with the service passes too. Its notify block,
// with the variables unset, disables the notifier with the same note in
// both. The only change made to the sample is the service's port, 8080,
// replaced by a free one.
func TestReadmeConfig(t *testing.T) {
	skipWithoutGo(t)
	if testing.Short() {
		t.Skip("runs go vet, the lints, a history secret scan and go test on a temporary module, then a soak")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the sample scans the git history: no git")
	}
	sample := readmeConfig(t)
	if !strings.Contains(sample, `"8080"`) || !strings.Contains(sample, "127.0.0.1:8080") {
		t.Fatalf("the sample's service no longer listens on 8080; update this test:\n%s", sample)
	}
	dir := t.TempDir()
	files := map[string]string{"soakkit.yaml": strings.ReplaceAll(sample, "8080", strconv.Itoa(freePort(t)))}
	for k, v := range readmeModule {
		files[k] = v
	}
	writeFiles(t, dir, files)
	env := []string{"TELEGRAM_BOT_TOKEN=", "TELEGRAM_CHAT_ID=", "SKIP_TESTS=",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	server := filepath.Join("bin", "server")
	if runtime.GOOS == "windows" {
		server += ".exe"
	}
	for _, c := range [][]string{
		{"go", "build", "-o", server, "."},
		{"git", "init", "-q"},
		{"git", "add", "."},
		{"git", "commit", "-q", "-m", "sample"},
	} {
		cmd := exec.CommandContext(t.Context(), c[0], c[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", c, err, out)
		}
	}

	r := soakkit(t, dir, env, "validate")
	for _, want := range []string{
		"lint.baseline: .lint-baseline.json: no such file; create it with `soakkit lint --write-baseline .lint-baseline.json`",
		"secrets.baseline: .secrets-baseline.json: no such file; create it with `soakkit secrets --write-baseline .secrets-baseline.json`",
	} {
		if r.code != exitUsage || !strings.Contains(r.stderr, want) {
			t.Errorf("validate without the baselines: exit %d, want %d and %q\nstderr: %s", r.code, exitUsage, want, r.stderr)
		}
	}
	for _, args := range [][]string{{"lint", "--write-baseline", ".lint-baseline.json"}, {"secrets", "--write-baseline", ".secrets-baseline.json"}} {
		if r := soakkit(t, dir, env, args...); r.code != exitOK {
			t.Fatalf("soakkit %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
		}
	}

	note := "notify: telegram disabled: TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID are not set"
	r = soakkit(t, dir, env, "validate")
	if r.code != exitOK || !strings.Contains(r.stdout, "RESULT=OK") {
		t.Fatalf("validate with the README's sample: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"vet", "checks", "lint", "secrets", "tests"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("validate table lacks step %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "soakkit validate: "+note) {
		t.Errorf("validate does not say that notification is disabled:\n%s", r.stderr)
	}

	r = soakkit(t, dir, env, "soak", "--iterations", "1", "--sample-interval", "200ms")
	if r.code != exitOK {
		t.Fatalf("soak with the README's sample: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "soakkit soak: "+note) {
		t.Errorf("soak does not say that notification is disabled:\n%s", r.stderr)
	}
	var sum struct {
		Verdict struct {
			Status string `json:"status"`
		} `json:"verdict"`
		Gates []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"gates"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "artifacts", "soak", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Verdict.Status != "passed" {
		t.Errorf("soak verdict %q, want passed\n%s", sum.Verdict.Status, r.stdout)
	}
	if len(sum.Gates) != 2 {
		t.Errorf("summary has %d gates, want the sample's 2: %+v", len(sum.Gates), sum.Gates)
	}
	for _, g := range sum.Gates {
		if g.Status != "pass" {
			t.Errorf("gate %s: %s, want pass", g.Name, g.Status)
		}
	}
}

// freePort returns a TCP port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
