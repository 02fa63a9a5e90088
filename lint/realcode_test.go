//go:build realcode

package lint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/lint"
)

// realModules are clean, Prometheus-instrumented modules the default
// profile must pass. SOAKKIT_REALCODE_MODULES (space-separated
// MODULE@VERSION) replaces the list.
var realModules = []string{
	"github.com/prometheus/client_golang@v1.25.0",
	"github.com/prometheus/node_exporter@v1.12.1",
}

// TestRealCode lints real modules from the Go module proxy with no
// configuration, as `soakkit lint .` does in a fresh checkout, and
// requires exit status 0: the default profile must fit code it has never
// seen. It logs the findings by severity and rule. It needs the network
// (or a warm module cache) and skips cleanly without it:
//
//	go test -tags realcode -run TestRealCode -v ./lint/
func TestRealCode(t *testing.T) {
	mods := realModules
	if env := os.Getenv("SOAKKIT_REALCODE_MODULES"); env != "" {
		mods = strings.Fields(env)
	}
	for _, mv := range mods {
		t.Run(mv, func(t *testing.T) {
			dir := fetchModule(t, mv)
			start := time.Now()
			rep, err := lint.Run(t.Context(), lint.Options{Dir: dir}, ".")
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			errs, warns, infos, _ := rep.Counts()
			t.Logf("%s: %s (%v)", mv, rep.Summary(), time.Since(start).Round(time.Millisecond))
			t.Logf("%s: counts by severity: error=%d warning=%d info=%d", mv, errs, warns, infos)
			byRule := map[string]int{}
			for _, f := range rep.Findings {
				byRule[string(f.Severity)+" "+f.Rule]++
			}
			for k, n := range byRule {
				t.Logf("%s:   %5d %s", mv, n, k)
			}
			for _, f := range rep.Findings {
				if f.Severity != "info" {
					t.Logf("%s:   %v", mv, f)
				}
			}
			for _, e := range rep.Errors {
				t.Errorf("target error: %v", e)
			}
			if rep.Kinds.Go == 0 {
				t.Errorf("no Go file linted")
			}
			if code := rep.ExitCode(""); code != lint.ExitClean {
				t.Errorf("ExitCode = %d, want %d: the default profile fails clean real code", code, lint.ExitClean)
			}
		})
	}
}

// fetchModule downloads MODULE@VERSION and its dependencies into the
// module cache and returns a writable copy of its source tree. It skips
// the test when the download fails (no network, proxy refusal).
func fetchModule(t *testing.T, mv string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	run := func(dir string, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, gobin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Logf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out, err
	}
	out, err := run(t.TempDir(), "mod", "download", "-json", mv)
	if err != nil {
		t.Skipf("cannot download %s; skipping", mv)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		t.Skipf("cannot download %s: %s", mv, info.Error)
	}
	dst := filepath.Join(t.TempDir(), "src")
	if err := copyDir(info.Dir, dst); err != nil {
		t.Fatal(err)
	}
	if _, err := run(dst, "mod", "download"); err != nil {
		t.Skipf("cannot download the dependencies of %s; skipping", mv)
	}
	return dst
}

// copyDir copies a read-only module cache tree into a writable one.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
