// Package metriclabels defines an analyzer that checks the label names of
// client_golang metrics against the rules client_golang enforces only at
// run time, the names whose values are unbounded by nature, and a
// configured allowlist.
//
// # Analyzer metriclabels
//
// metriclabels: check Prometheus metric label names and label use sites
//
// Declarations are found by callee identity, not spelling: the vector
// constructors of prometheus, promauto and promauto.With(reg), the V2 API
// (VariableLabels as UnconstrainedLabels or ConstrainedLabels), NewDesc and
// V2.NewDesc, and ConstLabels in any opts. Label lists are evaluated as
// constants: literals, named constants from any package, and variables with
// a single constant initializer. A list that cannot be evaluated is
// reported as unverifiable rather than skipped silently.
//
// Rules (analyzer/rule, default severity):
//
//	metriclabels/not-allowed            error    label not in the allowlist (when one is configured)
//	metriclabels/denied                 error    label in the denylist (when one is configured)
//	metriclabels/unbounded-name         warning  a name that says its values are unbounded: *_id, uuid, email,
//	                                             ip, url, uri, path, timestamp… (unless allowed or given a
//	                                             cardinality hint)
//	metriclabels/not-allowed-for-metric error    a per_metric rule forbids the label
//	metriclabels/required-for-metric    error    a per_metric rule requires a missing label
//	metriclabels/reserved               error    "__" prefix; le on histograms, quantile on summaries (run-time panic)
//	metriclabels/invalid-name           error    not [a-zA-Z_][a-zA-Z0-9_]*
//	metriclabels/case                   warning  camelCase label name
//	metriclabels/duplicate              error    the same label twice (run-time error)
//	metriclabels/too-many               warning  more than max_labels_per_metric labels
//	metriclabels/cardinality-budget     warning  product of per-label cardinality hints over series_budget
//	metriclabels/arity                  error    WithLabelValues & co. with the wrong number of values (run-time panic)
//	metriclabels/undeclared             error    With(Labels{…}) & co. with a key the vector does not have
//	metriclabels/missing                error    With/GetMetricWith/Delete without a declared key
//	metriclabels/unverifiable           info     label names or values that are not compile-time constant
//	metriclabels/unbounded-value        warning  a label value from err.Error(), url.URL's Path, RawQuery or
//	                                             String, http.Request's RemoteAddr or RequestURI, time
//	                                             formatting, an IP address's String or a uuid package
//	metriclabels/formatted-value        off      (opt-in) a label value from strconv.Itoa & co., fmt.Sprint*
//	                                             or Duration.String: bounded or not depending on the program
//
// The default configuration has no allowlist and no denylist: it fits any
// project. "profile: trading" selects the 22-label allowlist and
// its denylist (see package config).
//
// Info metrics, gauges or Descs named *_info (go_build_info, a version
// collector's build_info), have one series per process whatever their
// label values: the denylist and unbounded-name do not apply to them, and
// neither do they count towards the cardinality budget. Constant labels
// (ConstLabels) never count towards the budget either.
//
// Use sites (WithLabelValues, GetMetricWithLabelValues, DeleteLabelValues,
// With, GetMetricWith, Delete, DeletePartialMatch, CurryWith,
// MustCurryWith, and MustNewConstMetric & co. on a Desc) are checked
// against the vector's declaration, through package variables, local
// variables and struct fields assigned once; curried vectors keep their
// remaining labels. Exported variables and fields carry a [VecFact], so
// use sites in importing packages are checked too (under go vet and in
// soakkit lint alike). Keys of a Labels literal at a use site of a vector
// that cannot be traced are checked against the allowlist.
//
// Findings can be suppressed with a "lint-ok: metriclabels/RULE -- reason"
// comment on the line or the line before.
package metriclabels
