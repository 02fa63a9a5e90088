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
	vet := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(goBin, append([]string{"vet", "-vettool=" + tool}, append(args, "./...")...)...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "SOAKKIT_LINT_CONFIG=")
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
}
