package prefix

import "github.com/prometheus/client_golang/prometheus"

var (
	ok  = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "svc", Name: "runs_total", Help: "Runs."})
	bad = prometheus.NewCounter(prometheus.CounterOpts{Name: "runs_total", Help: "Runs."}) // want `metric name "runs_total" lacks a required prefix \(svc_\)`
	off = prometheus.NewCounter(prometheus.CounterOpts{Name: "svc_runs"})                  // other metricnames rules are off in this config
)
