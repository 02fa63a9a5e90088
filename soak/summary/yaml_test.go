package summary

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/strictyaml"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// The config file form of a Config, as the soakkit command decodes it.
func TestConfigYAML(t *testing.T) {
	const doc = `
gates:
  - figure: step.tests.p95_ms
    max: 400
    soft_max: 350
  - name: net_bps
    file: kpi.json
    pointer: /net_bps
    aggregate: median
    min: 2.0
    missing: warn
leaks:
  policies:
    rss: {floor: 524288, block: 2m, warmup: 10m}
  ignore: [self]
slowdown:
  min_increase: 0.3
report_url: https://ci.example/report.html
`
	var got Config
	if err := strictyaml.Decode("soakkit.yaml", []byte(doc), &got); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := Config{
		Gates: []Gate{
			{Figure: "step.tests.p95_ms", Max: ptr(400), SoftMax: ptr(350)},
			{Name: "net_bps", File: "kpi.json", Pointer: "/net_bps", Aggregate: "median", Min: ptr(2), Missing: "warn"},
		},
		Leaks: LeakConfig{Policies: map[probe.Metric]LeakPolicy{probe.RSS: {Floor: 524288,
			Block: artifact.Duration(2 * time.Minute), Warmup: artifact.Duration(10 * time.Minute)}}, Ignore: []string{"self"}},
		Slowdown:  SlowdownConfig{MinIncrease: 0.3},
		ReportURL: "https://ci.example/report.html",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded Config mismatch (-want +got):\n%s", diff)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if err := strictyaml.Decode("soakkit.yaml", []byte("gates:\n  - figure: x\n    maximum: 3\n"), &got); err == nil {
		t.Error("Decode accepted an unknown key")
	}
}
