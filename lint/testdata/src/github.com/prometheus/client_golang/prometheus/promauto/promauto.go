// Package promauto is an offline stub of client_golang's promauto package
// for analysistest fixtures.
package promauto

import "github.com/prometheus/client_golang/prometheus"

func NewCounter(opts prometheus.CounterOpts) prometheus.Counter { return nil }
func NewCounterVec(opts prometheus.CounterOpts, labelNames []string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(opts, labelNames)
}
func NewGauge(opts prometheus.GaugeOpts) prometheus.Gauge { return nil }
func NewGaugeVec(opts prometheus.GaugeOpts, labelNames []string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(opts, labelNames)
}
func NewHistogram(opts prometheus.HistogramOpts) prometheus.Histogram { return nil }
func NewHistogramVec(opts prometheus.HistogramOpts, labelNames []string) *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(opts, labelNames)
}
func NewSummary(opts prometheus.SummaryOpts) prometheus.Summary { return nil }
func NewSummaryVec(opts prometheus.SummaryOpts, labelNames []string) *prometheus.SummaryVec {
	return prometheus.NewSummaryVec(opts, labelNames)
}

type Factory struct{ r prometheus.Registerer }

func With(r prometheus.Registerer) Factory { return Factory{r} }

func (f Factory) NewCounter(opts prometheus.CounterOpts) prometheus.Counter { return nil }
func (f Factory) NewCounterVec(opts prometheus.CounterOpts, labelNames []string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(opts, labelNames)
}
func (f Factory) NewGauge(opts prometheus.GaugeOpts) prometheus.Gauge { return nil }
func (f Factory) NewGaugeVec(opts prometheus.GaugeOpts, labelNames []string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(opts, labelNames)
}
func (f Factory) NewHistogram(opts prometheus.HistogramOpts) prometheus.Histogram { return nil }
func (f Factory) NewHistogramVec(opts prometheus.HistogramOpts, labelNames []string) *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(opts, labelNames)
}
func (f Factory) NewSummary(opts prometheus.SummaryOpts) prometheus.Summary { return nil }
func (f Factory) NewSummaryVec(opts prometheus.SummaryOpts, labelNames []string) *prometheus.SummaryVec {
	return prometheus.NewSummaryVec(opts, labelNames)
}
