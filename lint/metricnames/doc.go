// Package metricnames defines an analyzer that applies client_golang's
// promlint naming rules to metrics declared in Go source, at the exact
// position of the name, with stable rule IDs.
//
// # Analyzer metricnames
//
// metricnames: Prometheus metric naming rules (promlint) at source positions
//
// For every client_golang constructor (found by callee identity, as in
// metriclabels) whose name is a compile-time constant, the analyzer builds
// the metric family statically (BuildFQName of Namespace, Subsystem and
// Name; Help; type; label names) and runs promlint's default validations.
// promlint has no rule IDs, so its texts are mapped:
//
//	metricnames/help-missing       no help text
//	metricnames/counter-total      counter without the _total suffix
//	metricnames/non-counter-total  _total on a non-counter
//	metricnames/base-unit          e.g. milliseconds instead of seconds
//	metricnames/unit-abbrev        abbreviated unit (_ms, _kb, …)
//	metricnames/type-in-name       _gauge, _counter, … in the name
//	metricnames/colon              ':' is reserved for recording rules
//	metricnames/camelcase          camelCase name
//	metricnames/reserved-suffix    _bucket, _count, _sum on the wrong type
//	metricnames/invalid-name       outside [a-zA-Z_:][a-zA-Z0-9_:]* (error)
//	metricnames/prefix             none of metrics.names.require_prefix
//	metricnames/duplicate-name     the same name constructed twice in a package
//	metricnames/unverifiable       name not constant (info)
//
// Label-name rules (camelCase labels, le and quantile) belong to
// metriclabels and are not repeated here. All rules default to warning
// except invalid-name; set severities under "rules" in the config, e.g.
// {metricnames/unit-abbrev: off} while migrating *_ms metrics.
package metricnames
