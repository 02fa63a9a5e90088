package a

import (
	"metriclabels/other"

	"github.com/prometheus/client_golang/prometheus"
	prom "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

const labelEnv = "env"

var commonLabels = []string{labelEnv, other.Side}

// Negative: allowed labels, through constants, a cross-package constant
// and a variable with one constant initializer.
var ok = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orders_total", Help: "h"}, commonLabels)

// Positive: not in the allowlist, denied, invalid, reserved, case, duplicate.
var bad = promauto.NewCounterVec(prometheus.CounterOpts{Name: "fills_total"},
	[]string{"env", "userID", "order_id", "ws-type", "__x", "env", "customer"}) // want `label "userID" should be snake_case \("user_id"\)` `label "userID" is not in the allowlist \(metric "fills_total"\)` `label "order_id" is denied` `label "ws-type" is not a valid label name` `label "__x" is reserved` `duplicate label "env"` `label "customer" is not in the allowlist` `metric "fills_total" may produce ~1000000 series`

var hist = prom.NewHistogramVec(prom.HistogramOpts{Name: "lat_seconds"}, []string{"le"}) // want `label "le" is reserved for histogram buckets \(registration fails: client_golang panics`

var summ = prometheus.NewSummaryVec(prometheus.SummaryOpts{Name: "sz_bytes"}, []string{"quantile"}) // want `label "quantile" is reserved for summary quantiles \(registration fails: client_golang panics`

// Const labels and NewDesc.
var g = prometheus.NewGauge(prometheus.GaugeOpts{Name: "up", ConstLabels: prometheus.Labels{"service": "x", "host": "y"}}) // want `label "host" is not in the allowlist \(metric "up"\)`

var desc = prometheus.NewDesc("temp_celsius", "h", []string{"env", "zone"}, nil) // want `label "zone" is not in the allowlist`

// V2 API with constrained labels, and promauto.With(reg).
var v2 = prometheus.V2.NewCounterVec(prometheus.CounterVecOpts{
	CounterOpts:    prometheus.CounterOpts{Name: "v2_total"},
	VariableLabels: prometheus.ConstrainedLabels{{Name: "side"}, {Name: "tenant"}}, // want `label "tenant" is not in the allowlist \(metric "v2_total"\)`
})

var reg prometheus.Registerer

var factoryVec = promauto.With(reg).NewGaugeVec(prometheus.GaugeOpts{Name: "queue_depth"}, []string{"stage", "shard"}) // want `label "shard" is not in the allowlist`

// Per-metric rules from the test config: ^md_ allows ws_type, requires exchange, denies symbol.
var md = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "md_lag_seconds"}, []string{"ws_type", "symbol"}) // want `label "symbol" is not allowed on metric "md_lag_seconds" \(per_metric rule \^md_\)` `metric "md_lag_seconds" lacks label "exchange"`

// Cardinality budget from the hints: symbol≈500 × exchange≈10 × side≈2 = 10000 > 5000.
var fills = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "trades_total"}, []string{"symbol", "exchange", "side"}) // want `metric "trades_total" may produce ~10000 series \(exchange≈10 × side≈2 × symbol≈500\) > budget 5000`

// Unverifiable label names.
func dynamic(names []string) {
	_ = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dyn_total"}, names) // want `label names of NewCounterVec are not constant`
}

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics() *metrics {
	return &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "requests_total"}, []string{"env", "endpoint", "result"}),
		latency:  prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "latency_seconds", Buckets: []float64{1, 2}}, []string{"endpoint"}),
	}
}

func uses(m *metrics, v string) {
	ok.WithLabelValues("prod", "buy")                                        // negative
	ok.WithLabelValues("prod")                                               // want `WithLabelValues: 1 values for 2 labels \[env side\] of "orders_total" \(panics: inconsistent label cardinality\)`
	m.requests.WithLabelValues("a", "b", "c", "d")                           // want `WithLabelValues: 4 values for 3 labels`
	m.latency.WithLabelValues("x")                                           // negative
	m.requests.With(prometheus.Labels{"env": v, "endpoint": v, "result": v}) // negative
	m.requests.With(prometheus.Labels{"env": v, "endpoint": v, "symbol": v}) // want `With: label "symbol" is not declared on "requests_total" \(declared: env, endpoint, result\)` `With: missing label "result" for "requests_total" \(panics\)`
	ok.DeleteLabelValues("prod")                                             // want `DeleteLabelValues: 1 values for 2 labels`
	ok.DeletePartialMatch(prometheus.Labels{"side": v})                      // negative: partial
	curried := ok.MustCurryWith(prometheus.Labels{"env": "prod"})
	curried.WithLabelValues("buy")      // negative: one label left
	curried.WithLabelValues("buy", "x") // want `WithLabelValues: 2 values for 1 labels \[side\]`
	vals := []string{"a"}
	ok.WithLabelValues(vals...) // want `label values are spread`
	ch := make(chan prometheus.Metric, 1)
	ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, 1, "prod") // want `MustNewConstMetric: 1 values for 2 labels \[env zone\]`
	ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, 1, "prod", "z1")
	_ = v
}

// Use site of a vector declared elsewhere: keys checked against the allowlist.
func elsewhere(v *prometheus.CounterVec) {
	v.With(prometheus.Labels{"env": "x", "pod": "y"}) // want `label "pod" is not in the allowlist`
}

// False-positive guard: not client_golang.
var notProm = other.NewCounterVec(other.Opts{Name: "x"}, []string{"anything"})

func notPromUse() { notProm.WithLabelValues() }

// Suppressed findings: no want.
var suppressed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "legacy_total"}, []string{"customer"}) // lint-ok: metriclabels/not-allowed -- legacy dashboard

// lint-ok: metric-label -- legacy alias, covers the whole statement
var suppressedNext = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "legacy2_total"},
	[]string{"customer"})
