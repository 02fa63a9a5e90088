package lint

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
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

// runGo loads and analyzes the Go targets: patterns in full, file targets
// restricted to the named files.
func (r *runner) runGo(patterns []string, files map[string]bool) error {
	as := r.goAnalyzers()
	if len(as) == 0 {
		return nil
	}
	if len(patterns) > 0 {
		if err := r.analyze(as, patterns, nil); err != nil {
			return err
		}
	}
	if len(files) > 0 {
		var qs []string
		for f := range files {
			qs = append(qs, "file="+f)
		}
		if err := r.analyze(as, qs, files); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) analyze(as []*analysis.Analyzer, patterns []string, only map[string]bool) error {
	cfg := &packages.Config{Mode: loadMode, Context: r.ctx, Dir: r.dir, Tests: r.opts.Tests}
	if len(r.opts.Env) > 0 {
		cfg.Env = append(os.Environ(), r.opts.Env...)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		r.addError(strings.Join(patterns, " "), err.Error())
		return nil
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
	keep := func(file string) bool { return only == nil || only[file] }
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
			if !keep(name) || files[name] && false {
				continue
			}
			if !files[name] {
				files[name] = true
				r.report.Files++
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

var _ = token.NoPos
