package main_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/internal/winetest"
)

// TestVetTool builds soakkit-vet and runs it under go vet -vettool on a
// throwaway module that uses the real client_golang from the module cache
// (GOPROXY=off: no network). It checks that findings are reported, that
// -config reaches every analyzer, and that a disabled analyzer is silent.
func TestVetTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs go vet")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "soakkit-vet")
	if runtime.GOOS == "windows" {
		tool += ".exe"
	}
	build := exec.Command(goBin, "build", "-o", tool, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	root := filepath.Join("..", "..")
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(tmp, "mod")
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(mod, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", regexp.MustCompile(`(?m)^module .*$`).ReplaceAllString(string(gomod), "module example.com/vetmod"))
	write("go.sum", string(gosum))
	write("lint.yaml", "metrics:\n  labels:\n    allow: [env]\n")
	write("m/m.go", `package m

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/prometheus/client_golang/prometheus"
)

var V = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jobs_total", Help: "Jobs."}, []string{"env", "customer"})

func F(p string) {
	V.WithLabelValues("prod")
	b, _ := json.Marshal(1)
	os.WriteFile(p, b, 0o644)
	fmt.Println("✓ done")
	V.WithLabelValues("a", "b", "c") // lint-ok: metriclabels/arity -- exercised on purpose
}
`)
	write("use/use.go", `package use

import "example.com/vetmod/m"

func G() { m.V.WithLabelValues("a", "b", "c", "d") }
`)
	configEnv := "SOAKKIT_LINT_CONFIG="
	vet := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(goBin, append([]string{"vet", "-vettool=" + tool}, append(args, "./...")...)...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", configEnv)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("go vet: %v", err)
		}
		return out.String(), code
	}

	out, code := vet()
	if code == 0 {
		t.Fatalf("go vet exit 0, want failure; output:\n%s", out)
	}
	if strings.Contains(out, "not in the allowlist") {
		t.Errorf("the default profile has no allowlist, go vet reports one:\n%s", out)
	}
	for _, want := range []string{
		`m.go:14:19: WithLabelValues: 1 values for 2 labels [env customer] of "jobs_total"`,
		`m.go:16:2: JSON from json.Marshal written with os.WriteFile is not atomic`,
		`m.go:17:15: non-ASCII character U+2713`,
		`use.go:5:31: WithLabelValues: 4 values for 2 labels [env customer] of "jobs_total"`, // through a VecFact
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go vet output lacks %q; got:\n%s", want, out)
		}
	}
	if strings.Contains(out, "3 values") {
		t.Errorf("suppressed finding reported:\n%s", out)
	}

	out, _ = vet("-config="+filepath.Join(mod, "lint.yaml"), "-asciilogs=false")
	if !strings.Contains(out, `m.go:11:109: label "customer" is not in the allowlist (metric "jobs_total")`) {
		t.Errorf("-config did not reach metriclabels:\n%s", out)
	}
	if strings.Contains(out, "non-ASCII") {
		t.Errorf("-asciilogs=false did not disable asciilogs:\n%s", out)
	}
	if !strings.Contains(out, "WithLabelValues: 1 values") {
		t.Errorf("metriclabels silent with -config:\n%s", out)
	}

	// go vet caches results by the tool's -V=full identity, the flags'
	// text and the package. The identity includes the contents of the file
	// named by $SOAKKIT_LINT_CONFIG, so editing that file gives fresh
	// results without -a.
	const notAllowed = `m.go:11:109: label "customer" is not in the allowlist`
	configEnv = "SOAKKIT_LINT_CONFIG=" + filepath.Join(mod, "lint.yaml")
	if out, _ := vet(); !strings.Contains(out, notAllowed) {
		t.Errorf("$SOAKKIT_LINT_CONFIG did not reach metriclabels:\n%s", out)
	}
	write("lint.yaml", "metrics:\n  labels:\n    allow: [env, customer]\n")
	if out, _ := vet(); strings.Contains(out, notAllowed) {
		t.Errorf("after allowing customer in $SOAKKIT_LINT_CONFIG's file, go vet still reports it (stale cache):\n%s", out)
	}
	write("lint.yaml", "metrics:\n  labels:\n    allow: [env]\n")
	if out, _ := vet(); !strings.Contains(out, notAllowed) {
		t.Errorf("after removing customer again, go vet does not report it (stale cache):\n%s", out)
	}

	configEnv = "SOAKKIT_LINT_CONFIG="
}

// TestVetVersionFoldsConfig checks the -V=full identity go vet keys its
// cache on: it changes with the contents of $SOAKKIT_LINT_CONFIG's file
// and keeps the format go vet parses.
func TestVetVersionFoldsConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	winetest.Skip(t, "builds soakkit-vet with the go command; no Windows Go toolchain inside Wine")
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "soakkit-vet")
	if runtime.GOOS == "windows" {
		tool += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cfg := filepath.Join(tmp, "lint.yaml")
	version := func(env string) string {
		t.Helper()
		cmd := exec.Command(tool, "-V=full")
		cmd.Env = append(os.Environ(), env)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("-V=full: %v", err)
		}
		f := strings.Fields(string(out))
		if len(f) < 4 || f[1] != "version" || !strings.Contains(f[2], "devel") || !strings.HasPrefix(f[len(f)-1], "buildID=") {
			t.Fatalf("-V=full = %q, not the form go vet parses", out)
		}
		return f[len(f)-1]
	}
	none := version("SOAKKIT_LINT_CONFIG=")
	os.WriteFile(cfg, []byte("metrics:\n  labels:\n    allow: [env]\n"), 0o644)
	a := version("SOAKKIT_LINT_CONFIG=" + cfg)
	if a2 := version("SOAKKIT_LINT_CONFIG=" + cfg); a2 != a {
		t.Errorf("-V=full is not stable: %s then %s", a, a2)
	}
	os.WriteFile(cfg, []byte("metrics:\n  labels:\n    allow: [env, customer]\n"), 0o644)
	b := version("SOAKKIT_LINT_CONFIG=" + cfg)
	if a == none || b == a {
		t.Errorf("-V=full ignores the configuration: none %s, first %s, edited %s", none, a, b)
	}
}
