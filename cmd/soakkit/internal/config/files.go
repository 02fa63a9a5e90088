package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/soakkit/soakkit/internal/strictyaml"
)

// A FileKind is a kind of optional file that soakkit.yaml or a flag may
// name: each kind has its own way to be created.
type FileKind int

// The optional files.
const (
	LintConfig      FileKind = iota + 1 // lint.config, soakkit lint --config
	LintBaseline                        // lint.baseline, soakkit lint --baseline
	SecretsConfig                       // secrets.config, soakkit secrets --config
	SecretsBaseline                     // secrets.baseline, soakkit secrets --baseline
)

// A MissingFileError reports an optional file that is named but does not
// exist, and says how to create it. It wraps [fs.ErrNotExist].
type MissingFileError struct {
	Path string // the file, as the user would type it from the current directory
	Kind FileKind
}

// Error returns "PATH: no such file; create it with `COMMAND`", or a hint
// when no soakkit command creates that kind of file.
func (e *MissingFileError) Error() string {
	switch e.Kind {
	case LintBaseline:
		return fmt.Sprintf("%s: no such file; create it with `soakkit lint --write-baseline %s`", e.Path, e.Path)
	case SecretsBaseline:
		return fmt.Sprintf("%s: no such file; create it with `soakkit secrets --write-baseline %s`", e.Path, e.Path)
	case LintConfig:
		return fmt.Sprintf("%s: no such file; write it (a lint config in YAML, or a plain list of allowed label names; see `soakkit lint --help`) or remove the setting", e.Path)
	case SecretsConfig:
		return fmt.Sprintf("%s: no such file; write it (a soakkit secrets config or a gitleaks TOML config; see `soakkit secrets --help`) or remove the setting", e.Path)
	}
	return e.Path + ": no such file"
}

// Unwrap returns fs.ErrNotExist.
func (e *MissingFileError) Unwrap() error { return fs.ErrNotExist }

// NeedFile returns nil when path exists, and else a *[MissingFileError]
// that shows path relative to the current directory (absolute when it is
// outside it), so that the command it suggests can be pasted as is.
// Other errors (permissions) are left to the reader of the file.
func NeedFile(path string, kind FileKind) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return &MissingFileError{Path: shownPath(path), Kind: kind}
}

// shownPath is path as a user would type it from the current directory.
func shownPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || filepath.IsAbs(rel) || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return abs
	}
	return rel
}

// CheckFiles reports every optional file the configuration names that does
// not exist: the lint and secrets configs and baselines. Each error is
// "FILE:LINE: FIELD: PATH: no such file; create it with `COMMAND`", joined.
// The embedded defaults name no such file.
func (f *File) CheckFiles() error {
	var errs []error
	for _, c := range []struct {
		field string
		path  string
		kind  FileKind
	}{
		{"lint.config", f.Lint.Config, LintConfig},
		{"lint.baseline", f.Lint.Baseline, LintBaseline},
		{"secrets.config", f.Secrets.Config, SecretsConfig},
		{"secrets.baseline", f.Secrets.Baseline, SecretsBaseline},
	} {
		if c.path == "" {
			continue
		}
		if err := NeedFile(f.resolve(c.path), c.kind); err != nil {
			errs = append(errs, &strictyaml.Error{File: f.Path, Line: f.lines[c.field], Field: c.field, Err: err})
		}
	}
	return errors.Join(errs...)
}
