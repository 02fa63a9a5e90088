// Package prometheus is an offline stub of client_golang's prometheus
// package for analysistest fixtures. Every declaration here has the same
// type as in client_golang v1.25.0; lint/stubs_test.go checks that.
package prometheus

type Labels map[string]string

type LabelConstraint func(string) string

type ConstrainedLabel struct {
	Name       string
	Constraint LabelConstraint
}

type ConstrainableLabels interface {
	labelNames() []string
}

type ConstrainedLabels []ConstrainedLabel

func (cls ConstrainedLabels) labelNames() []string { return nil }

type UnconstrainedLabels []string

func (uls UnconstrainedLabels) labelNames() []string { return uls }

type Opts struct {
	Namespace   string
	Subsystem   string
	Name        string
	Help        string
	Unit        string
	ConstLabels Labels
}

type CounterOpts Opts
type GaugeOpts Opts
type UntypedOpts Opts

type HistogramOpts struct {
	Namespace   string
	Subsystem   string
	Name        string
	Help        string
	Unit        string
	ConstLabels Labels
	Buckets     []float64
}

type SummaryOpts struct {
	Namespace   string
	Subsystem   string
	Name        string
	Help        string
	Unit        string
	ConstLabels Labels
	Objectives  map[float64]float64
}

type CounterVecOpts struct {
	CounterOpts
	VariableLabels ConstrainableLabels
}

type GaugeVecOpts struct {
	GaugeOpts
	VariableLabels ConstrainableLabels
}

type HistogramVecOpts struct {
	HistogramOpts
	VariableLabels ConstrainableLabels
}

type SummaryVecOpts struct {
	SummaryOpts
	VariableLabels ConstrainableLabels
}

var DefBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

type Desc struct{ fqName string }

type DescOpt func(*Desc)

type Metric interface {
	Desc() *Desc
}

type Collector interface {
	Describe(chan<- *Desc)
	Collect(chan<- Metric)
}

type Counter interface {
	Metric
	Collector
	Inc()
	Add(float64)
}

type Gauge interface {
	Metric
	Collector
	Set(float64)
	Inc()
	Dec()
	Add(float64)
	Sub(float64)
}

type Observer interface {
	Observe(float64)
}

type ObserverVec interface {
	GetMetricWith(Labels) (Observer, error)
	GetMetricWithLabelValues(lvs ...string) (Observer, error)
	With(Labels) Observer
	WithLabelValues(...string) Observer
	CurryWith(Labels) (ObserverVec, error)
	MustCurryWith(Labels) ObserverVec
	Collector
}

type CounterFunc interface {
	Metric
	Collector
}

type GaugeFunc interface {
	Metric
	Collector
}

type UntypedFunc interface {
	Metric
	Collector
}

type Registerer interface {
	Register(Collector) error
	MustRegister(...Collector)
	Unregister(Collector) bool
}

func MustRegister(cs ...Collector) {}

type ValueType int

const (
	_ ValueType = iota
	CounterValue
	GaugeValue
	UntypedValue
)

func BuildFQName(namespace, subsystem, name string) string { return "" }

type MetricVec struct{ desc *Desc }

func (m *MetricVec) DeleteLabelValues(lvs ...string) bool                   { return false }
func (m *MetricVec) Delete(labels Labels) bool                              { return false }
func (m *MetricVec) DeletePartialMatch(labels Labels) int                   { return 0 }
func (m *MetricVec) Describe(ch chan<- *Desc)                               {}
func (m *MetricVec) Collect(ch chan<- Metric)                               {}
func (m *MetricVec) Reset()                                                 {}
func (m *MetricVec) CurryWith(labels Labels) (*MetricVec, error)            { return m, nil }
func (m *MetricVec) GetMetricWithLabelValues(lvs ...string) (Metric, error) { return nil, nil }
func (m *MetricVec) GetMetricWith(labels Labels) (Metric, error)            { return nil, nil }

type CounterVec struct{ *MetricVec }

func NewCounterVec(opts CounterOpts, labelNames []string) *CounterVec      { return &CounterVec{} }
func NewCounter(opts CounterOpts) Counter                                  { return nil }
func NewCounterFunc(opts CounterOpts, function func() float64) CounterFunc { return nil }

func (v *CounterVec) GetMetricWithLabelValues(lvs ...string) (Counter, error) { return nil, nil }
func (v *CounterVec) GetMetricWith(labels Labels) (Counter, error)            { return nil, nil }
func (v *CounterVec) WithLabelValues(lvs ...string) Counter                   { return nil }
func (v *CounterVec) With(labels Labels) Counter                              { return nil }
func (v *CounterVec) CurryWith(labels Labels) (*CounterVec, error)            { return v, nil }
func (v *CounterVec) MustCurryWith(labels Labels) *CounterVec                 { return v }

