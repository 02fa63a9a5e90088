package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/soakkit/soakkit/internal/configfile"

	"go.yaml.in/yaml/v3"

	"github.com/soakkit/soakkit/internal/strictyaml"
)

// Profiles. A profile selects the label defaults a configuration starts
// from; fields set in the file always win.
const (
	// ProfileDefault fits any project: no label allowlist, no denylist;
	// label names that look unbounded are warnings (metriclabels/unbounded-name).
	ProfileDefault = "default"
	// ProfileTrading is lint_metrics_labels.py's profile: the 22-label
	// allowlist [TradingAllow] and the denylist [TradingDeny], both errors.
	ProfileTrading = "trading"
)

// Profiles lists the accepted profile names.
var Profiles = []string{ProfileDefault, ProfileTrading}

//go:embed profiles/trading.labels
var tradingLabels []byte

// TradingLabels returns the trading profile's allowlist as a plain label
// list, the format Parse and metrics.labels.allow_file accept.
func TradingLabels() []byte { return slices.Clone(tradingLabels) }

// TradingAllow is the label allowlist of the trading profile, the 22
// labels of lint_metrics_labels.py in its order.
var TradingAllow = func() []string {
	names, err := parseList("profiles/trading.labels", tradingLabels)
	if err != nil {
		panic(err) // the embedded list is checked by the package's tests
	}
	return names
}()

// TradingDeny is the denylist of the trading profile: label names whose
// values are unbounded by nature (identifiers, paths, addresses, error
// strings).
var TradingDeny = []string{
	"user_id", "order_id", "request_id", "trace_id", "span_id", "session_id",
	"client_order_id", "uuid", "path", "url", "ip", "email", "error",
}

// A Config is the whole lint configuration. The zero value of each field
// selects its default; see [Default].
type Config struct {
	Version     int               `yaml:"version"`      // schema version; 0 or 1
	Profile     string            `yaml:"profile"`      // default (any project) or trading; see [ProfileDefault]
	Metrics     Metrics           `yaml:"metrics"`      // label and name rules
	AtomicWrite AtomicWrite       `yaml:"atomic_write"` // JSON-writer lint
	ASCIILogs   ASCIILogs         `yaml:"ascii_logs"`   // ASCII-log lint
	Exposition  Exposition        `yaml:"exposition"`   // /metrics lint
	Compat      Compat            `yaml:"compat"`       // the Python lints' semantics
	Suppress    Suppress          `yaml:"suppress"`     // lint-ok comments
	Rules       map[string]string `yaml:"rules"`        // rule ID or analyzer name → off|info|warning|error
	Baseline    string            `yaml:"baseline"`     // baseline file of accepted findings; optional
	Paths       Paths             `yaml:"paths"`        // file selection for walks

	// File is the path the configuration was read from, empty for defaults.
	File string `yaml:"-"`
}

// Metrics configures the metriclabels, metricnames, Python label and
// exposition rules.
type Metrics struct {
	Labels    Labels      `yaml:"labels"`
	PerMetric []PerMetric `yaml:"per_metric"` // first match wins
	Names     Names       `yaml:"names"`
}

// Labels configures label-name rules.
type Labels struct {
	Allow              []string       `yaml:"allow"`                 // the allowlist; nil: none (default profile), TradingAllow (trading profile)
	AllowFile          string         `yaml:"allow_file"`            // extra allowed names, legacy list format; relative to the config file
	Deny               []string       `yaml:"deny"`                  // nil: none (default profile), TradingDeny (trading profile)
	Cardinality        map[string]int `yaml:"cardinality"`           // expected distinct values per label
	DefaultCardinality int            `yaml:"default_cardinality"`   // default: 10
	MaxLabelsPerMetric int            `yaml:"max_labels_per_metric"` // default: 0 (no limit)
	SeriesBudget       int            `yaml:"series_budget"`         // per metric; default: 10000
}

// A PerMetric rule applies to metrics whose fully qualified name matches
// the regular expression Match.
type PerMetric struct {
	Match      string   `yaml:"match"`       // regexp on the metric name; required
	Allow      []string `yaml:"allow"`       // if set, only these labels
	AllowExtra []string `yaml:"allow_extra"` // allowed in addition to the global allowlist
	Deny       []string `yaml:"deny"`        // denied on these metrics
	Require    []string `yaml:"require"`     // must be present

	re *regexp.Regexp
}

