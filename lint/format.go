package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/internal/sarif"
	"github.com/soakkit/soakkit/lint/config"
)

// A Format selects how [Write] renders a report.
type Format string

// Formats.
const (
	FormatText   Format = "text"   // path:line:col: message [analyzer/rule]
	FormatJSON   Format = "json"   // {"version":1,"findings":[…],"errors":[…],"files":N}
	FormatSARIF  Format = "sarif"  // SARIF 2.1.0, one run
	FormatGitHub Format = "github" // GitHub Actions annotation commands
)

// Formats lists the accepted format names.
var Formats = []Format{FormatText, FormatJSON, FormatSARIF, FormatGitHub}

// ParseFormat checks a format name; "" is text.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return FormatText, nil
	}
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: unknown format %q (want text, json, sarif or github)", ErrUsage, s)
}

// Version is reported as the tool version in SARIF.
var Version = "0.1.0"

// A WriteOption configures [Write]. Options are applied in order.
type WriteOption interface{ apply(*writeConfig) }

type writeConfig struct{ info bool }

type writeOptionFunc func(*writeConfig)

func (f writeOptionFunc) apply(c *writeConfig) { f(c) }

// ShowInfo includes findings of severity info (unverifiable names and
// labels, for example) in text and GitHub output, where they are left out
// by default. JSON and SARIF always include them, with their severity.
func ShowInfo() WriteOption { return writeOptionFunc(func(c *writeConfig) { c.info = true }) }

// Write renders the report. Every finding carries its severity: text
// prints "path:line:col: severity: message [rule]", JSON has "severity",
// SARIF maps it to the result level (error, warning, note) and GitHub to
// the annotation command (error, warning, notice). Info findings appear in
// text and GitHub output only with [ShowInfo]. Baselined findings appear
// only in JSON (with "baselined": true). Target errors are written as
// lines of their own in text and GitHub form, as "errors" in JSON, and as
// tool notifications in SARIF; skipped parts of targets likewise, as
// "skipped" in JSON.
func Write(w io.Writer, r *Report, f Format, opts ...WriteOption) error {
	var c writeConfig
	for _, o := range opts {
		o.apply(&c)
	}
	switch f {
	case FormatText, "":
		return writeText(w, r, c)
	case FormatJSON:
		return writeJSON(w, r)
	case FormatSARIF:
		return writeSARIF(w, r)
	case FormatGitHub:
		return writeGitHub(w, r, c)
	}
	return fmt.Errorf("%w: unknown format %q", ErrUsage, f)
}

// shown reports whether a finding is printed in text and GitHub output.
func (c writeConfig) shown(f Finding) bool {
	return !f.Baselined && (c.info || f.Severity != config.SeverityInfo)
}

