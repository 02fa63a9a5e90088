package lint

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/soakkit/soakkit/lint/expo"
	"github.com/soakkit/soakkit/lint/python"
)

// runOther lints the non-Go targets.
func (r *runner) runOther(p *plan) error {
	r.runPython(p.pyFiles)
	return r.runExposition(p)
}

func (r *runner) pythonAnalyzers() []string {
	var as []string
	for _, a := range python.Analyzers {
		if r.enabled[a] {
			as = append(as, a)
		}
	}
	return as
}

func (r *runner) runPython(files []string) {
	as := r.pythonAnalyzers()
	if len(as) == 0 {
		return
	}
	seen := map[string]bool{}
	for _, abs := range files {
		if seen[abs] {
			continue
		}
		seen[abs] = true
		src, err := os.ReadFile(abs)
		if err != nil {
			r.addError(r.rel(abs), err.Error())
			continue
		}
		r.report.Files++
		r.report.Kinds.Python++
		rel := r.rel(abs)
		relForGlob := rel
		if filepath.IsAbs(filepath.FromSlash(rel)) {
			relForGlob = strings.TrimPrefix(rel, "/")
		}
		if e := python.Syntax(src); e != nil {
			// A file that does not compile is never clean, whatever else
			// the analyzers make of its tokens.
			r.add(Finding{Path: rel, Line: e.Line, Col: e.Col, Rule: RuleSyntaxError, Message: "syntax error: " + e.Msg}, abs)
		}
		for _, f := range python.Check(src, python.Options{Config: r.cfg, Analyzers: as, Path: relForGlob}) {
			r.add(Finding{Path: rel, Line: f.Line, Col: f.Col, EndLine: f.EndLine, EndCol: f.EndCol, Rule: f.Rule, Message: f.Message}, abs)
		}
	}
}

// AnalyzerExposition is the analyzer name of exposition findings.
const AnalyzerExposition = expo.Name

var expositionRules = expo.Rules

func (r *runner) runExposition(p *plan) error {
	if !r.enabled[AnalyzerExposition] {
		return nil
	}
	// URL findings carry no line: they are reported as URL#metric.
	check := func(path, abs string, data []byte, f expo.Format, isURL bool) {
		r.report.Files++
		r.report.Kinds.Exposition++
		fs, err := expo.Check(data, f, r.cfg)
		if err != nil {
			r.addError(path, err.Error())
			return
		}
		for _, fd := range fs {
			fnd := Finding{Path: path, Line: fd.Line, Col: min(fd.Line, 1), Rule: fd.Rule, Message: fd.Message}
			if isURL {
				fnd.Path, fnd.Line, fnd.Col = path+"#"+fd.Metric, 0, 0
			}
			r.add(fnd, abs)
		}
	}
	for _, abs := range p.expoFiles {
		data, err := os.ReadFile(abs)
		if err != nil {
			r.addError(r.rel(abs), err.Error())
			continue
		}
		f := expo.Auto
		switch strings.ToLower(filepath.Ext(abs)) {
		case ".pb":
			f = expo.Protobuf
		case ".om":
			f = expo.OpenMetrics
		}
		check(r.rel(abs), abs, data, f, false)
	}
	if p.stdin {
		in := r.opts.Stdin
		if in == nil {
			in = os.Stdin
		}
		data, err := io.ReadAll(in)
		if err != nil {
			return fmt.Errorf("lint: read stdin: %w", err)
		}
		check("-", "", data, expo.Auto, false)
	}
	client := r.opts.Client
	if client == nil && len(p.urls) > 0 {
		client = &http.Client{Timeout: 30 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer client.CloseIdleConnections() // leave no keep-alive goroutines behind
	}
	for _, u := range p.urls {
		shown := expo.RedactURL(u) // user:password@ must not reach a report
		data, f, err := expo.Fetch(r.ctx, client, u, "")
		if err != nil {
			r.addError(shown, err.Error())
			continue
		}
		check(shown, "", data, f, true)
	}
	return nil
}
