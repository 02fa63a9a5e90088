package clean

import "github.com/prometheus/client_golang/prometheus"

var V = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jobs_total", Help: "Jobs processed."}, []string{"env", "result"})

func Done(ok bool) {
	r := "ok"
	if !ok {
		r = "fail"
	}
	V.WithLabelValues("prod", r).Inc()
}