// Names configures metric-name rules.
type Names struct {
	RequirePrefix []string `yaml:"require_prefix"` // optional; any one of these prefixes
}

// AtomicWrite configures the JSON-writer lint for Go and Python.
type AtomicWrite struct {
	Mode              string   `yaml:"mode"`                // "json" (default) or "all"
	SanctionedGo      []string `yaml:"sanctioned_go"`       // full names of sanctioned writer funcs
	SanctionedPython  []string `yaml:"sanctioned_python"`   // default: [write_json_atomic]
	JSONModulesPython []string `yaml:"json_modules_python"` // default: [json, orjson, ujson, simplejson]
	AllowAppend       *bool    `yaml:"allow_append"`        // O_APPEND opens exempt; default: true
	Exclude           []string `yaml:"exclude"`             // globs of exempt files; default: **/*_test.go, **/tests/**, **/test_*.py
}

// ASCIILogs configures the ASCII-log lint.
type ASCIILogs struct {
	MaxLineLength int `yaml:"max_line_length"` // in characters; default: 10000
}

// Exposition configures the /metrics lint.
type Exposition struct {
	MaxSeriesPerMetric int `yaml:"max_series_per_metric"` // default: 1000
	MaxValueLength     int `yaml:"max_value_length"`      // default: 64
}

// Compat selects the semantics of the Python lints this suite replaces.
type Compat struct {
	// FileLevelExemption reproduces lint_json_writer.py: a Python file that
	// mentions write_json_atomic anywhere is not checked for raw JSON writes.
	FileLevelExemption bool `yaml:"file_level_exemption"`
}

// Suppress configures lint-ok comments.
type Suppress struct {
	RequireReason bool  `yaml:"require_reason"` // a lint-ok without "-- reason" is reported
	ReportUnused  *bool `yaml:"report_unused"`  // default: true
}

// Paths selects files. Patterns are doublestar globs on slash-separated
// paths relative to the run directory; they apply to walked Python files
// and to Go findings alike.
type Paths struct {
	Exclude []string `yaml:"exclude"` // default: vendor, testdata, .git, venvs, node_modules, __pycache__
}

// Default returns a configuration with every default filled in.
func Default() *Config {
	c := &Config{}
	c.fill()
	return c
}

func (c *Config) fill() {
	l := &c.Metrics.Labels
	if c.Profile == "" {
		c.Profile = ProfileDefault
	}
	if c.Profile == ProfileTrading {
		if l.Allow == nil {
			l.Allow = slices.Clone(TradingAllow)
		}
		if l.Deny == nil {
			l.Deny = slices.Clone(TradingDeny)
		}
	}
	if l.DefaultCardinality == 0 {
		l.DefaultCardinality = 10
	}
	if l.SeriesBudget == 0 {
		l.SeriesBudget = 10000
	}
	a := &c.AtomicWrite
	if a.Mode == "" {
		a.Mode = "json"
	}
	if a.SanctionedPython == nil {
		a.SanctionedPython = []string{"write_json_atomic"}
	}
	if a.JSONModulesPython == nil {
		a.JSONModulesPython = []string{"json", "orjson", "ujson", "simplejson"}
	}
	if a.AllowAppend == nil {
		t := true
		a.AllowAppend = &t
	}
	if a.Exclude == nil {
		a.Exclude = []string{"**/*_test.go", "**/tests/**", "tests/**", "**/test_*.py", "test_*.py"}
	}
	if c.ASCIILogs.MaxLineLength == 0 {
		c.ASCIILogs.MaxLineLength = 10000
	}
	if c.Exposition.MaxSeriesPerMetric == 0 {
		c.Exposition.MaxSeriesPerMetric = 1000
	}
	if c.Exposition.MaxValueLength == 0 {
		c.Exposition.MaxValueLength = 64
	}
	if c.Suppress.ReportUnused == nil {
		t := true
		c.Suppress.ReportUnused = &t
	}
	if c.Paths.Exclude == nil {
		c.Paths.Exclude = []string{"**/vendor/**", "vendor/**", "**/testdata/**", "testdata/**",
			"**/.git/**", ".git/**", "**/.venv/**", ".venv/**", "**/venv/**", "venv/**",
			"**/node_modules/**", "node_modules/**", "**/__pycache__/**", "__pycache__/**"}
	}
}

