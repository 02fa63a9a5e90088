package python

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/labelrules"
	"github.com/soakkit/soakkit/lint/internal/suppress"
)

// Analyzer names.
const (
	MetricLabels = "py-metriclabels"
	JSONWrite    = "py-jsonwrite"
	ASCIILogs    = "py-asciilogs"
)

// Analyzers lists the Python analyzers.
var Analyzers = []string{MetricLabels, JSONWrite, ASCIILogs}

// Rules lists the Python rules with their default severities.
var Rules = func() []config.Rule {
	var rs []config.Rule
	for name, sev := range labelrules.Defaults {
		rs = append(rs, config.Rule{ID: MetricLabels + "/" + name, Severity: sev, Doc: "label rule " + name})
	}
	slices.SortFunc(rs, func(a, b config.Rule) int { return strings.Compare(a.ID, b.ID) })
	return append(rs,
		config.Rule{ID: MetricLabels + "/undeclared", Severity: config.SeverityError, Doc: ".labels keyword not declared on the metric"},
		config.Rule{ID: MetricLabels + "/missing", Severity: config.SeverityError, Doc: "declared label missing in .labels"},
		config.Rule{ID: MetricLabels + "/arity", Severity: config.SeverityError, Doc: "wrong number of positional label values"},
		config.Rule{ID: MetricLabels + "/unverifiable", Severity: config.SeverityInfo, Doc: "labels passed with * or **"},
		config.Rule{ID: JSONWrite + "/json-dump", Severity: config.SeverityError, Doc: "json.dump outside the sanctioned atomic writer"},
		config.Rule{ID: JSONWrite + "/write-dumps", Severity: config.SeverityError, Doc: ".write(json.dumps(…)) outside the sanctioned atomic writer"},
		config.Rule{ID: ASCIILogs + "/non-ascii", Severity: config.SeverityError, Doc: "non-ASCII text in print or logging"},
		config.Rule{ID: ASCIILogs + "/long-line", Severity: config.SeverityError, Doc: "line longer than max_line_length"},
	)
}()

// A Finding is one rule violation in a Python file. Columns are 1-based
// byte offsets.
type Finding struct {
	Line, Col       int
	EndLine, EndCol int
	Rule            string // "analyzer/rule"
	Message         string
}

// Options configure [Check].
type Options struct {
	Config    *config.Config // default: config.Default()
	Analyzers []string       // default: all of [Analyzers]
	Path      string         // slash-separated path, for atomic_write.exclude; optional
}

// Check lints one Python source. Findings covered by lint-ok directives are
// dropped; directives that cover nothing are reported as
// lint/unused-suppression when the configuration asks for it.
func Check(src []byte, opts Options) []Finding {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	enabled := map[string]bool{}
	if opts.Analyzers == nil {
		opts.Analyzers = Analyzers
	}
	for _, a := range opts.Analyzers {
		enabled[a] = true
	}
	f := newFile(src)
	c := &checker{f: f, cfg: cfg, enabled: enabled, decls: map[string]*decl{}}
	if enabled[MetricLabels] {
		c.metricLabels()
	}
	if enabled[JSONWrite] && !c.excludedForJSON(opts.Path) {
		c.jsonWrite()
	}
	if enabled[ASCIILogs] {
		c.asciiLogs()
	}
	out := c.suppress()
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return out
}

type checker struct {
	f        *file
	cfg      *config.Config
	enabled  map[string]bool
	decls    map[string]*decl
	findings []Finding
}

func (c *checker) sev(rule string, def config.Severity) bool {
	return c.cfg.Severity(rule, def) != config.SeverityOff
}

func (c *checker) report(rule string, line, col, endLine, endCol int, msg string) {
	c.findings = append(c.findings, Finding{Line: line, Col: col, EndLine: endLine, EndCol: endCol, Rule: rule, Message: msg})
}

func (c *checker) reportTok(rule string, t Token, msg string) {
	c.report(rule, t.Line, t.Col+1, t.EndLine, t.EndCol+1, msg)
}