func writeText(w io.Writer, r *Report, c writeConfig) error {
	var b strings.Builder
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "%s: error: %s\n", e.Path, e.Message)
	}
	for _, s := range r.Skipped {
		b.WriteString(s.String() + "\n")
	}
	for _, f := range r.Findings {
		if !c.shown(f) {
			continue
		}
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonReport struct {
	Version  int            `json:"version"`
	Findings []Finding      `json:"findings"`
	Errors   []*TargetError `json:"errors"`
	Skipped  []Skip         `json:"skipped"`
	Files    int            `json:"files"`
	Kinds    Kinds          `json:"kinds"`
	Counts   jsonCounts     `json:"counts"`
}

// jsonCounts are the findings by severity, baselined ones apart.
type jsonCounts struct {
	Error     int `json:"error"`
	Warning   int `json:"warning"`
	Info      int `json:"info"`
	Baselined int `json:"baselined"`
}

func writeJSON(w io.Writer, r *Report) error {
	out := jsonReport{Version: 1, Findings: r.Findings, Errors: r.Errors, Skipped: r.Skipped, Files: r.Files, Kinds: r.Kinds}
	out.Counts.Error, out.Counts.Warning, out.Counts.Info, out.Counts.Baselined = r.Counts()
	if out.Skipped == nil {
		out.Skipped = []Skip{}
	}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.Errors == nil {
		out.Errors = []*TargetError{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func sarifLevel(s Severity) string {
	switch s {
	case config.SeverityWarning:
		return sarif.LevelWarning
	case config.SeverityInfo:
		return sarif.LevelNote
	case config.SeverityOff:
		return sarif.LevelNone
	}
	return sarif.LevelError
}

func writeSARIF(w io.Writer, r *Report) error {
	b := sarif.New("soakkit-lint", Version, "https://pkg.go.dev/github.com/soakkit/soakkit/lint", "")
	rules := r.Rules
	if rules == nil {
		rules = allRules()
	}
	for _, rule := range rules {
		b.AddRule(sarif.Rule{ID: rule.ID, Short: rule.Doc, Level: sarifLevel(rule.Severity), HelpURI: helpURI(rule.ID)})
	}
	lines := map[string][]string{}
	for _, f := range r.Findings {
		if f.Baselined {
			continue
		}
		col, endCol := f.Col, f.EndCol
		if r.Dir != "" && f.Line > 0 && !strings.Contains(f.Path, "://") {
			p := f.Path
			if !filepath.IsAbs(filepath.FromSlash(p)) {
				p = filepath.Join(r.Dir, filepath.FromSlash(p))
			}
			ls, ok := lines[p]
			if !ok {
				if data, err := os.ReadFile(p); err == nil {
					ls = strings.Split(string(data), "\n")
				}
				lines[p] = ls
			}
			col = runeCol(ls, f.Line, f.Col)
			if f.EndLine > 0 {
				endCol = runeCol(ls, f.EndLine, f.EndCol)
			}
		}
		b.Add(sarif.Result{RuleID: f.Rule, Level: sarifLevel(f.Severity), Message: f.Message, Path: f.Path,
			Line: f.Line, Col: col, EndLine: f.EndLine, EndCol: endCol,
			Fingerprints: map[string]string{"soakkit-lint/v1": f.Fingerprint}})
	}
	for _, e := range r.Errors {
		b.AddError(e.Path, e.Message)
	}
	return b.Write(w)
}

// helpURI returns the documentation page of a rule's package.
func helpURI(id string) string {
	an, _, _ := strings.Cut(id, "/")
	pkg := an
	switch {
	case strings.HasPrefix(an, "py-"):
		pkg = "python"
	case an == "exposition":
		pkg = "expo"
	case an == AnalyzerLint:
		pkg = ""
	}
	u := "https://pkg.go.dev/github.com/soakkit/soakkit/lint"
	if pkg != "" {
		u += "/" + pkg
	}
	return u
}

// runeCol converts a 1-based byte column on line to a 1-based code point column.
func runeCol(lines []string, line, col int) int {
	if col <= 1 || line < 1 || line > len(lines) {
		return col
	}
	l := lines[line-1]
	if col-1 > len(l) {
		return col
	}
	return utf8.RuneCountInString(l[:col-1]) + 1
}

func ghLevel(s Severity) string {
	switch s {
	case config.SeverityWarning:
		return ghactions.Warning
	case config.SeverityInfo:
		return ghactions.Notice
	}
	return ghactions.Error
}

func writeGitHub(w io.Writer, r *Report, c writeConfig) error {
	var b strings.Builder
	for _, e := range r.Errors {
		a := ghactions.Annotation{Level: ghactions.Error, Title: "lint error", Message: e.Message}
		if !strings.Contains(e.Path, "://") {
			a.File = e.Path
		}
		b.WriteString(a.String() + "\n")
	}
	for _, s := range r.Skipped {
		b.WriteString(ghactions.Annotation{Level: ghactions.Notice, Title: "lint skipped", Message: s.String()}.String() + "\n")
	}
	for _, f := range r.Findings {
		if !c.shown(f) {
			continue
		}
		a := ghactions.Annotation{Level: ghLevel(f.Severity), Line: f.Line, Col: f.Col, EndLine: f.EndLine, EndCol: f.EndCol,
			Title: f.Rule, Message: f.Message}
		if strings.Contains(f.Path, "://") || f.Path == "-" {
			a.Message = f.Path + ": " + f.Message
		} else {
			a.File = f.Path
		}
		b.WriteString(a.String() + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
