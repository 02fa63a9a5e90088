package lint

import (
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/soakkit/soakkit/lint/internal/suppress"
)

const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
	packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule

func (r *runner) goAnalyzers() []*analysis.Analyzer {
	var as []*analysis.Analyzer
	for _, a := range Analyzers(r.cfg) {
		if r.enabled[a.Name] {
			as = append(as, a)
		}
	}
	return as
}

// runGo loads and analyzes the Go targets: patterns in full, modules
// found below a target from their own directories, file targets
// restricted to the named files.
func (r *runner) runGo(p *plan) error {
	patterns, files := p.goPatterns, p.goFiles
	as := r.goAnalyzers()
	if len(as) == 0 {
		return nil
	}
	if len(patterns) > 0 {
		if err := r.analyze(as, r.dir, patterns, nil); err != nil {
			return err
		}
	}
	for _, m := range p.goModules {
		if err := r.analyze(as, m, []string{"./..."}, nil); err != nil {
			return err
		}
	}
	if len(files) > 0 {
		var qs []string
		for f := range files {
			qs = append(qs, "file="+f)
		}
		if err := r.analyze(as, r.dir, qs, files); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) analyze(as []*analysis.Analyzer, dir string, patterns []string, only map[string]bool) error {
	cfg := &packages.Config{Mode: loadMode, Context: r.ctx, Dir: dir, Tests: r.opts.Tests}
	if len(r.opts.Env) > 0 {
		cfg.Env = append(os.Environ(), r.opts.Env...)
	}
	// Analyzers with facts (metriclabels) need the declaring packages
	// analyzed too: add the targets' dependencies from the same modules as
	// extra roots, whose own findings are dropped.
	roots, extra := r.moduleDeps(cfg, as, patterns)
	pkgs, err := packages.Load(cfg, append(slices.Clone(patterns), extra...)...)
	if err != nil {
		where := strings.Join(patterns, " ")
		if dir != r.dir {
			where = r.rel(dir) + ": " + where
		}
		r.addError(where, err.Error())
		return nil
	}
	if roots != nil {
		inRoots := func(p *packages.Package) bool { return roots[p.ID] || roots[p.PkgPath] }
		keepOnly := only
		only = nil
		var files map[string]bool
		for _, p := range pkgs {
			if !inRoots(p) {
				continue
			}
			for _, f := range p.CompiledGoFiles {
				if keepOnly == nil || keepOnly[f] {
					if files == nil {
						files = map[string]bool{}
					}
					files[f] = true
				}
			}
		}
		only = files
		if only == nil {
			only = map[string]bool{}
		}
	}
	var good []*packages.Package
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			for _, e := range p.Errors {
				pos := e.Pos
				if pos == "" || pos == "-" {
					pos = p.PkgPath
				}
				r.addError(r.relPos(pos), e.Msg)
			}
			continue
		}
		if p.Types == nil || len(p.Syntax) == 0 {
			continue
		}
		good = append(good, p)
	}
	if len(good) == 0 {
		return nil
	}
	g, err := checker.Analyze(as, good, nil)
	if err != nil {
		return err
	}
	keep := func(file string) bool {
		return (only == nil || only[file]) && !r.excluded(r.rel(file))
	}
	used := map[suppress.Key]bool{}
	files := map[string]bool{}
	for _, act := range g.Roots {
		if act.Err != nil {
			r.addError(act.Package.PkgPath, fmt.Sprintf("%s: %v", act.Analyzer.Name, act.Err))
			continue
		}
		if res, ok := act.Result.(*suppress.Result); ok && res != nil {
			for _, k := range res.Used {
				used[k] = true
			}
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			p := fset.Position(d.Pos)
			if !keep(p.Filename) {
				continue
			}
			f := Finding{Path: r.rel(p.Filename), Line: p.Line, Col: p.Column, Analyzer: act.Analyzer.Name,
				Rule: act.Analyzer.Name + "/" + d.Category, Message: d.Message}
			if d.End.IsValid() && d.End > d.Pos {
				e := fset.Position(d.End)
				f.EndLine, f.EndCol = e.Line, e.Column
			}
			r.add(f, p.Filename)
		}
	}
	// Directives of the linted files, for unused-suppression reports.
	var dirs []*suppress.Directive
	seen := map[suppress.Key]bool{}
	for _, p := range good {
		for _, f := range p.Syntax {
			name := p.Fset.File(f.Pos()).Name()
			if !keep(name) {
				continue
			}
			if !files[name] {
				files[name] = true
				r.report.Files++
				r.report.Kinds.Go++
			}
			for _, d := range suppress.ParseGo(p.Fset, f) {
				if !seen[d.Key()] {
					seen[d.Key()] = true
					dirs = append(dirs, d)
				}
			}
		}
	}
	r.checkDirectives(dirs, used)
	return nil
}

