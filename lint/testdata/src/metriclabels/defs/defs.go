// Package defs declares metrics used by package uses.
package defs

import "github.com/prometheus/client_golang/prometheus"

var Orders = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orders_total", Help: "Orders."}, []string{"env", "side"}) // want Orders:`vec\(counter orders_total \[env side\]\)`

type Metrics struct {
	Latency *prometheus.HistogramVec // want Latency:`vec\(histogram latency_seconds \[endpoint\]\)`
}

func New() *Metrics {
	return &Metrics{Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "latency_seconds", Help: "Latency."}, []string{"endpoint"})}
}
