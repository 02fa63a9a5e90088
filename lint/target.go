package lint

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// plan is the classified set of targets.
type plan struct {
	goPatterns []string        // package patterns, relative to the run directory
	goModules  []string        // roots of Go modules found below a target outside any module; each loaded as ./...
	goFiles    map[string]bool // absolute .go files given as targets
	pyFiles    []string        // absolute .py files
	expoFiles  []string        // absolute exposition files
	urls       []string
	stdin      bool
}

// Exposition file extensions.
var expoExts = map[string]bool{".prom": true, ".metrics": true, ".om": true, ".txt": true, ".pb": true}

func (r *runner) classify(targets []string) (*plan, error) {
	p := &plan{goFiles: map[string]bool{}}
	for _, t := range targets {
		switch {
		case t == "-":
			p.stdin = true
			continue
		case strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://"):
			p.urls = append(p.urls, t)
			continue
		}
		// "dir/..." and "dir" mean the same: directories are walked recursively.
		path := t
		if st := filepath.ToSlash(t); strings.HasSuffix(st, "/...") || st == "..." {
			path = strings.TrimSuffix(strings.TrimSuffix(st, "..."), "/")
			if path == "" {
				path = "."
			}
		}
		abs := path
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(r.dir, path)
		}
		st, err := os.Stat(abs)
		if err != nil {
			if !strings.HasPrefix(t, ".") && !filepath.IsAbs(t) && !strings.ContainsAny(t, `\`) && strings.Contains(t, "/") {
				// An import path pattern such as example.com/x/...
				p.goPatterns = append(p.goPatterns, t)
				continue
			}
			return nil, fmt.Errorf("%w: target %s: %v", ErrUsage, t, err)
		}
		if !st.IsDir() {
			switch ext := strings.ToLower(filepath.Ext(abs)); {
			case ext == ".go":
				if !r.gopathMode() && enclosingModule(filepath.Dir(abs)) == "" {
					r.skip(abs, "Go: 1 file", "not in a Go module (no go.mod in its directory or above)")
					continue
				}
				p.goFiles[abs] = true
			case ext == ".py":
				p.pyFiles = append(p.pyFiles, abs)
			case expoExts[ext]:
				p.expoFiles = append(p.expoFiles, abs)
			default:
				return nil, fmt.Errorf("%w: target %s: unknown file type (want .go, .py, or an exposition: .prom, .metrics, .om, .txt, .pb)", ErrUsage, t)
			}
			continue
		}
		if err := r.walkDir(abs, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// walkDir collects the Python files below the directory abs and decides
// how its Go files are loaded: as one pattern when abs is inside a Go
// module (or the go command runs in GOPATH mode), else module by module for
// each go.mod found below it. Go files no module covers, and nested
// modules, are recorded as skipped.
func (r *runner) walkDir(abs string, p *plan) error {
	w, err := r.walk(abs, p)
	if err != nil {
		return err
	}
	if r.gopathMode() || enclosingModule(abs) != "" {
		if w.goFiles[""]+w.goFiles[abs] > 0 {
			p.goPatterns = append(p.goPatterns, r.pattern(abs))
		}
		for _, m := range w.modules {
			if m == abs || w.goFiles[m] == 0 {
				continue
			}
			r.skip(m, fmt.Sprintf("Go: %d files of a nested module", w.goFiles[m]),
				"a module inside the linted module; lint it from its own directory")
		}
		return nil
	}
	if n := w.goFiles[""]; n > 0 {
		r.skip(abs, fmt.Sprintf("Go: %d files", n), "not in a Go module (no go.mod in this directory or above; run `go mod init` to lint them)")
	}
	for _, m := range w.modules {
		if w.goFiles[m] == 0 {
			continue
		}
		if outer := nearest(w.modules, filepath.Dir(m)); outer != "" {
			r.skip(m, fmt.Sprintf("Go: %d files of a nested module", w.goFiles[m]),
				"a module inside the module at "+r.rel(outer)+"; lint it from its own directory")
			continue
		}
		p.goModules = append(p.goModules, m)
	}
	return nil
}

func (r *runner) skip(abs, what, reason string) {
	r.report.Skipped = append(r.report.Skipped, Skip{Path: r.rel(abs), What: what, Reason: reason})
}

// gopathMode reports whether the go command runs with GO111MODULE=off.
func (r *runner) gopathMode() bool {
	v := os.Getenv("GO111MODULE")
	for _, e := range r.opts.Env {
		if k, val, ok := strings.Cut(e, "="); ok && k == "GO111MODULE" {
			v = val
		}
	}
	return v == "off"
}

// enclosingModule returns the directory of the go.mod (or go.work) that
// governs dir, or "" if there is none.
func enclosingModule(dir string) string {
	for d := dir; ; {
		for _, f := range []string{"go.mod", "go.work"} {
			if st, err := os.Stat(filepath.Join(d, f)); err == nil && !st.IsDir() {
				return d
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// nearest returns the deepest of roots that is dir or contains it, or "".
func nearest(roots []string, dir string) string {
	best := ""
	for _, m := range roots {
		if (dir == m || strings.HasPrefix(dir, m+string(filepath.Separator))) && len(m) > len(best) {
			best = m
		}
	}
	return best
}

// pattern returns the go list pattern for all packages below dir.
func (r *runner) pattern(dir string) string {
	rel, err := filepath.Rel(r.dir, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(dir) + "/..."
	}
	if rel == "." {
		return "./..."
	}
	return "./" + filepath.ToSlash(rel) + "/..."
}

// walked is what a walk found besides Python files.
type walked struct {
	modules []string       // directories below the root (or the root) with a go.mod
	goFiles map[string]int // Go files by the module directory governing them ("" for none found below the root)
}

// walk collects Python files below root and the Go files and modules
// there, honouring Config.Paths.Exclude.
func (r *runner) walk(root string, p *plan) (*walked, error) {
	w := &walked{goFiles: map[string]int{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			r.addError(r.rel(path), err.Error())
			return nil
		}
		rel := r.rel(path) // excludes are relative to the run directory
		if d.IsDir() {
			if path != root && (r.excluded(rel+"/x") || strings.HasPrefix(d.Name(), ".") && d.Name() != ".") {
				return filepath.SkipDir
			}
			if st, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && !st.IsDir() {
				w.modules = append(w.modules, path)
			}
			return nil
		}
		if r.excluded(rel) {
			return nil
		}
		switch filepath.Ext(path) {
		case ".go":
			w.goFiles[nearest(w.modules, filepath.Dir(path))]++
		case ".py":
			p.pyFiles = append(p.pyFiles, path)
		}
		return nil
	})
	return w, err
}

func (r *runner) excluded(rel string) bool {
	for _, pat := range r.cfg.Paths.Exclude {
		if ok, _ := doublestar.Match(pat, rel); ok {
			return true
		}
	}
	return false
}
