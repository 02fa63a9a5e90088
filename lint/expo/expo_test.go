package expo_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/expo"
)

func render(fs []expo.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, strings.Join([]string{itoa(f.Line), f.Rule, f.Message}, " | "))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestCheckText(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "metrics.prom"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("t.yaml", []byte("metrics:\n  labels:\n    cardinality: {result: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := expo.Check(data, expo.Auto, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`1 | exposition/label-values | label "result" of metric "app_requests_total" has 2 distinct values, more than its cardinality hint 1`,
		`5 | exposition/counter-total | metric "app_jobs": counter metrics should have "_total" suffix`,
		`8 | exposition/help-missing | metric "app_sessions": no help text`,
		`8 | exposition/unbounded-name | label "session_id" looks unbounded (identifiers): each value is a new series (metric "app_sessions")`,
		`8 | exposition/value-shape | label "session_id" of metric "app_sessions" has values that look unbounded (UUID, e.g. "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")`,
		`11 | exposition/unit-abbrev | metric "app_latency_ms": metric names should not contain abbreviated units`,
		`11 | exposition/value-shape | label "endpoint" of metric "app_latency_ms" has values that look unbounded (path, e.g. "/api/v1/orders")`,
		`17 | exposition/empty-value | label "env" of metric "app_up" has an empty value (the same as no label)`,
	}
	if diff := cmp.Diff(want, render(got)); diff != "" {
		t.Errorf("Check(metrics.prom) mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckSeriesLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("# HELP x_total X.\n# TYPE x_total counter\n")
	for i := range 12 {
		b.WriteString(`x_total{env="e` + itoa(i+1) + `"} 1` + "\n")
	}
	cfg, _ := config.Parse("t.yaml", []byte("exposition:\n  max_series_per_metric: 10\n"))
	got, err := expo.Check([]byte(b.String()), expo.Text, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`1 | exposition/series | metric "x_total" has 12 series, more than max_series_per_metric 10`}
	if diff := cmp.Diff(want, render(got)); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckMalformed(t *testing.T) {
	if _, err := expo.Check([]byte("metric{ 1\n"), expo.Text, nil); err == nil {
		t.Error("Check(malformed) = nil error, want a parse error")
	}
}

func TestShape(t *testing.T) {
	tests := []struct{ give, want string }{
		{"6f1c2a7e-9b1d-4c3e-8f2a-1d2e3f4a5b6c", "UUID"},
		{"deadbeefdeadbeef01", "long hex id"},
		{"1700000000", "numeric id"},
		{"10.0.0.1:9090", "IP address"},
		{"ops@example.com", "e-mail address"},
		{"https://x/y", "URL"},
		{"/api/v1/users/42", "path"},
		{strings.Repeat("z", 65), "longer than 64 bytes"},
		{"prod", ""},
		{"BTCUSDT", ""},
		{"200", ""},
		{"/", ""},
	}
	for _, tt := range tests {
		if got := expo.Shape(tt.give, 64); got != tt.want {
			t.Errorf("Shape(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// TestFetchFormats serves a real client_golang registry through promhttp on
// loopback and lints it as text, OpenMetrics and protobuf: the findings
// must be the same (names end in _total, avoiding the documented
// OpenMetrics counter-naming difference).
func TestFetchFormats(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	// Deliberately bad metrics: the test expects these findings over HTTP.
	// lint-ok: metriclabels/unbounded-name -- fixture
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "app_orders_total", Help: "Orders."}, []string{"env", "user_id"})
	c.WithLabelValues("prod", "1234567").Inc()
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_lag_ms", Help: "Lag."}) // lint-ok: metricnames/unit-abbrev -- fixture
	g.Set(1)
	reg.MustRegister(c, g)
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	defer srv.Close()

	want := []string{
		`0 | exposition/unbounded-name | label "user_id" looks unbounded (identifiers): each value is a new series (metric "app_orders_total")`,
		`0 | exposition/value-shape | label "user_id" of metric "app_orders_total" has values that look unbounded (numeric id, e.g. "1234567")`,
		`0 | exposition/unit-abbrev | metric "app_lag_ms": metric names should not contain abbreviated units`,
	}
	tests := []struct {
		name, accept string
		format       expo.Format
	}{
		{"text", "", expo.Text},
		{"openmetrics", "application/openmetrics-text;version=1.0.0", expo.OpenMetrics},
		{"protobuf", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", expo.Protobuf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, f, err := expo.Fetch(context.Background(), srv.Client(), srv.URL, tt.accept)
			if err != nil {
				t.Fatal(err)
			}
			if f != tt.format {
				t.Fatalf("Fetch format = %q, want %q", f, tt.format)
			}
			got, err := expo.CheckFamiliesOf(data, f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sorted(want), sorted(render(got))); diff != "" {
				t.Errorf("findings over %s mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestFetchErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	if _, _, err := expo.Fetch(context.Background(), srv.Client(), srv.URL, ""); err == nil {
		t.Error("Fetch(503) = nil error")
	}
}

// FuzzCheck feeds arbitrary bytes to the decoders and the rules: errors are
// fine, panics and findings without a rule are not.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("# TYPE x counter\nx{a=\"b\"} 1\n"))
	f.Add([]byte("# TYPE x histogram\nx_bucket{le=\"+Inf\"} 1\nx_sum 1\nx_count 1\n# EOF\n"))
	f.Add([]byte{0x08, 0x0a, 0x01, 'x'})
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := expo.Check(data, expo.Auto, nil)
		if err != nil {
			return
		}
		for _, fd := range fs {
			if !strings.HasPrefix(fd.Rule, "exposition/") || fd.Message == "" {
				t.Fatalf("Check(%q): bad finding %+v", data, fd)
			}
		}
	})
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ give, want string }{
		{"http://host:9090/metrics", "http://host:9090/metrics"},
		{"https://user:pw@host/metrics?x=1", "https://****@host/metrics?x=1"},
		{"https://ghp_token@host/metrics", "https://****@host/metrics"},
		{"http://a b:pw@host/", "(bad URL)"},
	}
	for _, tt := range tests {
		if got := expo.RedactURL(tt.give); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
