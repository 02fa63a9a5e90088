package lint

import (
	"path/filepath"

	"github.com/soakkit/soakkit/lint/config"
)

// Sources is what [Detect] found in a directory: the kinds of source
// soakkit lint would lint there.
type Sources struct {
	GoModule    string // directory of the go.mod (or go.work) governing the directory; "" if none
	GoFiles     int    // Go files below the directory
	GoModules   int    // go.mod files below the directory
	PythonFiles int    // Python files below the directory
}

// Detect walks dir as [Run] would with the default configuration (hidden
// directories, vendor, testdata, virtual environments and node_modules
// are skipped) and reports which sources are there.
func Detect(dir string) (Sources, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Sources{}, err
	}
	r := &runner{cfg: config.Default(), dir: abs, lines: map[string][]string{}}
	var p plan
	w, err := r.walk(abs, &p)
	if err != nil {
		return Sources{}, err
	}
	s := Sources{GoModule: enclosingModule(abs), GoModules: len(w.modules), PythonFiles: len(p.pyFiles)}
	for _, n := range w.goFiles {
		s.GoFiles += n
	}
	return s, nil
}