// ---- metric labels ----

type decl struct {
	metric string // full name, "" if unknown
	kind   string
	labels []string
	known  bool
}

var promKinds = map[string]string{"Counter": "counter", "Gauge": "gauge", "Histogram": "histogram", "Summary": "summary", "Info": "info", "Enum": "gauge"}

func promClass(q string) (string, bool) {
	for _, p := range []string{"prometheus_client.", "prometheus_client.metrics.", "prometheus_client.core."} {
		if rest, ok := strings.CutPrefix(q, p); ok {
			k, ok := promKinds[rest]
			return k, ok
		}
	}
	return "", false
}

func (c *checker) metricLabels() {
	f := c.f
	// Declarations first, so that use sites earlier in the file resolve.
	for _, call := range f.calls {
		if call.method {
			continue
		}
		kind, ok := promClass(f.resolve(call.name))
		if !ok {
			continue
		}
		c.declaration(call, kind)
	}
	for _, call := range f.calls {
		if call.method && call.name[0] == "labels" {
			c.labelsUse(call)
		}
	}
}

func (c *checker) declaration(call *call, kind string) {
	f := c.f
	arg := func(pos int, kw string) []Token {
		if a := call.kwarg(kw); a != nil {
			return a.value
		}
		if a := call.positional(pos); a != nil {
			return a.value
		}
		return nil
	}
	d := &decl{kind: kind}
	name, nameOK := f.stringValue(arg(0, "name"))
	ns, _ := f.stringValue(arg(-1, "namespace"))
	sub, _ := f.stringValue(arg(-1, "subsystem"))
	unit, _ := f.stringValue(arg(-1, "unit"))
	if nameOK {
		var parts []string
		for _, p := range []string{ns, sub, name} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		d.metric = strings.Join(parts, "_")
		if unit != "" && !strings.HasSuffix(d.metric, "_"+unit) {
			d.metric += "_" + unit
		}
	}
	lt := arg(2, "labelnames")
	if lt == nil {
		d.known = true // no labels
	} else {
		names, toks, ok := f.stringList(lt)
		d.labels, d.known = names, ok
		if !ok {
			c.reportIf(MetricLabels+"/unverifiable", config.SeverityInfo, lt[0], fmt.Sprintf("labelnames of %s are not constant; cannot verify", strings.Join(call.name, ".")))
		}
		for _, p := range labelrules.Set(c.cfg, labelrules.Metric{Name: d.metric, Kind: labelKind(kind), Info: kind == "info" || labelrules.IsInfo(d.metric), Buckets: -1}, names, 0) {
			t := lt[0]
			if p.Index >= 0 && p.Index < len(toks) {
				t = toks[p.Index]
			} else if !ok {
				continue
			}
			c.reportIf(MetricLabels+"/"+p.Rule, labelrules.Defaults[p.Rule], t, p.Msg)
		}
	}
	if call.target != "" {
		c.decls[call.target] = d
	}
}

func labelKind(k string) string {
	if k == "info" {
		return "gauge"
	}
	return k
}

func (c *checker) reportIf(rule string, def config.Severity, t Token, msg string) {
	if c.sev(rule, def) {
		c.reportTok(rule, t, msg)
	}
}