// An Error reports a bad configuration file. Several problems in one file
// are returned as an errors.Join of *Error values, in line order.
type Error struct {
	File  string // the file's path as given to [Load] or [Parse]
	Line  int    // 1-based; 0 when unknown
	Field string // dotted path such as "metrics.labels.allow"; empty when the whole file is at fault
	Err   error  // the cause, e.g. an *fs.PathError or a description of the bad value
}

// Error returns "file:line: field: cause", leaving out the line when
// unknown and the field when empty.
func (e *Error) Error() string {
	if e.Line == 0 && e.Field == "" && e.Err != nil && strings.HasPrefix(e.Err.Error(), e.File+": ") {
		return e.Err.Error() // the cause names the file already
	}
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// fromStrict converts the errors of strictyaml.Decode, one *strictyaml.Error
// or an errors.Join of them, to *Error values.
func fromStrict(err error) error {
	if se, ok := err.(*strictyaml.Error); ok {
		return &Error{File: se.File, Line: se.Line, Field: se.Field, Err: se.Err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range j.Unwrap() {
			errs = append(errs, fromStrict(e))
		}
		return errors.Join(errs...)
	}
	return err
}

// Load reads and parses the configuration file at path. Errors in the file
// are returned as [*Error].
func Load(path string) (*Config, error) {
	data, err := configfile.Read(path, configfile.MaxConfig)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if f := c.Metrics.Labels.AllowFile; f != "" {
		if !isAbs(f) {
			f = joinDir(path, f)
		}
		extra, err := configfile.Read(f, configfile.MaxConfig)
		if err != nil {
			e := &Error{File: path, Field: "metrics.labels.allow_file", Err: err}
			var doc yaml.Node
			if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 {
				e.Line = lineOf(doc.Content[0], "metrics", "labels", "allow_file")
			}
			return nil, e
		}
		names, err := parseList(f, extra)
		if err != nil {
			return nil, err
		}
		c.Metrics.Labels.Allow = append(c.Metrics.Labels.Allow, names...)
	}
	return c, nil
}

// Parse parses a configuration from data; name is used in errors. The data
// may be YAML, JSON, or a legacy plain list of label names.
func Parse(name string, data []byte) (*Config, error) {
	c := &Config{File: name}
	if len(bytes.TrimSpace(stripComments(data))) == 0 {
		c.fill()
		return c, nil
	}
	if isLegacyList(data) {
		names, err := parseList(name, data)
		if err != nil {
			return nil, err
		}
		c.Metrics.Labels.Allow = names
		c.fill()
		return c, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 {
		c.fill()
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Err: errors.New("top level must be a mapping (or a plain list of label names)")}
	}
	if err := strictyaml.Decode(name, data, c); err != nil {
		return nil, fromStrict(err)
	}
	c.File = name
	if err := c.validate(root); err != nil {
		return nil, err
	}
	c.fill()
	return c, nil
}

var lineRe = regexp.MustCompile(`line (\d+)`)

func yamlError(name string, err error) error {
	e := &Error{File: name, Err: err}
	if m := lineRe.FindStringSubmatch(err.Error()); m != nil {
		fmt.Sscan(m[1], &e.Line)
	}
	return e
}

// Severities accepted in Config.Rules.
var severities = []string{"off", "info", "warning", "warn", "error"}

var labelNameRe = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

func (c *Config) validate(root *yaml.Node) error {
	at := func(path ...string) int { return lineOf(root, path...) }
	if c.Version != 0 && c.Version != 1 {
		return &Error{File: c.File, Line: at("version"), Field: "version", Err: fmt.Errorf("unsupported version %d", c.Version)}
	}
	if c.Profile != "" && !slices.Contains(Profiles, c.Profile) {
		return &Error{File: c.File, Line: at("profile"), Field: "profile", Err: fmt.Errorf("unknown profile %q (want %s)", c.Profile, strings.Join(Profiles, " or "))}
	}
	switch c.AtomicWrite.Mode {
	case "", "json", "all":
	default:
		return &Error{File: c.File, Line: at("atomic_write", "mode"), Field: "atomic_write.mode", Err: fmt.Errorf("mode %q: want json or all", c.AtomicWrite.Mode)}
	}
	for id, sev := range c.Rules {
		if !slices.Contains(severities, sev) {
			return &Error{File: c.File, Line: at("rules", id), Field: "rules." + id, Err: fmt.Errorf("severity %q: want off, info, warning or error", sev)}
		}
	}
	for i := range c.Metrics.PerMetric {
		pm := &c.Metrics.PerMetric[i]
		field := fmt.Sprintf("metrics.per_metric[%d].match", i)
		if pm.Match == "" {
			return &Error{File: c.File, Line: at("metrics", "per_metric"), Field: field, Err: errors.New("required")}
		}
		re, err := regexp.Compile(pm.Match)
		if err != nil {
			return &Error{File: c.File, Line: at("metrics", "per_metric"), Field: field, Err: err}
		}
		pm.re = re
	}
	for _, list := range []struct {
		key   []string
		names []string
	}{
		{[]string{"metrics", "labels", "allow"}, c.Metrics.Labels.Allow},
		{[]string{"metrics", "labels", "deny"}, c.Metrics.Labels.Deny},
	} {
		for _, n := range list.names {
			if !labelNameRe.MatchString(n) {
				return &Error{File: c.File, Line: at(list.key...), Field: strings.Join(list.key, "."), Err: fmt.Errorf("%q is not a valid label name", n)}
			}
		}
	}
	for k, v := range c.Metrics.Labels.Cardinality {
		if v < 1 {
			return &Error{File: c.File, Line: at("metrics", "labels", "cardinality", k), Field: "metrics.labels.cardinality." + k, Err: fmt.Errorf("must be at least 1, got %d", v)}
		}
	}
	return nil
}

// lineOf returns the line of the value at the key path under a mapping node.
func lineOf(n *yaml.Node, path ...string) int {
	line := n.Line
	for _, k := range path {
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// Matches reports whether the per-metric rule applies to the metric name.
func (p *PerMetric) Matches(metric string) bool {
	if p.re == nil {
		re, err := regexp.Compile(p.Match)
		if err != nil {
			return false
		}
		p.re = re
	}
	return p.re.MatchString(metric)
}

// RuleFor returns the first per-metric rule matching metric, or nil.
func (c *Config) RuleFor(metric string) *PerMetric {
	for i := range c.Metrics.PerMetric {
		if c.Metrics.PerMetric[i].Matches(metric) {
			return &c.Metrics.PerMetric[i]
		}
	}
	return nil
}

// Severity returns the configured severity of rule ("analyzer/rule"), or
// def if neither the rule nor its analyzer is configured. Keys in Rules may
// name a rule or a whole analyzer.
func (c *Config) Severity(rule string, def Severity) Severity {
	if c == nil {
		return def
	}
	if s, ok := c.Rules[rule]; ok {
		return ParseSeverity(s)
	}
	if a, _, ok := strings.Cut(rule, "/"); ok {
		if s, ok := c.Rules[a]; ok {
			return ParseSeverity(s)
		}
	}
	return def
}

// ReportUnused reports whether unused suppressions are reported.
func (c *Config) ReportUnused() bool {
	return c.Suppress.ReportUnused == nil || *c.Suppress.ReportUnused
}

// AllowsAppend reports whether O_APPEND files are exempt from atomicwrite.
func (c *Config) AllowsAppend() bool {
	return c.AtomicWrite.AllowAppend == nil || *c.AtomicWrite.AllowAppend
}

// isLegacyList reports whether data looks like lint_metrics_labels.py's allowlist:
// only label names, blank lines and # comments.
func isLegacyList(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if !labelNameRe.MatchString(f) {
				return false
			}
		}
	}
	return true
}

// parseList parses a legacy label list: names separated by newlines,
// commas or blanks, '#' starting a comment.
func parseList(name string, data []byte) ([]string, error) {
	var names []string
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
			if !labelNameRe.MatchString(f) {
				return nil, &Error{File: name, Line: i + 1, Err: fmt.Errorf("%q is not a valid label name", f)}
			}
			names = append(names, f)
		}
	}
	if names == nil {
		names = []string{}
	}
	return names, nil
}

func stripComments(data []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		out = append(out, line...)
	}
	return out
}
