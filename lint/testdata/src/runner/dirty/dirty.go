package dirty

import "github.com/prometheus/client_golang/prometheus"

var V = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jobs_total", Help: "Jobs."}, []string{"env", "user_id"})

// lint-ok: metriclabels/not-allowed -- nothing to suppress here
var W = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "runs_total", Help: "Runs."}, []string{"env"})

// Information only: label names that are not constant.
func Dynamic(names []string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "dyn", Help: "Dynamic."}, names)
}
