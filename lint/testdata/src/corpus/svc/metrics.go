// Package svc is a clean corpus: common client_golang patterns written the
// way the lint wants them. Every analyzer must report nothing here.
package svc

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

const (
	namespace = "trader"
	labelEnv  = "env"
)

var orderLabels = []string{labelEnv, "symbol", "side"}

var (
	orders = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace,
		Name:      "orders_total",
		Help:      "Orders sent, by outcome.",
	}, []string{"env", "symbol", "side", "result"})

	fills = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace,
		Name:      "fills_total",
		Help:      "Fills received.",
	}, orderLabels)

	latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace,
		Name:      "request_duration_seconds",
		Help:      "Request latency.",
		Buckets:   []float64{.001, .01, .1, 1},
	}, []string{"endpoint", "op"})

	up = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace:   namespace,
		Name:        "up",
		Help:        "Whether the service is up.",
		ConstLabels: prometheus.Labels{"service": "svc"},
	})

	tempDesc = prometheus.NewDesc("trader_temperature_celsius", "Temperature.", []string{"instance"}, nil)

	queue = prometheus.V2.NewGaugeVec(prometheus.GaugeVecOpts{
		GaugeOpts:      prometheus.GaugeOpts{Namespace: namespace, Name: "queue_depth", Help: "Queue depth."},
		VariableLabels: prometheus.UnconstrainedLabels{"stage"},
	})
)

type metrics struct {
	lat *prometheus.HistogramVec
}

// Record records one request.
func Record(env, symbol string, buy bool, ms int) {
	side := "sell"
	if buy {
		side = "buy"
	}
	fills.WithLabelValues(env, symbol, side).Inc()
	fills.With(prometheus.Labels{"env": env, "symbol": symbol, "side": side}).Inc()
	byEnv := fills.MustCurryWith(prometheus.Labels{"env": env})
	byEnv.WithLabelValues(symbol, side).Inc()
	m := metrics{lat: latency}
	m.lat.WithLabelValues("/orders", "place").Observe(float64(ms) / 1000)
	queue.WithLabelValues("ingest").Set(1)
	up.Set(1)
	fmt.Println("recorded", strconv.Itoa(ms), "ms [OK]")
	slog.Info("recorded", "env", env)
}

// Collect sends a const metric.
func Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(tempDesc, prometheus.GaugeValue, 21.5, "host-1")
}

// SaveState writes JSON atomically: temp file, sync, rename.
func SaveState(path string, v any) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return err
	}
	if err := json.NewEncoder(f).Encode(v); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Dump prints JSON to stdout and appends to a JSON Lines log.
func Dump(v any, logPath string) error {
	if err := json.NewEncoder(os.Stdout).Encode(v); err != nil {
		return err
	}
	f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewEncoder(f).Encode(v)
}

var _ = orders
