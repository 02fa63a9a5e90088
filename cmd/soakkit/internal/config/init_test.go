package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		sub       string // directory Template is given, below the tree
		wantSteps []string
		wantFound string
	}{
		{"go module", map[string]string{"go.mod": "module example.com/m // the module\n\ngo 1.26\n", "pkg/a.go": "package pkg\n"},
			"pkg", []string{"vet", "lint", "secrets", "tests"}, "Go module example.com/m"},
		{"go and python", map[string]string{"go.mod": "module \"example.com/q\"\n", "a.go": "package a\n", "tools/gen.py": "print(1)\n"},
			".", []string{"vet", "lint", "secrets", "tests"}, "Go module example.com/q, 1 Python files (linted too)"},
		{"python", map[string]string{"app/main.py": "print(1)\n", "gen.go": "package main\n"},
			".", []string{"lint", "secrets", "tests"}, "1 Python files, no go.mod, 1 Go files outside any module (not built or tested)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(content), 0o644)
			}
			data, root, found, err := Template(filepath.Join(dir, tt.sub))
			if err != nil {
				t.Fatal(err)
			}
			if root != dir {
				t.Errorf("Template root = %q, want %q", root, dir)
			}
			if found != tt.wantFound {
				t.Errorf("Template found = %q, want %q", found, tt.wantFound)
			}
			f := loadBytes(t, dir, data)
			if diff := cmp.Diff(tt.wantSteps, f.StepNames()); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			// The plan is the one that runs without a file.
			def, _, err := DefaultFor(filepath.Join(dir, tt.sub))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(def.Plan, f.Plan); diff != "" {
				t.Errorf("plan differs from the embedded default (-default +written):\n%s", diff)
			}
			if diff := cmp.Diff(def.Soak, f.Soak); diff != "" {
				t.Errorf("soak settings differ from the embedded default (-default +written):\n%s", diff)
			}
			if err := f.CheckFiles(); err != nil {
				t.Errorf("CheckFiles: %v", err)
			}

			// Every commented-out block is valid once uncommented.
			var on []string
			for _, l := range strings.Split(string(data), "\n") {
				trimmed := strings.TrimLeft(l, " ")
				indent := l[:len(l)-len(trimmed)]
				if strings.HasPrefix(trimmed, "# ") && !strings.HasPrefix(trimmed, "# ---") && strings.Contains(string(data), "\n"+l+"\n") && inOptional(data, l) {
					l = indent + strings.TrimPrefix(trimmed, "# ")
				}
				on = append(on, l)
			}
			all := loadBytes(t, dir, []byte(strings.Join(on, "\n")))
			if all.Soak.Service == nil || all.Secrets.Baseline == "" || all.Lint.Baseline == "" || len(all.Gates) == 0 || all.Notify.Telegram == nil || all.Soak.MaxBytes == 0 {
				t.Errorf("uncommented template lacks a section: %+v", all)
			}
		})
	}
	if _, _, _, err := Template(t.TempDir()); err == nil {
		t.Errorf("Template of an empty directory: no error")
	}
}

// inOptional reports whether line l comes after the plan, in the commented
// tail that Template appends.
func inOptional(data []byte, l string) bool {
	i := strings.Index(string(data), "\n"+l+"\n")
	return i > strings.Index(string(data), "\n  heartbeat:")
}

func loadBytes(t *testing.T, dir string, data []byte) *File {
	t.Helper()
	p := filepath.Join(dir, "soakkit.yaml")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(p)
	if err != nil {
		t.Fatalf("Load: %v\n%s", err, data)
	}
	return f
}
