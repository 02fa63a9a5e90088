package promrules

import (
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
)

// TestTextsPinned runs the real promlint on families crafted to trigger
// every validation and checks that each problem text maps to a known rule:
// a changed text in a client_golang upgrade fails here instead of silently
// becoming rule "promlint".
func TestTextsPinned(t *testing.T) {
	fams := []*dto.MetricFamily{
		Family("no_help_total", "", "counter", nil),
		Family("requests", "h", "counter", nil),
		Family("temp_total", "h", "gauge", nil),
		Family("latency_milliseconds", "h", "gauge", nil),
		Family("latency_ms", "h", "gauge", nil),
		Family("queue_gauge", "h", "gauge", nil),
		Family("rec:rule", "h", "gauge", nil),
		Family("requestCount", "h", "gauge", nil),
		Family("x_bucket", "h", "gauge", []string{"le", "fooBar"}),
		Family("y_count", "h", "gauge", []string{"quantile"}),
		Family("z_sum", "h", "gauge", nil),
	}
	want := map[string]bool{HelpMissing: true, CounterTotal: true, NonCounterTotal: true, BaseUnit: true,
		UnitAbbrev: true, TypeInName: true, Colon: true, CamelCase: true, LabelCamelCase: true,
		ReservedSuffix: true, ReservedLabel: true}
	ps, err := promlint.NewWithMetricFamilies(fams).Lint()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range ps {
		id := RuleID(p.Text)
		if id == Other {
			t.Errorf("promlint text %q (metric %s) maps to no rule", p.Text, p.Metric)
		}
		got[id] = true
	}
	for id := range want {
		if !got[id] {
			t.Errorf("no crafted family triggered rule %s", id)
		}
	}
}

func TestExtra(t *testing.T) {
	cfg := configWithPrefix("app_")
	tests := []struct {
		give string
		want []string
	}{
		{"app_requests_total", nil},
		{"requests_total", []string{Prefix}},
		{"app_requests-x", []string{InvalidName}},
		{"app_ünits", []string{InvalidName}},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range Extra(cfg, tt.give) {
			got = append(got, p.Rule)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("Extra(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
}
