package config

import (
	_ "embed"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/soakkit/soakkit/lint"
)

//go:embed default_python.yaml
var defaultPythonYAML []byte

// ErrNoDefault is wrapped by the error of [DefaultFor] when no embedded
// plan fits the directory.
var ErrNoDefault = errors.New("no default plan fits")

// DefaultFor returns the embedded default plan that fits what dir holds,
// and a sentence saying which and why:
//
//   - inside a Go module: the Go plan (go vet, lints, secret scan, go test),
//     relative paths resolved against the module root;
//   - else, with Python sources below dir: the Python plan (lints, secret
//     scan, pytest when installed), resolved against dir;
//   - else an error wrapping [ErrNoDefault] that says what was looked for.
func DefaultFor(dir string) (*File, string, error) {
	src, err := lint.Detect(dir)
	if err != nil {
		return nil, "", fmt.Errorf("default plan: %w", err)
	}
	if src.GoModule != "" {
		root := ModuleRoot(dir)
		return Default(root), "embedded default plan for the Go module at " + root, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", err
	}
	if src.PythonFiles > 0 {
		f, err := parse("(embedded default for Python)", abs, defaultPythonYAML)
		if err != nil {
			panic("config: embedded Python default is invalid: " + err.Error())
		}
		f.Path = ""
		note := fmt.Sprintf("embedded default plan for Python: no go.mod in %s or above, %d Python files below it", abs, src.PythonFiles)
		if src.GoFiles > 0 {
			note += fmt.Sprintf(" (%d Go files outside any module are not built or tested)", src.GoFiles)
		}
		return f, note, nil
	}
	what := "no Python files"
	switch {
	case src.GoModules > 0:
		what = fmt.Sprintf("no Python files; %d Go modules below it, run from one of them", src.GoModules)
	case src.GoFiles > 0:
		what = fmt.Sprintf("%d Go files outside any module, no Python files", src.GoFiles)
	}
	return nil, "", fmt.Errorf("%w %s: no go.mod in it or above, %s; write a %s (see soakkit validate --help) or run from a Go module", ErrNoDefault, abs, what, FileName)
}
