// Package defprofile is linted with the default profile: no allowlist,
// label names that look unbounded are warnings, info metrics and constant
// labels never count as cardinality risks.
package defprofile

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Negative: ordinary label names of real exporters.
var reqs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "http_requests_total", Help: "h"}, []string{"method", "code", "handler"})

var cpu = prometheus.NewDesc("node_cpu_seconds_total", "h", []string{"cpu", "mode"}, nil)

// Positive: names that look unbounded.
var users = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "logins_total", Help: "h"}, []string{"user_id", "client_ip", "url"}) // want `label "user_id" looks unbounded \(identifiers\)` `label "client_ip" looks unbounded \(IP addresses\)` `label "url" looks unbounded \(URLs\)`

// Negative: an info metric whose labels look unbounded has one series.
var buildInfo = prometheus.NewDesc("go_build_info", "h", []string{"path", "version", "checksum"}, nil)

// Negative: a version collector, namespace unknown, seven const labels.
func versionCollector(program, v, rev, branch, gov, goos, goarch, tags string) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: program,
		Name:      "build_info",
		Help:      "h",
		ConstLabels: prometheus.Labels{
			"version": v, "revision": rev, "branch": branch, "goversion": gov, "goos": goos, "goarch": goarch, "tags": tags,
		},
	}, func() float64 { return 1 })
}

// Negative: BuildFQName of constants is a known name.
var fq = prometheus.NewDesc(prometheus.BuildFQName("node", "network", "info"), "h", []string{"device", "address"}, nil)

// Positive: many variable labels still exceed the budget.
var wide = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "wide", Help: "h"}, []string{"a", "b", "c", "d", "e"}) // want `metric "wide" may produce ~100000 series`

// Errors stay errors.
var reserved = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lat_seconds", Help: "h"}, []string{"le"}) // want `label "le" is reserved`

func use(err error, cpu int) {
	reqs.WithLabelValues("GET")                           // want `WithLabelValues: 1 values for 3 labels`
	reqs.WithLabelValues("GET", "500", err.Error())       // want `value of label "handler" comes from err.Error\(\): unbounded`
	reqs.WithLabelValues("GET", "200", strconv.Itoa(cpu)) // formatted-value is opt-in
}
