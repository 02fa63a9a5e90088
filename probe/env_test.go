package probe

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/winetest"
)

func TestRedactEnvDefault(t *testing.T) {
	tests := []struct {
		name, value string
		want        string
	}{
		{"HOME", "/home/ci", "/home/ci"},
		{"PATH", "/usr/local/bin:/usr/bin:/bin", "/usr/local/bin:/usr/bin:/bin"},
		{"GOFLAGS", "-mod=mod -count=1", "-mod=mod -count=1"},
		{"GITHUB_TOKEN", "x", Redacted},
		{"OLDPWD", "/home/ci/src", "/home/ci/src"},
		{"DB_PWD", "hunter2", Redacted},
		{"DB_PASSWORD", "hunter2", Redacted},
		{"AWS_SECRET_ACCESS_KEY", "abc", Redacted},
		{"SSH_PRIVATE_KEY", "k", Redacted},
		{"API_KEY", "k", Redacted},
		{"DATABASE_URL", "postgres://app:s3cret@db:5432/x", Redacted}, // soakkit:allow: test fixture, not a credential
		{"SOME_VALUE", "ghp_" + strings.Repeat("a1B2", 9), Redacted},
		{"SOME_VALUE", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", Redacted},
		{"OPAQUE", "Zk9vQmFyQmF6MTIzNDU2Nzg5MGFiY2RlZg==", Redacted},
		{"EMPTY_TOKEN", "", ""},
		{"GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567", Redacted}, // conservative: any long token-like value
		{"GOVERSION", "go1.26.8", "go1.26.8"},
		{"BUILD_ID", "20261126-1", "20261126-1"},
	}
	for _, tt := range tests {
		if got := RedactEnvDefault(tt.name, tt.value); got != tt.want {
			t.Errorf("RedactEnvDefault(%q, %q) = %q, want %q", tt.name, tt.value, got, tt.want)
		}
	}
}

func TestSnapshot(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	environ := []string{"HOME=/home/ci", "GITHUB_TOKEN=ghp_x", "PLAIN=hello", "NOEQUALS"}
	tests := []struct {
		name   string
		redact func(string) string
		want   map[string]string
	}{
		{"default", nil, map[string]string{"HOME": "/home/ci", "GITHUB_TOKEN": Redacted, "PLAIN": "hello", "NOEQUALS": ""}},
		{"hook", func(v string) string { return "<" + v + ">" },
			map[string]string{"HOME": "</home/ci>", "GITHUB_TOKEN": Redacted, "PLAIN": "<hello>", "NOEQUALS": "<>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Snapshot(t.Context(), &EnvOptions{Dir: wd, Environ: environ, Redact: tt.redact, Timeout: time.Minute})
			if diff := cmp.Diff(tt.want, e.Vars); diff != "" {
				t.Errorf("Vars mismatch (-want +got):\n%s", diff)
			}
			if e.Dir != wd || e.NumCPU < 1 || e.GOOS == "" || !strings.HasPrefix(e.GoVersion, "go") || e.MemTotal == 0 || e.DiskFree == 0 {
				t.Errorf("Snapshot() = %+v; want dir, CPUs, OS, Go version, memory and disk", e)
			}
		})
	}
}

// TestSnapshotModuleAndGit needs the go and git tools and runs in this
// repository.
func TestSnapshotModuleAndGit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list and git")
	}
	winetest.Skip(t, "runs go list and git; no Windows Go toolchain or git inside Wine")
	e := Snapshot(t.Context(), &EnvOptions{Environ: []string{}, Timeout: time.Minute})
	if e.Module != "github.com/soakkit/soakkit" || len(e.Modules) == 0 {
		t.Errorf("Module = %q with %d dependencies (errors %q); want github.com/soakkit/soakkit with some", e.Module, len(e.Modules), e.Errors)
	}
	if len(e.GitCommit) != 40 || e.GitDirty == nil {
		t.Errorf("GitCommit = %q, GitDirty = %v (errors %q); want a commit and a dirty state", e.GitCommit, e.GitDirty, e.Errors)
	}
	path := filepath.Join(t.TempDir(), "env.json")
	if err := e.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("env.json is not JSON: %v", err)
	}
	for _, k := range []string{"dir", "go_version", "goos", "goarch", "num_cpu", "module", "modules", "git_commit", "git_dirty", "env"} {
		if _, ok := back[k]; !ok {
			t.Errorf("env.json lacks %q", k)
		}
	}
}

// A go tool that lists nothing is recorded as an error, not a panic:
// Snapshot never fails.
func TestSnapshotEmptyModuleList(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake go tool is a shell script")
	}
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := Snapshot(t.Context(), &EnvOptions{Dir: dir, Environ: []string{}, Timeout: time.Minute})
	if e.Module != "" || !slices.Contains(e.Errors, "go list -m all: no output") {
		t.Errorf("Module = %q, Errors = %q; want no module and the error recorded", e.Module, e.Errors)
	}
}

// A value hidden under one name is hidden under all; a URL with a password
// is hidden whatever its name.
func TestSnapshotMasksConsistently(t *testing.T) {
	environ := []string{
		"SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.pem", "CURL_CA_BUNDLE=/etc/ssl/certs/ca-bundle.pem",
		"CALLBACK=https://deploy:Pw7-canary-x9@example.com/x", "CI=true", "FEATURE_TOKEN_ENABLED=true",
	}
	for _, hook := range []func(string) string{nil, strings.Clone} {
		e := Snapshot(t.Context(), &EnvOptions{Environ: environ, Timeout: time.Second, Dir: t.TempDir()})
		if hook != nil {
			e = Snapshot(t.Context(), &EnvOptions{Environ: environ, Timeout: time.Second, Dir: t.TempDir(), Redact: hook})
		}
		if e.Vars["SSL_CERT_FILE"] != e.Vars["CURL_CA_BUNDLE"] {
			t.Errorf("hook %v: SSL_CERT_FILE = %q but CURL_CA_BUNDLE = %q", hook != nil, e.Vars["SSL_CERT_FILE"], e.Vars["CURL_CA_BUNDLE"])
		}
		if e.Vars["CI"] != "true" {
			t.Errorf("hook %v: CI = %q: a short flag value must not spread", hook != nil, e.Vars["CI"])
		}
		if hook == nil && strings.Contains(e.Vars["CALLBACK"], "Pw7-canary-x9") {
			t.Errorf("CALLBACK = %q", e.Vars["CALLBACK"])
		}
	}
}
