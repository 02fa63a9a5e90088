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
	trading, err := config.Parse("lint.yaml", []byte("profile: trading\n"))
	if err != nil {
		t.Fatal(err)
	}
	hinted, err := config.Parse("lint.yaml", []byte("metrics:\n  labels:\n    cardinality: {shard_id: 8}\n"))
	if err != nil {
		t.Fatal(err)
	}
	def := config.Default()
	counter := Metric{Name: "m", Kind: "counter", Buckets: -1}
	tests := []struct {
		name  string
		cfg   *config.Config
		m     Metric
		label string
		want  []string
	}{
		{"trading allowed", trading, counter, "env", nil},
		{"trading not allowed", trading, counter, "tenant", []string{"not-allowed"}},
		{"trading denied", trading, counter, "user_id", []string{"denied"}},
		{"trading case", trading, counter, "wsType", []string{"case", "not-allowed"}},
		{"trading info denied name", trading, Metric{Name: "go_build_info", Kind: "untyped", Info: true}, "path", []string{"not-allowed"}},
		{"invalid", def, counter, "ws-type", []string{"invalid-name"}},
		{"reserved prefix", def, counter, "__name", []string{"reserved"}},
		{"le on histogram", def, Metric{Name: "m", Kind: "histogram"}, "le", []string{"reserved"}},
		{"quantile anywhere", def, Metric{Name: "m", Kind: "gauge"}, "quantile", []string{"reserved"}},
		{"default any name", def, counter, "tenant", nil},
		{"default method", def, counter, "method", nil},
		{"default case", def, counter, "wsType", []string{"case"}},
		{"default id", def, counter, "user_id", []string{"unbounded-name"}},
		{"default camel id", def, counter, "userID", []string{"case", "unbounded-name"}},
		{"default ip", def, counter, "ip_address", []string{"unbounded-name"}},
		{"default url", def, counter, "url", []string{"unbounded-name"}},
		{"default path", def, counter, "path", []string{"unbounded-name"}},
		{"default timestamp", def, counter, "timestamp", []string{"unbounded-name"}},
		{"default email", def, counter, "email", []string{"unbounded-name"}},
		{"default uuid", def, counter, "uuid", []string{"unbounded-name"}},
		{"default info metric", def, Metric{Name: "go_build_info", Kind: "untyped", Info: true}, "path", nil},
		{"default hinted", hinted, counter, "shard_id", nil},
		{"default not bounded word", def, counter, "identity", nil},
		{"unknown metric", def, Metric{Buckets: -1}, "env", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, rules(Label(tt.cfg, tt.m, tt.label))); diff != "" {
				t.Errorf("Label(%+v, %q) mismatch (-want +got):\n%s", tt.m, tt.label, diff)
			}
		})
	}
}

func TestSetBudget(t *testing.T) {
	cfg := config.Default()
	cfg.Metrics.Labels.Cardinality = map[string]int{"symbol": 500, "exchange": 10}
	cfg.Metrics.Labels.SeriesBudget = 10000
	cfg.Metrics.Labels.MaxLabelsPerMetric = 2
	ps := Set(cfg, Metric{Name: "fills_total", Kind: "histogram", Buckets: 3}, []string{"symbol", "exchange", "symbol"}, 0)
	want := []string{"duplicate", "too-many", "cardinality-budget"}
	if diff := cmp.Diff(want, rules(ps)); diff != "" {
		t.Errorf("Set rules mismatch (-want +got):\n%s", diff)
	}
	if est, _ := Estimate(cfg, "histogram", []string{"symbol", "exchange"}, 3); est != 500*10*5 {
		t.Errorf("Estimate = %d, want %d", est, 500*10*5)
	}
}

// TestSetNoSeries checks that constant labels and info metrics never count
// as cardinality risks.
func TestSetNoSeries(t *testing.T) {
	cfg := config.Default()
	seven := []string{"version", "revision", "branch", "goversion", "goos", "goarch", "tags"}
	tests := []struct {
		name   string
		m      Metric
		nconst int
		want   []string
	}{
		{"variable labels", Metric{Name: "x", Kind: "gauge", Buckets: -1}, 0, []string{"cardinality-budget"}},
		{"const labels", Metric{Name: "x", Kind: "gauge", Buckets: -1}, 7, nil},
		{"info metric", Metric{Name: "x_build_info", Kind: "gauge", Info: true, Buckets: -1}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, rules(Set(cfg, tt.m, seven, tt.nconst))); diff != "" {
				t.Errorf("Set(%+v, nconst %d) mismatch (-want +got):\n%s", tt.m, tt.nconst, diff)
			}
		})
	}
}

func TestIsInfo(t *testing.T) {
	for give, want := range map[string]bool{"go_build_info": true, "info": true, "build_info": true, "information_total": false, "x_infos": false} {
		if got := IsInfo(give); got != want {
			t.Errorf("IsInfo(%q) = %v, want %v", give, got, want)
		}
	}
}

func TestSnakeCase(t *testing.T) {
	for give, want := range map[string]string{"wsType": "ws_type", "userID": "user_id", "HTTPCode": "http_code", "ok": "ok"} {
		if got := SnakeCase(give); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", give, got, want)
		}
	}
}