func (c *checker) labelsUse(call *call) {
	d := c.decls[call.receiver]
	metric := "?"
	if d != nil && d.metric != "" {
		metric = d.metric
	}
	var kws []*argument
	positional := 0
	for _, a := range call.args {
		switch {
		case a.star != "":
			c.reportIf(MetricLabels+"/unverifiable", config.SeverityInfo, a.tokens[0], fmt.Sprintf(".labels(%s…): label names or values are not constant; cannot verify", a.star))
			return
		case a.kw != nil:
			kws = append(kws, a)
		default:
			positional++
		}
	}
	for _, a := range kws {
		name := a.kw.Text
		if d == nil || !d.known {
			// Declared elsewhere: check the keyword name alone, as
			// lint_metrics_labels.py does.
			for _, p := range labelrules.Label(c.cfg, labelrules.Metric{Buckets: -1}, name) {
				c.reportIf(MetricLabels+"/"+p.Rule, labelrules.Defaults[p.Rule], *a.kw, p.Msg)
			}
			continue
		}
		if !slices.Contains(d.labels, name) {
			c.reportIf(MetricLabels+"/undeclared", config.SeverityError, *a.kw,
				fmt.Sprintf("labels: label %q is not declared on %q (declared: %s)", name, metric, strings.Join(d.labels, ", ")))
		}
	}
	if d == nil || !d.known {
		return
	}
	if len(kws) > 0 {
		for _, l := range d.labels {
			if !slices.ContainsFunc(kws, func(a *argument) bool { return a.kw.Text == l }) {
				c.reportIf(MetricLabels+"/missing", config.SeverityError, call.nameTok,
					fmt.Sprintf("labels: missing label %q for %q (prometheus_client raises ValueError)", l, metric))
			}
		}
		return
	}
	if positional != len(d.labels) {
		c.reportIf(MetricLabels+"/arity", config.SeverityError, call.nameTok,
			fmt.Sprintf("labels: %d values for %d labels [%s] of %q (prometheus_client raises ValueError)", positional, len(d.labels), strings.Join(d.labels, " "), metric))
	}
}

// ---- JSON writes ----

func (c *checker) excludedForJSON(path string) bool {
	f := c.f
	if path != "" {
		for _, pat := range c.cfg.AtomicWrite.Exclude {
			if ok, _ := doublestar.Match(pat, path); ok {
				return true
			}
		}
	}
	if c.cfg.Compat.FileLevelExemption {
		for _, s := range c.cfg.AtomicWrite.SanctionedPython {
			if strings.Contains(string(f.src), s) {
				return true
			}
		}
	}
	return false
}

func (c *checker) jsonModule(q string) (string, bool) {
	for _, m := range c.cfg.AtomicWrite.JSONModulesPython {
		if rest, ok := strings.CutPrefix(q, m+"."); ok {
			return rest, true
		}
	}
	return "", false
}

func (c *checker) inSanctioned(i int) bool {
	for _, fn := range c.f.funcs {
		if i > fn.start && i < fn.end && slices.Contains(c.cfg.AtomicWrite.SanctionedPython, fn.name) {
			return true
		}
	}
	return false
}

func (c *checker) advice() string {
	if s := c.cfg.AtomicWrite.SanctionedPython; len(s) > 0 {
		return "use " + s[0] + "()"
	}
	return "write a temp file, fsync and os.replace it"
}

func (c *checker) jsonWrite() {
	f := c.f
	for _, call := range f.calls {
		if c.inSanctioned(call.idx) {
			continue
		}
		if !call.method {
			q := f.resolve(call.name)
			fn, ok := c.jsonModule(q)
			if !ok || fn != "dump" {
				continue
			}
			fp := call.kwarg("fp")
			if fp == nil {
				fp = call.positional(1)
			}
			if fp != nil {
				if s := f.dotted(fp.value); s != "" {
					if r := f.resolve(strings.Split(s, ".")); r == "sys.stdout" || r == "sys.stderr" {
						continue
					}
				}
			}
			c.reportIf(JSONWrite+"/json-dump", config.SeverityError, call.nameTok,
				fmt.Sprintf("%s writes a JSON file non-atomically; %s", strings.Join(call.name, "."), c.advice()))
			continue
		}
		if m := call.name[0]; m != "write" && m != "write_text" && m != "write_bytes" {
			continue
		}
		for _, inner := range f.calls {
			if inner.method || inner.idx <= call.open || inner.idx >= call.close {
				continue
			}
			if fn, ok := c.jsonModule(f.resolve(inner.name)); ok && fn == "dumps" {
				c.reportIf(JSONWrite+"/write-dumps", config.SeverityError, call.nameTok,
					fmt.Sprintf(".%s(%s(…)) writes a JSON file non-atomically; %s", call.name[0], strings.Join(inner.name, "."), c.advice()))
				break
			}
		}
	}
}

