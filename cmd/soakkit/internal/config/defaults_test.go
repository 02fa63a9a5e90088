package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultFor(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		steps []string // nil: no plan fits
	}{
		{"go module", map[string]string{"go.mod": "module m\n", "m.go": "package m\n", "tools/x.py": ""}, []string{"vet", "lint", "secrets", "tests"}},
		{"python", map[string]string{"app/main.py": "", "README.md": ""}, []string{"lint", "secrets", "tests"}},
		{"python and stray go", map[string]string{"main.py": "", "gen.go": "package main\n"}, []string{"lint", "secrets", "tests"}},
		{"neither", map[string]string{"README.md": ""}, nil},
		{"only modules below", map[string]string{"svc/go.mod": "module s\n", "svc/s.go": "package s\n"}, nil},
		{"python only in a venv", map[string]string{".venv/lib/x.py": "", "venv/y.py": ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f, note, err := DefaultFor(dir)
			if tt.steps == nil {
				if !errors.Is(err, ErrNoDefault) {
					t.Fatalf("DefaultFor = %v, %q, %v; want ErrNoDefault", f, note, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range f.Plan.Steps {
				names = append(names, s.Name)
			}
			if diff := cmp.Diff(tt.steps, names); diff != "" {
				t.Errorf("steps mismatch (-want +got):\n%s", diff)
			}
			if f.Path != "" || f.Dir != dir || note == "" {
				t.Errorf("Path %q Dir %q note %q; want \"\", %q and a note", f.Path, f.Dir, note, dir)
			}
		})
	}
}
