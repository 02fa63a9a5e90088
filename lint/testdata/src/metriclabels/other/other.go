// Package other has functions named like client_golang's; they must not be
// taken for Prometheus constructors.
package other

type Opts struct{ Name string }

type Vec struct{}

func NewCounterVec(o Opts, labels []string) *Vec { return &Vec{} }

func (v *Vec) WithLabelValues(lvs ...string) {}

const Side = "side"
