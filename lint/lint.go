package lint

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/soakkit/soakkit/lint/asciilogs"
	"github.com/soakkit/soakkit/lint/atomicwrite"
	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/metriclabels"
	"github.com/soakkit/soakkit/lint/metricnames"
	"github.com/soakkit/soakkit/lint/python"
)

// Config is the lint configuration; see package [config].
type Config = config.Config

// Severity ranks findings; see [config.Severity].
type Severity = config.Severity

// Exit codes of a lint run, for the CLI.
const (
	ExitClean    = 0 // no finding at or above the failing severity
	ExitFindings = 1 // at least one failing finding
	ExitError    = 2 // bad usage, bad configuration, or a target that could not be loaded
)

// A Finding is one rule violation.
type Finding struct {
	Path        string   `json:"path"` // relative to the run's directory when under it; slash-separated
	Line        int      `json:"line"` // 1-based; 0 when the finding has no line (a URL target)
	Col         int      `json:"col"`  // 1-based byte column; 0 when unknown
	EndLine     int      `json:"end_line,omitempty"`
	EndCol      int      `json:"end_col,omitempty"`
	Analyzer    string   `json:"analyzer"`
	Rule        string   `json:"rule"` // "analyzer/rule"
	Severity    Severity `json:"severity"`
	Message     string   `json:"message"`
	Fingerprint string   `json:"fingerprint"`         // stable across runs; what a baseline stores
	Baselined   bool     `json:"baselined,omitempty"` // accepted by the baseline; never fails a run
}

// String formats the finding as "path:line:col: severity: message [rule]",
// the severity omitted when it is not set.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Path)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
		if f.Col > 0 {
			fmt.Fprintf(&b, ":%d", f.Col)
		}
	}
	if f.Severity != "" {
		fmt.Fprintf(&b, ": %s", f.Severity)
	}
	fmt.Fprintf(&b, ": %s [%s]", f.Message, f.Rule)
	return b.String()
}

// A TargetError is a target that could not be linted: a package that does
// not type-check, a file that cannot be read, a URL that cannot be fetched.
type TargetError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Error returns "path: message".
func (e *TargetError) Error() string { return e.Path + ": " + e.Message }

// A Skip is a part of a target that was not linted, and why.
type Skip struct {
	Path   string `json:"path"`   // the directory or file skipped; slash-separated
	What   string `json:"what"`   // what was skipped, e.g. "Go: 3 files"
	Reason string `json:"reason"` // why, e.g. "no go.mod: not in a Go module"
}

// String returns "path: skipped what: reason".
func (s Skip) String() string { return s.Path + ": skipped " + s.What + ": " + s.Reason }

// A Report is the result of [Run].
type Report struct {
	Findings []Finding      `json:"findings"` // sorted by path, line, column, rule
	Errors   []*TargetError `json:"errors"`   // targets that could not be linted
	Skipped  []Skip         `json:"skipped"`  // what was found but not linted, and why
	Files    int            `json:"files"`    // source files and expositions linted
	Kinds    Kinds          `json:"kinds"`    // what the run found and linted
	Rules    []config.Rule  `json:"-"`        // rules of the analyzers that ran
	Dir      string         `json:"-"`        // the run directory paths are relative to
}

// Kinds counts the files a run linted, by kind; they add up to Files.
type Kinds struct {
	Go         int `json:"go"`         // Go files of type-checked packages
	Python     int `json:"python"`     // Python files
	Exposition int `json:"exposition"` // saved, piped or fetched expositions
}

// DefaultFailOn is the severity at which findings fail a run by default:
// errors fail, warnings and information are shown without failing.
const DefaultFailOn = config.SeverityError

// ExitCode returns the documented exit code: [ExitError] if any target
// failed or nothing at all was linted, else [ExitFindings] if a finding
// that is not baselined is at or above failOn ("" means [DefaultFailOn]),
// else [ExitClean]. A run that linted nothing is never clean.
func (r *Report) ExitCode(failOn Severity) int {
	if len(r.Errors) > 0 || r.Files == 0 {
		return ExitError
	}
	if r.Failing(failOn) > 0 {
		return ExitFindings
	}
	return ExitClean
}

// Counts returns the number of findings that are not baselined, by
// severity, and the number of baselined ones.
func (r *Report) Counts() (errors, warnings, infos, baselined int) {
	for _, f := range r.Findings {
		switch {
		case f.Baselined:
			baselined++
		case f.Severity == config.SeverityWarning:
			warnings++
		case f.Severity == config.SeverityInfo:
			infos++
		default:
			errors++
		}
	}
	return errors, warnings, infos, baselined
}

