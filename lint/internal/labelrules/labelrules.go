package labelrules

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/soakkit/soakkit/lint/config"
)

// Rule names (without analyzer prefix) and their default severities.
var Defaults = map[string]config.Severity{
	"not-allowed":            config.SeverityError,
	"denied":                 config.SeverityError,
	"unbounded-name":         config.SeverityWarning,
	"not-allowed-for-metric": config.SeverityError,
	"required-for-metric":    config.SeverityError,
	"reserved":               config.SeverityError,
	"invalid-name":           config.SeverityError,
	"case":                   config.SeverityWarning,
	"duplicate":              config.SeverityError,
	"too-many":               config.SeverityWarning,
	"cardinality-budget":     config.SeverityWarning,
}

// A Problem is one violated rule.
type Problem struct {
	Rule  string // rule name, e.g. "not-allowed"
	Label string // the label concerned, if any
	Index int    // index of the label in the checked list, -1 for the whole set
	Msg   string
}

var (
	nameRe  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	camelRe = regexp.MustCompile(`[a-z][A-Z]`)
)

// ValidName reports whether s is a legacy-charset label name.
func ValidName(s string) bool { return nameRe.MatchString(s) }

// SnakeCase converts a camelCase name to snake_case.
func SnakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) && rs[i-1] != '_' {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func metricSuffix(metric string) string {
	if metric == "" {
		return ""
	}
	return fmt.Sprintf(" (metric %q)", metric)
}

// A Metric describes the metric whose labels are checked.
type Metric struct {
	Name    string // fully qualified name; "" if unknown
	Kind    string // counter, gauge, histogram, summary, untyped or ""
	Info    bool   // a constant-1 info metric (see [IsInfo]): its labels are not series
	Buckets int    // histogram buckets or summary objectives; -1 if unknown
}

// IsInfo reports whether a metric named name (its fully qualified name, or
// the last part when the namespace is not known) is an info metric, a
// constant-1 gauge whose labels describe the process (build_info,
// version_info): one series per process whatever its label values.
func IsInfo(name string) bool { return name == "info" || strings.HasSuffix(name, "_info") }

// unboundedWords are the last words of label names whose values are
// unbounded by nature.
var unboundedWords = map[string]string{
	"id": "identifiers", "ids": "identifiers", "uuid": "UUIDs", "guid": "UUIDs",
	"email": "email addresses", "mail": "email addresses",
	"ip": "IP addresses", "ipv4": "IP addresses", "ipv6": "IP addresses", "ipaddr": "IP addresses",
	"url": "URLs", "uri": "URLs", "path": "paths", "query": "queries",
	"timestamp": "timestamps", "datetime": "timestamps", "date": "timestamps",
}

// UnboundedName returns what a label name says its values are when they
// are unbounded by nature ("identifiers" for user_id, "URLs" for url), or "".
func UnboundedName(name string) string {
	words := strings.Split(strings.ToLower(SnakeCase(name)), "_")
	last := words[len(words)-1]
	if what, ok := unboundedWords[last]; ok {
		return what
	}
	if len(words) >= 2 && words[len(words)-2] == "ip" && (last == "address" || last == "addr") {
		return "IP addresses"
	}
	return ""
}

// Label checks one label name of a metric; m.Name may be "" if unknown.
func Label(cfg *config.Config, m Metric, name string) []Problem {
	metric, kind := m.Name, m.Kind
	var ps []Problem
	add := func(rule, msg string) { ps = append(ps, Problem{Rule: rule, Label: name, Index: -1, Msg: msg}) }
	if !ValidName(name) {
		add("invalid-name", fmt.Sprintf("label %q is not a valid label name (want [a-zA-Z_][a-zA-Z0-9_]*)%s", name, metricSuffix(metric)))
		return ps
	}
	switch {
	case strings.HasPrefix(name, "__"):
		add("reserved", fmt.Sprintf("label %q is reserved: names starting with \"__\" are for Prometheus internal use%s", name, metricSuffix(metric)))
		return ps
	case name == "le" && kind == "histogram":
		add("reserved", fmt.Sprintf("label \"le\" is reserved for histogram buckets (registration fails: client_golang panics, prometheus_client raises)%s", metricSuffix(metric)))
		return ps
	case name == "quantile" && kind == "summary":
		add("reserved", fmt.Sprintf("label \"quantile\" is reserved for summary quantiles (registration fails: client_golang panics, prometheus_client raises)%s", metricSuffix(metric)))
		return ps
	case name == "le":
		add("reserved", fmt.Sprintf("label \"le\" is reserved for histogram buckets%s", metricSuffix(metric)))
		return ps
	case name == "quantile":
		add("reserved", fmt.Sprintf("label \"quantile\" is reserved for summary quantiles%s", metricSuffix(metric)))
		return ps
	}
	if camelRe.MatchString(name) {
		add("case", fmt.Sprintf("label %q should be snake_case (%q)%s", name, SnakeCase(name), metricSuffix(metric)))
	}
	l := cfg.Metrics.Labels
	var pm *config.PerMetric
	if metric != "" {
		pm = cfg.RuleFor(metric)
	}
	allowed := slices.Contains(l.Allow, name) || (pm != nil && (slices.Contains(pm.Allow, name) || slices.Contains(pm.AllowExtra, name)))
	// An info metric has one series per process whatever its label
	// values, so names that look unbounded are no risk there.
	if !m.Info && slices.Contains(l.Deny, name) {
		add("denied", fmt.Sprintf("label %q is denied: its values are unbounded and explode the series count%s", name, metricSuffix(metric)))
		return ps
	}
	if pm != nil {
		if slices.Contains(pm.Deny, name) || (pm.Allow != nil && !slices.Contains(pm.Allow, name) && !slices.Contains(pm.AllowExtra, name)) {
			add("not-allowed-for-metric", fmt.Sprintf("label %q is not allowed on metric %q (per_metric rule %s)", name, metric, pm.Match))
			return ps
		}
		if allowed {
			return ps
		}
	}
	if l.Allow != nil && !allowed {
		add("not-allowed", fmt.Sprintf("label %q is not in the allowlist%s", name, metricSuffix(metric)))
		return ps
	}
	if _, hinted := l.Cardinality[name]; !m.Info && !allowed && !hinted {
		if what := UnboundedName(name); what != "" {
			add("unbounded-name", fmt.Sprintf("label %q looks unbounded (%s): each value is a new series%s", name, what, metricSuffix(metric)))
		}
	}
	return ps
}

// Set checks a metric's full label set: each label, duplicates, per-metric
// required labels, the label count and the cardinality budget. names holds
// the variable labels followed by nconst constant labels; Problem.Index
// indexes names. Constant labels have one value per process and do not
// count towards the estimated series.
func Set(cfg *config.Config, m Metric, names []string, nconst int) []Problem {
	var ps []Problem
	seen := map[string]bool{}
	for i, n := range names {
		if seen[n] {
			ps = append(ps, Problem{Rule: "duplicate", Label: n, Index: i, Msg: fmt.Sprintf("duplicate label %q%s", n, metricSuffix(m.Name))})
			continue
		}
		seen[n] = true
		for _, p := range Label(cfg, m, n) {
			p.Index = i
			ps = append(ps, p)
		}
	}
	return append(ps, SetOnly(cfg, m, names, nconst)...)
}

// SetOnly runs the whole-set rules of [Set] without the per-label ones.
func SetOnly(cfg *config.Config, m Metric, names []string, nconst int) []Problem {
	var ps []Problem
	l := cfg.Metrics.Labels
	metric := m.Name
	if metric != "" {
		if pm := cfg.RuleFor(metric); pm != nil {
			for _, req := range pm.Require {
				if !slices.Contains(names, req) {
					ps = append(ps, Problem{Rule: "required-for-metric", Label: req, Index: -1, Msg: fmt.Sprintf("metric %q lacks label %q required by per_metric rule %s", metric, req, pm.Match)})
				}
			}
		}
	}
	if l.MaxLabelsPerMetric > 0 && len(names) > l.MaxLabelsPerMetric {
		ps = append(ps, Problem{Rule: "too-many", Index: -1, Msg: fmt.Sprintf("%s has %d labels, more than max_labels_per_metric %d", metricName(metric), len(names), l.MaxLabelsPerMetric)})
	}
	nconst = min(max(nconst, 0), len(names))
	if m.Info {
		return ps // one series per process
	}
	if est, expr := Estimate(cfg, m.Kind, names[:len(names)-nconst], m.Buckets); l.SeriesBudget > 0 && est > l.SeriesBudget {
		ps = append(ps, Problem{Rule: "cardinality-budget", Index: -1, Msg: fmt.Sprintf("%s may produce ~%d series (%s) > budget %d", metricName(metric), est, expr, l.SeriesBudget)})
	}
	return ps
}

func metricName(m string) string {
	if m == "" {
		return "metric"
	}
	return fmt.Sprintf("metric %q", m)
}

// Estimate returns the expected series count of a metric from the
// per-label cardinality hints, and the product written out.
func Estimate(cfg *config.Config, kind string, names []string, buckets int) (int, string) {
	l := cfg.Metrics.Labels
	est := 1
	var parts []string
	sorted := slices.Clone(names)
	sort.Strings(sorted)
	for _, n := range slices.Compact(sorted) {
		c, ok := l.Cardinality[n]
		if !ok {
			c = l.DefaultCardinality
		}
		if c < 1 {
			c = 1
		}
		est = mulCap(est, c)
		parts = append(parts, fmt.Sprintf("%s≈%d", n, c))
	}
	switch kind {
	case "histogram":
		if buckets < 0 {
			buckets = 11 // prometheus.DefBuckets
		}
		est = mulCap(est, buckets+2)
		parts = append(parts, fmt.Sprintf("buckets+2=%d", buckets+2))
	case "summary":
		if buckets < 0 {
			buckets = 0
		}
		est = mulCap(est, buckets+2)
		parts = append(parts, fmt.Sprintf("objectives+2=%d", buckets+2))
	}
	if len(parts) == 0 {
		return est, "1"
	}
	return est, strings.Join(parts, " × ")
}

func mulCap(a, b int) int {
	const maxInt = int(^uint(0) >> 2)
	if a > maxInt/b {
		return maxInt
	}
	return a * b
}
