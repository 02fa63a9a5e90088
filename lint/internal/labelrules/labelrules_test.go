package labelrules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/lint/config"
)

func rules(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Rule)
	}
	return out
}

func TestLabel(t *testing.T) {
	cfg := config.Default()
	tests := []struct {
		metric, kind, name string
		want               []string
	}{
		{"m", "counter", "env", nil},
		{"m", "counter", "tenant", []string{"not-allowed"}},
		{"m", "counter", "user_id", []string{"denied"}},
		{"m", "counter", "wsType", []string{"case", "not-allowed"}},
		{"m", "counter", "ws-type", []string{"invalid-name"}},
		{"m", "counter", "__name", []string{"reserved"}},
		{"m", "histogram", "le", []string{"reserved"}},
		{"m", "gauge", "quantile", []string{"reserved"}},
		{"", "", "env", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, rules(Label(cfg, tt.metric, tt.kind, tt.name))); diff != "" {
			t.Errorf("Label(%q, %q, %q) mismatch (-want +got):\n%s", tt.metric, tt.kind, tt.name, diff)
		}
	}
}

func TestSetBudget(t *testing.T) {
	cfg := config.Default()
	cfg.Metrics.Labels.Cardinality = map[string]int{"symbol": 500, "exchange": 10}
	cfg.Metrics.Labels.SeriesBudget = 10000
	cfg.Metrics.Labels.MaxLabelsPerMetric = 2
	ps := Set(cfg, "fills_total", "histogram", []string{"symbol", "exchange", "symbol"}, 3)
	want := []string{"duplicate", "too-many", "cardinality-budget"}
	if diff := cmp.Diff(want, rules(ps)); diff != "" {
		t.Errorf("Set rules mismatch (-want +got):\n%s", diff)
	}
	if est, _ := Estimate(cfg, "histogram", []string{"symbol", "exchange"}, 3); est != 500*10*5 {
		t.Errorf("Estimate = %d, want %d", est, 500*10*5)
	}
}

func TestSnakeCase(t *testing.T) {
	for give, want := range map[string]string{"wsType": "ws_type", "userID": "user_id", "HTTPCode": "http_code", "ok": "ok"} {
		if got := SnakeCase(give); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", give, got, want)
		}
	}
}