// Summary returns a one-line account of the run: files linted by kind,
// findings by severity, what was skipped. It is the last line the CLI
// prints, so that a validate table row shows the totals.
func (r *Report) Summary() string {
	e, w, i, b := r.Counts()
	var kinds []string
	for _, k := range []struct {
		n    int
		name string
	}{{r.Kinds.Go, "Go"}, {r.Kinds.Python, "Python"}, {r.Kinds.Exposition, "exposition"}} {
		if k.n > 0 {
			kinds = append(kinds, fmt.Sprintf("%d %s", k.n, k.name))
		}
	}
	files := fmt.Sprintf("%d files", r.Files)
	if len(kinds) > 0 {
		files += " (" + strings.Join(kinds, ", ") + ")"
	}
	s := fmt.Sprintf("lint: %s; %d errors, %d warnings, %d info", files, e, w, i)
	if b > 0 {
		s += fmt.Sprintf(", %d baselined", b)
	}
	if n := len(r.Errors); n > 0 {
		s += fmt.Sprintf("; %d targets failed", n)
	}
	if n := len(r.Skipped); n > 0 {
		s += fmt.Sprintf("; %d skipped", n)
	}
	return s
}

// Failing counts the findings that fail a run at failOn ("" means
// [DefaultFailOn]).
func (r *Report) Failing(failOn Severity) int {
	if failOn == "" {
		failOn = DefaultFailOn
	}
	n := 0
	for _, f := range r.Findings {
		if !f.Baselined && f.Severity.Rank() >= failOn.Rank() {
			n++
		}
	}
	return n
}

// Options configure [Run]. The zero Options lint with the default
// configuration relative to the current directory.
type Options struct {
	Config    *Config      // default: config.Default()
	Dir       string       // directory paths are resolved and reported against; default: current
	Analyzers []string     // names of analyzers to run; default: all (see [Analyzers])
	Tests     bool         // also lint Go _test.go files and test packages
	Env       []string     // extra environment for the go command (e.g. GOFLAGS=-tags=x); appended to os.Environ()
	Baseline  string       // baseline file; default: Config.Baseline (relative to the config file)
	Stdin     io.Reader    // read for the target "-"; default: os.Stdin
	Client    *http.Client // for URL targets; default: a client with a 30s timeout
}

// AnalyzerLint is the analyzer name of findings about suppressions themselves.
const AnalyzerLint = "lint"

// Run lints the targets and returns the findings. A target is
//
//   - a directory, with or without "/..." ("." and "./..." are the same):
//     every Go package below it and every Python file not excluded by
//     Config.Paths (hidden directories are skipped);
//   - an import path pattern such as "example.com/x/...";
//   - a .go file (its package is loaded, findings are kept for that file)
//     or a .py file;
//   - a saved exposition (.prom, .metrics, .om, .txt or a protobuf .pb);
//   - "-" for an exposition on stdin, or an http(s) URL of /metrics.
//
// With no targets, Run lints ".". Run returns an error only for bad usage:
// an unknown analyzer, a missing path, an unreadable baseline. Targets that
// cannot be loaded are listed in Report.Errors.
func Run(ctx context.Context, opts Options, targets ...string) (*Report, error) {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	dir := opts.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	enabled, err := selectAnalyzers(opts.Analyzers)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		targets = []string{"."}
	}
	r := &runner{ctx: ctx, cfg: cfg, dir: dir, opts: opts, enabled: enabled, lines: map[string][]string{}}
	plan, err := r.classify(targets)
	if err != nil {
		return nil, err
	}
	if err := r.runGo(plan); err != nil {
		return nil, err
	}
	if err := r.runOther(plan); err != nil {
		return nil, err
	}
	r.finish()
	if err := r.applyBaseline(); err != nil {
		return nil, err
	}
	r.report.Rules = r.rules()
	r.report.Dir = dir
	return &r.report, nil
}

type runner struct {
	ctx     context.Context
	cfg     *Config
	dir     string
	opts    Options
	enabled map[string]bool
	report  Report
	lines   map[string][]string // file → lines, for fingerprints
}

// Analyzers returns the Go analyzers configured with cfg (defaults if nil),
// for use by other drivers.
func Analyzers(cfg *Config) []*analysis.Analyzer {
	return []*analysis.Analyzer{
		metriclabels.New(cfg),
		metricnames.New(cfg),
		atomicwrite.New(cfg),
		asciilogs.New(cfg),
	}
}

// AnalyzerNames lists every analyzer soakkit lint can run, Go and others.
func AnalyzerNames() []string {
	names := []string{}
	for _, a := range Analyzers(nil) {
		names = append(names, a.Name)
	}
	names = append(names, python.Analyzers...)
	return append(names, AnalyzerExposition)
}

func selectAnalyzers(names []string) (map[string]bool, error) {
	all := AnalyzerNames()
	m := map[string]bool{}
	if len(names) == 0 {
		for _, n := range all {
			m[n] = true
		}
		return m, nil
	}
	for _, n := range names {
		if !slices.Contains(all, n) {
			return nil, fmt.Errorf("%w: unknown analyzer %q (have %s)", ErrUsage, n, strings.Join(all, ", "))
		}
		m[n] = true
	}
	return m, nil
}

