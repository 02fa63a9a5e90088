// Package cfgflag is linted with a configuration set through
// lint.ConfigFlag, whose allowlist has env only.
package cfgflag

import "github.com/prometheus/client_golang/prometheus"

var c = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "h"}, []string{"env", "method"}) // want `label "method" is not in the allowlist`
