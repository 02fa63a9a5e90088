package lint_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/lint"
)

// writeTree writes files (slash-separated name → content) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
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

// TestRunTrees lints trees of every shape: what Run found, what it linted,
// what it skipped and why, and the exit code. None may fail with a go
// command error about a missing main module, and none may pass on nothing.
func TestRunTrees(t *testing.T) {
	skipWithoutGoUnderWine(t)
	const gomod = "module example.com/m\n\ngo 1.26\n"
	const gofile = "package m\n\nfunc F() {}\n"
	const pyfile = "import json\n\nprint(json.dumps({}))\n"
	tests := []struct {
		name     string
		files    map[string]string
		kinds    lint.Kinds
		skipped  []lint.Skip
		exit     int
		errs     bool
		findings int
	}{
		{
			name:  "python only",
			files: map[string]string{"app/main.py": pyfile, "app/util.py": "x = 1\n"},
			kinds: lint.Kinds{Python: 2}, exit: lint.ExitClean,
		},
		{
			name:  "go module",
			files: map[string]string{"go.mod": gomod, "m.go": gofile},
			kinds: lint.Kinds{Go: 1}, exit: lint.ExitClean,
		},
		{
			name:  "both",
			files: map[string]string{"go.mod": gomod, "m.go": gofile, "scripts/run.py": pyfile},
			kinds: lint.Kinds{Go: 1, Python: 1}, exit: lint.ExitClean,
		},
		{
			name:  "python with stray go files",
			files: map[string]string{"main.py": pyfile, "tools/gen.go": "package main\n\nfunc main() {}\n"},
			kinds: lint.Kinds{Python: 1}, exit: lint.ExitClean,
			skipped: []lint.Skip{{Path: ".", What: "Go: 1 files",
				Reason: "not in a Go module (no go.mod in this directory or above; run `go mod init` to lint them)"}},
		},
		{
			name:  "modules below a plain directory",
			files: map[string]string{"svc/go.mod": gomod, "svc/m.go": gofile, "svc/inner/go.mod": "module example.com/inner\n\ngo 1.26\n", "svc/inner/i.go": "package inner\n"},
			kinds: lint.Kinds{Go: 1}, exit: lint.ExitClean,
			skipped: []lint.Skip{{Path: "svc/inner", What: "Go: 1 files of a nested module",
				Reason: "a module inside the module at svc; lint it from its own directory"}},
		},
		{
			name:  "nested module inside the linted module",
			files: map[string]string{"go.mod": gomod, "m.go": gofile, "sub/go.mod": "module example.com/sub\n\ngo 1.26\n", "sub/s.go": "package sub\n"},
			kinds: lint.Kinds{Go: 1}, exit: lint.ExitClean,
			skipped: []lint.Skip{{Path: "sub", What: "Go: 1 files of a nested module",
				Reason: "a module inside the linted module; lint it from its own directory"}},
		},
		{
			name:  "neither",
			files: map[string]string{"README.md": "# hi\n"},
			exit:  lint.ExitError,
		},
		{
			name:  "python syntax error",
			files: map[string]string{"bad.py": "print(1,\n", "bad2.py": "s = \"\"\"doc\n", "good.py": "x = (1,\n 2)\n"},
			kinds: lint.Kinds{Python: 3}, exit: lint.ExitFindings, findings: 2,
		},
		{
			name:  "go syntax error",
			files: map[string]string{"go.mod": gomod, "m.go": "package m\n\nfunc F( {\n"},
			exit:  lint.ExitError, errs: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tt.files)
			opts := lint.Options{Dir: dir, Env: []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"}}
			rep, err := lint.Run(context.Background(), opts, ".")
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if diff := cmp.Diff(tt.kinds, rep.Kinds); diff != "" {
				t.Errorf("Kinds mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, rep.Skipped); diff != "" {
				t.Errorf("Skipped mismatch (-want +got):\n%s", diff)
			}
			if (len(rep.Errors) > 0) != tt.errs {
				t.Errorf("Errors = %v, want some: %v", rep.Errors, tt.errs)
			}
			errs, _, _, _ := rep.Counts()
			if errs != tt.findings {
				t.Errorf("error findings = %d (%v), want %d", errs, rep.Findings, tt.findings)
			}
			if got := rep.ExitCode(""); got != tt.exit {
				t.Errorf("ExitCode = %d, want %d (report: %s; %v %v)", got, tt.exit, rep.Summary(), rep.Errors, rep.Findings)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"a.py": "", "pkg/b.py": "", ".venv/lib/c.py": "", "node_modules/x/d.py": "",
		"tools/go.mod": "module t\n", "tools/t.go": "package t\n", "testdata/e.go": "package e\n",
	})
	got, err := lint.Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := lint.Sources{GoFiles: 1, GoModules: 1, PythonFiles: 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Detect mismatch (-want +got):\n%s", diff)
	}
	got, err = lint.Detect(filepath.Join(dir, "tools"))
	if err != nil {
		t.Fatal(err)
	}
	if got.GoModule != filepath.Join(dir, "tools") {
		t.Errorf("Detect(tools).GoModule = %q, want %q", got.GoModule, filepath.Join(dir, "tools"))
	}
}
