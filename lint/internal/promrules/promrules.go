package promrules

import (
	"fmt"
	"regexp"
	"strings"

	dto "github.com/prometheus/client_model/go"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/soakkit/soakkit/lint/config"
)

// Rule names (without analyzer prefix) shared by metricnames and exposition.
const (
	HelpMissing     = "help-missing"
	CounterTotal    = "counter-total"
	NonCounterTotal = "non-counter-total"
	BaseUnit        = "base-unit"
	UnitAbbrev      = "unit-abbrev"
	TypeInName      = "type-in-name"
	Colon           = "colon"
	CamelCase       = "camelcase"
	LabelCamelCase  = "label-camelcase"
	ReservedSuffix  = "reserved-suffix"
	ReservedLabel   = "reserved-label"
	DuplicateSeries = "duplicate-series"
	InvalidName     = "invalid-name"
	Prefix          = "prefix"
	Other           = "promlint"
)

// Rules describes the promlint-derived rules with default severities.
var Rules = []config.Rule{
	{ID: HelpMissing, Severity: config.SeverityWarning, Doc: "metric has no help text"},
	{ID: CounterTotal, Severity: config.SeverityWarning, Doc: "counter name lacks the _total suffix"},
	{ID: NonCounterTotal, Severity: config.SeverityWarning, Doc: "non-counter name has the _total suffix"},
	{ID: BaseUnit, Severity: config.SeverityWarning, Doc: "metric name uses a non-base unit"},
	{ID: UnitAbbrev, Severity: config.SeverityWarning, Doc: "metric name abbreviates a unit"},
	{ID: TypeInName, Severity: config.SeverityWarning, Doc: "metric name includes its type"},
	{ID: Colon, Severity: config.SeverityWarning, Doc: "metric name contains ':' (reserved for recording rules)"},
	{ID: CamelCase, Severity: config.SeverityWarning, Doc: "metric name is camelCase"},
	{ID: ReservedSuffix, Severity: config.SeverityWarning, Doc: "_bucket/_count/_sum suffix on the wrong metric type"},
	{ID: InvalidName, Severity: config.SeverityError, Doc: "metric name outside [a-zA-Z_:][a-zA-Z0-9_:]*"},
	{ID: Prefix, Severity: config.SeverityWarning, Doc: "metric name lacks a required prefix"},
	{ID: Other, Severity: config.SeverityWarning, Doc: "other promlint problem"},
}

var (
	baseUnitRe   = regexp.MustCompile(`^use base unit ".*" instead of ".*"$`)
	typeInNameRe = regexp.MustCompile(`^metric name should not include type '.*'$`)
)

// RuleID maps a promlint problem text to a rule name.
func RuleID(text string) string {
	switch text {
	case "no help text":
		return HelpMissing
	case `counter metrics should have "_total" suffix`:
		return CounterTotal
	case `non-counter metrics should not have "_total" suffix`:
		return NonCounterTotal
	case "metric names should not contain ':'":
		return Colon
	case "metric names should be written in 'snake_case' not 'camelCase'":
		return CamelCase
	case "label names should be written in 'snake_case' not 'camelCase'":
		return LabelCamelCase
	case "metric names should not contain abbreviated units":
		return UnitAbbrev
	case `non-histogram metrics should not have "_bucket" suffix`,
		`non-histogram and non-summary metrics should not have "_count" suffix`,
		`non-histogram and non-summary metrics should not have "_sum" suffix`:
		return ReservedSuffix
	case `non-histogram metrics should not have "le" label`, `non-summary metrics should not have "quantile" label`:
		return ReservedLabel
	case "metric not unique":
		return DuplicateSeries
	}
	switch {
	case baseUnitRe.MatchString(text):
		return BaseUnit
	case typeInNameRe.MatchString(text):
		return TypeInName
	}
	return Other
}

// A Problem is a promlint problem with its rule.
type Problem struct {
	Metric string
	Rule   string
	Text   string
}

// Lint runs promlint's default validations on families.
func Lint(mfs []*dto.MetricFamily) ([]Problem, error) {
	ps, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		return nil, err
	}
	out := make([]Problem, 0, len(ps))
	for _, p := range ps {
		out = append(out, Problem{Metric: p.Metric, Rule: RuleID(p.Text), Text: p.Text})
	}
	return out, nil
}

var metricNameRe = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// Extra returns the checks promlint lacks: the legacy name charset and
// the required prefixes.
func Extra(cfg *config.Config, name string) []Problem {
	var ps []Problem
	if !metricNameRe.MatchString(name) {
		ps = append(ps, Problem{Metric: name, Rule: InvalidName, Text: fmt.Sprintf("metric name %q is not a valid legacy metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)", name)})
	}
	if pre := cfg.Metrics.Names.RequirePrefix; len(pre) > 0 {
		ok := false
		for _, p := range pre {
			if strings.HasPrefix(name, p) {
				ok = true
			}
		}
		if !ok {
			ps = append(ps, Problem{Metric: name, Rule: Prefix, Text: fmt.Sprintf("metric name %q lacks a required prefix (%s)", name, strings.Join(pre, ", "))})
		}
	}
	return ps
}

// Family builds a one-series family for static linting: name, help, type
// and the label names (with placeholder values). An empty help is
// treated as missing, as in an exposition without a HELP line.
func Family(name, help string, kind string, labels []string) *dto.MetricFamily {
	t := dto.MetricType_UNTYPED
	switch kind {
	case "counter":
		t = dto.MetricType_COUNTER
	case "gauge":
		t = dto.MetricType_GAUGE
	case "histogram":
		t = dto.MetricType_HISTOGRAM
	case "summary":
		t = dto.MetricType_SUMMARY
	}
	m := &dto.Metric{}
	for _, l := range labels {
		m.Label = append(m.Label, &dto.LabelPair{Name: ptr(l), Value: ptr("x")})
	}
	switch t {
	case dto.MetricType_COUNTER:
		m.Counter = &dto.Counter{Value: ptr(0.0)}
	case dto.MetricType_GAUGE:
		m.Gauge = &dto.Gauge{Value: ptr(0.0)}
	case dto.MetricType_HISTOGRAM:
		m.Histogram = &dto.Histogram{}
	case dto.MetricType_SUMMARY:
		m.Summary = &dto.Summary{}
	default:
		m.Untyped = &dto.Untyped{Value: ptr(0.0)}
	}
	mf := &dto.MetricFamily{Name: ptr(name), Type: t.Enum(), Metric: []*dto.Metric{m}}
	if help != "" {
		mf.Help = ptr(help) // promlint reports a nil help only
	}
	return mf
}

func ptr[T any](v T) *T { return &v }