// allRules lists every rule with its default severity.
func allRules() []config.Rule {
	var rs []config.Rule
	rs = append(rs, metriclabels.Rules...)
	rs = append(rs, metricnames.Rules...)
	rs = append(rs, atomicwrite.Rules...)
	rs = append(rs, asciilogs.Rules...)
	rs = append(rs, python.Rules...)
	rs = append(rs, expositionRules...)
	rs = append(rs, lintRules...)
	return rs
}

// RuleSyntaxError is the rule of findings about Python sources that do
// not compile; Go sources that do not compile are target errors.
const RuleSyntaxError = AnalyzerLint + "/syntax-error"

var lintRules = []config.Rule{
	{ID: RuleSyntaxError, Severity: config.SeverityError, Doc: "a Python source with a syntax error (unterminated string, unclosed bracket, bad indentation)"},
	{ID: "lint/unused-suppression", Severity: config.SeverityWarning, Doc: "a lint-ok directive that suppresses nothing"},
	{ID: "lint/suppression-reason", Severity: config.SeverityError, Doc: "a lint-ok directive without \"-- reason\" (suppress.require_reason)"},
}

func (r *runner) rules() []config.Rule {
	var out []config.Rule
	for _, rule := range allRules() {
		an, _, _ := strings.Cut(rule.ID, "/")
		if r.enabled[an] || an == AnalyzerLint {
			out = append(out, rule)
		}
	}
	return out
}

func (r *runner) defaultSeverity(id string) Severity {
	for _, rule := range allRules() {
		if rule.ID == id {
			return rule.Severity
		}
	}
	return config.SeverityError
}

// rel returns the reported form of a file path.
func (r *runner) rel(path string) string {
	if !filepath.IsAbs(path) {
		return filepath.ToSlash(path)
	}
	if rel, err := filepath.Rel(r.dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// add records a finding; abs is the file's absolute path ("" for URLs).
func (r *runner) add(f Finding, abs string) {
	f.Severity = r.cfg.Severity(f.Rule, r.defaultSeverity(f.Rule))
	if f.Severity == config.SeverityOff {
		return
	}
	if f.Analyzer == "" {
		f.Analyzer, _, _ = strings.Cut(f.Rule, "/")
	}
	f.Fingerprint = r.fingerprint(f, abs)
	r.report.Findings = append(r.report.Findings, f)
}

func (r *runner) addError(path, msg string) {
	for _, e := range r.report.Errors {
		if e.Path == path && e.Message == msg {
			return
		}
	}
	r.report.Errors = append(r.report.Errors, &TargetError{Path: path, Message: msg})
}

// fingerprint hashes the rule, path, the trimmed source line and the message,
// so it survives unrelated edits that move the line.
func (r *runner) fingerprint(f Finding, abs string) string {
	text := ""
	if abs != "" && f.Line > 0 {
		if ls := r.fileLines(abs); f.Line <= len(ls) {
			text = strings.Join(strings.Fields(ls[f.Line-1]), " ")
		}
	}
	h := sha256.Sum256([]byte(f.Rule + "\x00" + f.Path + "\x00" + text + "\x00" + f.Message))
	return hex.EncodeToString(h[:8])
}

func (r *runner) fileLines(abs string) []string {
	if ls, ok := r.lines[abs]; ok {
		return ls
	}
	data, err := os.ReadFile(abs)
	var ls []string
	if err == nil {
		ls = strings.Split(string(data), "\n")
	}
	r.lines[abs] = ls
	return ls
}

func (r *runner) finish() {
	fs := r.report.Findings
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			strings.Compare(a.Rule, b.Rule), strings.Compare(a.Message, b.Message))
	})
	r.report.Findings = slices.CompactFunc(fs, func(a, b Finding) bool {
		return a.Path == b.Path && a.Line == b.Line && a.Col == b.Col && a.Rule == b.Rule && a.Message == b.Message
	})
	// Disambiguate identical fingerprints (the same finding twice on one line text).
	seen := map[string]int{}
	for i := range r.report.Findings {
		f := &r.report.Findings[i]
		if n := seen[f.Fingerprint]; n > 0 {
			h := sha256.Sum256(fmt.Appendf(nil, "%s#%d", f.Fingerprint, n))
			seen[f.Fingerprint]++
			f.Fingerprint = hex.EncodeToString(h[:8])
			continue
		}
		seen[f.Fingerprint]++
	}
	slices.SortFunc(r.report.Errors, func(a, b *TargetError) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Message, b.Message))
	})
	if r.report.Findings == nil {
		r.report.Findings = []Finding{}
	}
	if r.report.Errors == nil {
		r.report.Errors = []*TargetError{}
	}
}

// ErrUsage is wrapped by the errors of [Run], [ParseFormat] and
// [ReadBaseline] that are the caller's fault (unknown analyzer or format,
// missing path, malformed baseline); the CLI maps them to [ExitError].
var ErrUsage = errors.New("lint: usage")
