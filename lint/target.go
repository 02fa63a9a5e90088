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
		hasGo, err := r.walk(abs, p)
		if err != nil {
			return nil, err
		}
		if hasGo {
			p.goPatterns = append(p.goPatterns, r.pattern(abs))
		}
	}
	return p, nil
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

// walk collects Python files below root and reports whether any Go file is
// there, honouring Config.Paths.Exclude.
func (r *runner) walk(root string, p *plan) (bool, error) {
	hasGo := false
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
			return nil
		}
		if r.excluded(rel) {
			return nil
		}
		switch filepath.Ext(path) {
		case ".go":
			hasGo = true
		case ".py":
			p.pyFiles = append(p.pyFiles, path)
		}
		return nil
	})
	return hasGo, err
}

func (r *runner) excluded(rel string) bool {
	for _, pat := range r.cfg.Paths.Exclude {
		if ok, _ := doublestar.Match(pat, rel); ok {
			return true
		}
	}
	return false
}