type GaugeVec struct{ *MetricVec }

func NewGaugeVec(opts GaugeOpts, labelNames []string) *GaugeVec            { return &GaugeVec{} }
func NewGauge(opts GaugeOpts) Gauge                                        { return nil }
func NewGaugeFunc(opts GaugeOpts, function func() float64) GaugeFunc       { return nil }
func NewUntypedFunc(opts UntypedOpts, function func() float64) UntypedFunc { return nil }

func (v *GaugeVec) GetMetricWithLabelValues(lvs ...string) (Gauge, error) { return nil, nil }
func (v *GaugeVec) GetMetricWith(labels Labels) (Gauge, error)            { return nil, nil }
func (v *GaugeVec) WithLabelValues(lvs ...string) Gauge                   { return nil }
func (v *GaugeVec) With(labels Labels) Gauge                              { return nil }
func (v *GaugeVec) CurryWith(labels Labels) (*GaugeVec, error)            { return v, nil }
func (v *GaugeVec) MustCurryWith(labels Labels) *GaugeVec                 { return v }

type HistogramVec struct{ *MetricVec }

func NewHistogramVec(opts HistogramOpts, labelNames []string) *HistogramVec { return &HistogramVec{} }
func NewHistogram(opts HistogramOpts) Histogram                             { return nil }

type Histogram interface {
	Metric
	Collector
	Observe(float64)
}

func (v *HistogramVec) GetMetricWithLabelValues(lvs ...string) (Observer, error) { return nil, nil }
func (v *HistogramVec) GetMetricWith(labels Labels) (Observer, error)            { return nil, nil }
func (v *HistogramVec) WithLabelValues(lvs ...string) Observer                   { return nil }
func (v *HistogramVec) With(labels Labels) Observer                              { return nil }
func (v *HistogramVec) CurryWith(labels Labels) (ObserverVec, error)             { return nil, nil }
func (v *HistogramVec) MustCurryWith(labels Labels) ObserverVec                  { return nil }

type SummaryVec struct{ *MetricVec }

func NewSummaryVec(opts SummaryOpts, labelNames []string) *SummaryVec { return &SummaryVec{} }
func NewSummary(opts SummaryOpts) Summary                             { return nil }

type Summary interface {
	Metric
	Collector
	Observe(float64)
}

func (v *SummaryVec) GetMetricWithLabelValues(lvs ...string) (Observer, error) { return nil, nil }
func (v *SummaryVec) GetMetricWith(labels Labels) (Observer, error)            { return nil, nil }
func (v *SummaryVec) WithLabelValues(lvs ...string) Observer                   { return nil }
func (v *SummaryVec) With(labels Labels) Observer                              { return nil }
func (v *SummaryVec) CurryWith(labels Labels) (ObserverVec, error)             { return nil, nil }
func (v *SummaryVec) MustCurryWith(labels Labels) ObserverVec                  { return nil }

func NewDesc(fqName, help string, variableLabels []string, constLabels Labels) *Desc { return &Desc{} }

func NewConstMetric(desc *Desc, valueType ValueType, value float64, labelValues ...string) (Metric, error) {
	return nil, nil
}
func MustNewConstMetric(desc *Desc, valueType ValueType, value float64, labelValues ...string) Metric {
	return nil
}
func NewConstHistogram(desc *Desc, count uint64, sum float64, buckets map[float64]uint64, labelValues ...string) (Metric, error) {
	return nil, nil
}
func MustNewConstHistogram(desc *Desc, count uint64, sum float64, buckets map[float64]uint64, labelValues ...string) Metric {
	return nil
}
func NewConstSummary(desc *Desc, count uint64, sum float64, quantiles map[float64]float64, labelValues ...string) (Metric, error) {
	return nil, nil
}
func MustNewConstSummary(desc *Desc, count uint64, sum float64, quantiles map[float64]float64, labelValues ...string) Metric {
	return nil
}

type v2 struct{}

var V2 = v2{}

func (v2) NewCounterVec(opts CounterVecOpts) *CounterVec       { return &CounterVec{} }
func (v2) NewGaugeVec(opts GaugeVecOpts) *GaugeVec             { return &GaugeVec{} }
func (v2) NewHistogramVec(opts HistogramVecOpts) *HistogramVec { return &HistogramVec{} }
func (v2) NewSummaryVec(opts SummaryVecOpts) *SummaryVec       { return &SummaryVec{} }
func (v2) NewDesc(fqName, help string, variableLabels ConstrainableLabels, constLabels Labels, opts ...DescOpt) *Desc {
	return &Desc{}
}
