package unbounded

import (
	"errors"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

var reqs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reqs_total", Help: "h"}, []string{"result", "reason"})

func record(n int, err error) {
	reqs.WithLabelValues(strconv.Itoa(n), "ok")                           // want `WithLabelValues: value of label "result" comes from strconv.Itoa\(\): unbounded`
	reqs.With(prometheus.Labels{"result": "fail", "reason": err.Error()}) // want `With: value of label "reason" comes from err.Error\(\): unbounded`
	reqs.WithLabelValues("fail", "timeout")                               // negative
	if errors.Is(err, errDone) {
		reqs.WithLabelValues("ok", "done")
	}
}

var errDone = errors.New("done")
