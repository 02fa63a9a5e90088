package a

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

const ns = "app"

var (
	good = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "requests_total", Help: "Requests."}, []string{"env"})
	fq   = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: "queue", Name: "depth", Help: "Depth."})

	noTotal  = prometheus.NewCounter(prometheus.CounterOpts{Name: "app_requests", Help: "h"})                                 // want `metric "app_requests": counter metrics should have "_total" suffix`
	gTotal   = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_temp_total", Help: "h"})                                   // want `non-counter metrics should not have "_total" suffix`
	noHelp   = promauto.NewCounter(prometheus.CounterOpts{Name: "app_jobs_total"})                                            // want `metric "app_jobs_total": no help text`
	millis   = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "app_latency_milliseconds", Help: "h"})                 // want `use base unit "seconds" instead of "milliseconds"`
	abbrev   = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_lag_ms", Help: "h"})                                       // want `metric names should not contain abbreviated units`
	typeName = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_queue_gauge", Help: "h"})                                  // want `metric name should not include type 'gauge'`
	colon    = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app:ratio", Help: "h"})                                        // want `metric names should not contain ':'`
	camel    = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_queueDepth", Help: "h"})                                   // want `metric names should be written in 'snake_case' not 'camelCase'`
	suffix   = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_x_count", Help: "h"})                                      // want `non-histogram and non-summary metrics should not have "_count" suffix`
	invalid  = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app-x", Help: "h"})                                            // want `metric name "app-x" is not a valid legacy metric name`
	dup      = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "app", Subsystem: "queue", Name: "depth", Help: "Depth."}) // want `metric "app_queue_depth" is also constructed at a.go:12`
	desc     = prometheus.NewDesc("app_temperature_celsius", "Temperature.", nil, nil)
	descBad  = prometheus.NewDesc("app_up_ms", "h", nil, nil) // want `abbreviated units`

	// Suppressed.
	legacy = prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_legacy_ms", Help: "h"}) // lint-ok: metricnames/unit-abbrev -- dashboards depend on it
)

func dynamic(name string) {
	prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: "h"}) // want `metric name of NewGauge is not constant`
}