// ---- ASCII logs ----

var loggingFuncs = []string{"debug", "info", "warning", "warn", "error", "critical", "exception", "log"}

func (c *checker) asciiLogs() {
	f := c.f
	if c.sev(ASCIILogs+"/non-ascii", config.SeverityError) {
		for _, call := range f.calls {
			if call.method {
				continue
			}
			what := ""
			if len(call.name) == 1 && call.name[0] == "print" && f.aliases["print"] == "" {
				what = "print"
			} else if q := f.resolve(call.name); strings.HasPrefix(q, "logging.") && slices.Contains(loggingFuncs, strings.TrimPrefix(q, "logging.")) {
				what = q
			}
			if what == "" {
				continue
			}
			for i := call.open + 1; i < call.close; i++ {
				t := f.code[i]
				if t.Kind != STRING {
					continue
				}
				j := strings.IndexFunc(t.Text, func(r rune) bool { return r > 0x7f })
				if j < 0 {
					continue
				}
				r, n := utf8.DecodeRuneInString(t.Text[j:])
				line, col := f.position(t.Off + j)
				c.report(ASCIILogs+"/non-ascii", line, col, line, col+n,
					fmt.Sprintf("non-ASCII character %U %q in %s text; use ASCII (e.g. \"[OK]\" for a check mark)", r, r, what))
				break
			}
		}
	}
	if limit := c.cfg.ASCIILogs.MaxLineLength; limit > 0 && c.sev(ASCIILogs+"/long-line", config.SeverityError) {
		for i, line := range f.lines {
			if len(line) > limit {
				if n := utf8.RuneCountInString(strings.TrimRight(line, "\r\n")); n > limit {
					c.report(ASCIILogs+"/long-line", i+1, 1, i+1, 1, fmt.Sprintf("line too long (%d characters, limit %d)", n, limit))
				}
			}
		}
	}
}

// ---- suppression ----

// legacyFileMarkers are lint_json_writer.py's whole-file opt-outs, honoured
// within the first 4096 bytes as it did.
var legacyFileMarkers = []string{"# lint-ok: json-write", "# test-ok: raw-json"}

func (c *checker) suppress() []Finding {
	f := c.f
	dirs := f.directives()
	for _, d := range dirs {
		if d.Off < 4096 {
			for _, m := range legacyFileMarkers {
				if strings.HasPrefix(strings.TrimSpace(d.text), m) {
					d.FileLevel = true
				}
			}
		}
	}
	set := &suppress.Set{}
	for _, d := range dirs {
		set.Dirs = append(set.Dirs, &d.Directive)
	}
	var out []Finding
	for _, fd := range c.findings {
		if !c.sev(fd.Rule, config.SeverityError) {
			continue
		}
		if set.Suppressed(fd.Line, fd.Rule) {
			continue
		}
		out = append(out, fd)
	}
	used := map[suppress.Key]bool{}
	for _, k := range set.Used() {
		used[k] = true
	}
	var names []string
	for a, on := range c.enabled {
		if on {
			names = append(names, a)
		}
	}
	for _, d := range dirs {
		if c.cfg.Suppress.RequireReason && d.Reason == "" {
			out = append(out, Finding{Line: d.Line, Col: d.Col, Rule: "lint/suppression-reason",
				Message: fmt.Sprintf("lint-ok: %s has no reason; write \"-- reason\"", strings.Join(d.Rules, ", "))})
		}
		if !c.cfg.ReportUnused() || used[d.Key()] {
			continue
		}
		relevant := true
		for _, r := range d.Rules {
			if !suppress.Relevant(r, names) {
				relevant = false
			}
		}
		if relevant {
			out = append(out, Finding{Line: d.Line, Col: d.Col, Rule: "lint/unused-suppression",
				Message: fmt.Sprintf("lint-ok: %s suppresses nothing", strings.Join(d.Rules, ", "))})
		}
	}
	return out
}
