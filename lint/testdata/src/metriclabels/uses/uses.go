// Package uses uses metrics declared in package defs: the arity and key
// checks follow them through analysis facts.
package uses

import (
	"metriclabels/defs"

	"github.com/prometheus/client_golang/prometheus"
)

func record(m *defs.Metrics) {
	defs.Orders.WithLabelValues("prod", "buy")                   // negative
	defs.Orders.WithLabelValues("prod")                          // want `WithLabelValues: 1 values for 2 labels \[env side\] of "orders_total" \(panics`
	defs.Orders.With(prometheus.Labels{"env": "p", "tier": "x"}) // want `label "tier" is not declared on "orders_total"` `missing label "side"`
	m.Latency.WithLabelValues("/a", "b")                         // want `WithLabelValues: 2 values for 1 labels \[endpoint\] of "latency_seconds"`
}
