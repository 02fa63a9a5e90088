package unbounded

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var reqs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reqs_total", Help: "h"}, []string{"result", "reason"})

func record(n int, err error, r *http.Request, t time.Time) {
	reqs.WithLabelValues(strconv.Itoa(n), "ok")                           // want `WithLabelValues: value of label "result" comes from strconv.Itoa\(\): unbounded`
	reqs.With(prometheus.Labels{"result": "fail", "reason": err.Error()}) // want `With: value of label "reason" comes from err.Error\(\): unbounded`
	reqs.WithLabelValues("fail", "timeout")                               // negative
	reqs.WithLabelValues(r.URL.Path, r.RemoteAddr)                        // want `value of label "result" comes from r.URL.Path` `value of label "reason" comes from r.RemoteAddr`
	reqs.WithLabelValues(t.Format(time.RFC3339), "x")                     // want `value of label "result" comes from t.Format\(\)`
	if errors.Is(err, errDone) {
		reqs.WithLabelValues("ok", "done")
	}
}

var errDone = errors.New("done")
