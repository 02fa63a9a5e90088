// Package expo lints Prometheus expositions, saved or live: the output of
// a /metrics endpoint in the text format, OpenMetrics 1.0 or delimited
// protobuf, decoded with prometheus/common/expfmt.
//
// It is a superset of `promtool check metrics`: client_golang's promlint
// rules (with the same stable IDs as the metricnames analyzer), the label
// allowlist, denylist and per-metric rules of the lint configuration, and
// checks that need real data:
//
//	exposition/series        a family has more series than exposition.max_series_per_metric
//	                         (histograms count buckets+2 per series, summaries quantiles+2)
//	exposition/label-values  a label has more distinct values than its cardinality hint
//	exposition/value-shape   label values that look unbounded: UUIDs, long hex or
//	                         numeric ids, IP addresses, e-mails, URLs and paths, or
//	                         values longer than exposition.max_value_length
//	exposition/empty-value   k="" (the same as an absent label)
//
// Findings in a text or OpenMetrics file carry the line of the family's
// first "# HELP", "# TYPE" or sample line; protobuf and URLs give no line.
//
// When fetching, [Fetch] asks for the text format by default: the
// OpenMetrics decoder names a counter family after its sample
// (orders_total), so a counter registered without _total would pass the
// counter-total rule there but fail it in text or protobuf.
package expo
