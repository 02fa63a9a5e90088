package soakkit_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestExamplesOutsideModule copies every Example file of the public
// packages (example_test.go outside internal/ and cmd/) and every program
// under examples/ into a throwaway module that requires soakkit through a
// replace directive, and type-checks them there with go vet. Go forbids
// importing another module's internal/ packages, so an Example that only
// works inside soakkit — one a user could not paste — fails this test.
// Nothing is downloaded (GOPROXY=off): the dependencies come from the
// module cache, as for the build of soakkit itself.
func TestExamplesOutsideModule(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks a throwaway module with go vet")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	write := func(name string, content []byte) {
		t.Helper()
		p := filepath.Join(mod, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The throwaway module requires everything soakkit requires, so that
	// go.sum covers it, and soakkit itself from this tree.
	modfile := regexp.MustCompile(`(?m)^module .*$`).ReplaceAllString(string(gomod), "module example.com/apicheck")
	modfile += "\nrequire github.com/soakkit/soakkit v0.0.0\n\nreplace github.com/soakkit/soakkit => " + filepath.ToSlash(root) + "\n"
	write("go.mod", []byte(modfile))
	write("go.sum", gosum)

	fset := token.NewFileSet()
	var copied []string // package directories with Examples
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel == "internal", rel == "cmd", rel == "examples", strings.HasSuffix(rel, "/internal"),
				d.Name() == "testdata", strings.HasPrefix(d.Name(), "."), strings.HasPrefix(d.Name(), "_"):
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() != "example_test.go" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.PackageClauseOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		name := strings.TrimSuffix(f.Name.Name, "_test")
		write("pkgs/"+dir+"/doc.go", []byte("// Package "+name+" holds a copy of soakkit's Examples.\npackage "+name+"\n"))
		write("pkgs/"+dir+"/example_test.go", src)
		copied = append(copied, dir)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Programs under examples/ are copied whole, tests included.
	err = filepath.WalkDir(filepath.Join(root, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(path) != ".go" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		write(filepath.ToSlash(rel), src)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"step", "soak", "probe", "secrets", "lint"} {
		if !slices.Contains(copied, want) {
			t.Errorf("no Example file found for package %s (copied: %v)", want, copied)
		}
	}

	cmd := exec.Command(goBin, "vet", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go vet in a module outside soakkit: %v\n%s", err, out.String())
	}
}