// moduleDeps lists the dependencies of the packages matching patterns
// that belong to the same modules, when an analyzer uses facts. It returns
// the IDs and paths of the packages the patterns match, and the import
// paths to add; nil, nil when nothing is to be added.
func (r *runner) moduleDeps(base *packages.Config, as []*analysis.Analyzer, patterns []string) (map[string]bool, []string) {
	facts := false
	for _, a := range as {
		facts = facts || len(a.FactTypes) > 0
	}
	if !facts {
		return nil, nil
	}
	cfg := *base
	cfg.Mode = packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule
	pkgs, err := packages.Load(&cfg, patterns...)
	if err != nil {
		return nil, nil // the real load reports it
	}
	roots := map[string]bool{}
	mods := map[string]bool{}
	for _, p := range pkgs {
		roots[p.ID], roots[p.PkgPath] = true, true
		if p.Module != nil {
			mods[p.Module.Path] = true
		}
	}
	var extra []string
	seen := map[string]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if seen[p.PkgPath] || roots[p.PkgPath] {
			return
		}
		seen[p.PkgPath] = true
		sameModule := p.Module != nil && mods[p.Module.Path]
		// GOPATH mode has no modules: a dependency outside GOROOT counts.
		gopath := p.Module == nil && len(mods) == 0 && !isStd(p)
		if sameModule || gopath {
			extra = append(extra, p.PkgPath)
		}
	})
	if len(extra) == 0 {
		return nil, nil
	}
	return roots, extra
}

// isStd reports whether p is a standard-library package (GOPATH mode,
// where packages have no module).
func isStd(p *packages.Package) bool {
	if len(p.GoFiles) == 0 {
		return true // nothing to analyze anyway
	}
	root := build.Default.GOROOT
	return root != "" && strings.HasPrefix(filepath.Clean(p.GoFiles[0]), filepath.Clean(root)+string(filepath.Separator))
}

// relPos makes the file part of a "file:line:col" position relative.
func (r *runner) relPos(pos string) string {
	if i := strings.Index(pos, ".go:"); i >= 0 {
		return r.rel(pos[:i+3]) + pos[i+3:]
	}
	if filepath.IsAbs(pos) {
		return r.rel(pos)
	}
	return pos
}

// checkDirectives reports unused directives and, with require_reason,
// directives without a reason.
func (r *runner) checkDirectives(dirs []*suppress.Directive, used map[suppress.Key]bool) {
	var names []string
	for n, on := range r.enabled {
		if on {
			names = append(names, n)
		}
	}
	for _, d := range dirs {
		if r.cfg.Suppress.RequireReason && d.Reason == "" {
			r.add(Finding{Path: r.rel(d.File), Line: d.Line, Col: d.Col, Rule: "lint/suppression-reason",
				Message: fmt.Sprintf("lint-ok: %s has no reason; write \"-- reason\"", strings.Join(d.Rules, ", "))}, d.File)
		}
		if !r.cfg.ReportUnused() || used[d.Key()] {
			continue
		}
		relevant := true
		for _, rule := range d.Rules {
			if !suppress.Relevant(rule, names) {
				relevant = false
			}
		}
		if relevant {
			r.add(Finding{Path: r.rel(d.File), Line: d.Line, Col: d.Col, Rule: "lint/unused-suppression",
				Message: fmt.Sprintf("lint-ok: %s suppresses nothing", strings.Join(d.Rules, ", "))}, d.File)
		}
	}
}
