package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/lint/config"
)

func TestDefault(t *testing.T) {
	c := config.Default()
	if c.Metrics.Labels.Allow != nil || c.Metrics.Labels.Deny != nil || c.Profile != config.ProfileDefault {
		t.Errorf("Default() profile %q allow %v deny %v, want the default profile without allowlist or denylist",
			c.Profile, c.Metrics.Labels.Allow, c.Metrics.Labels.Deny)
	}
	if c.ASCIILogs.MaxLineLength != 10000 || c.AtomicWrite.Mode != "json" || !c.ReportUnused() || !c.AllowsAppend() {
		t.Errorf("Default() = %+v, want documented defaults", c)
	}
}

func TestTradingProfile(t *testing.T) {
	want := []string{"env", "service", "instance", "symbol", "op", "regime", "side", "action", "stage", "loop",
		"percentile", "bucket_ms", "exchange", "ws_type", "endpoint", "color", "direction", "kind", "horizon_ms",
		"reason", "result", "gen"}
	if len(want) != 22 {
		t.Fatalf("lint_metrics_labels.py has 22 labels, the test has %d", len(want))
	}
	c, err := config.Parse("lint.yaml", []byte("profile: trading\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, c.Metrics.Labels.Allow); diff != "" {
		t.Errorf("trading allowlist mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(config.TradingDeny, c.Metrics.Labels.Deny); diff != "" {
		t.Errorf("trading denylist mismatch (-want +got):\n%s", diff)
	}
	// The plain label file is the same list.
	plain, err := config.Parse("trading.labels", config.TradingLabels())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, plain.Metrics.Labels.Allow); diff != "" {
		t.Errorf("TradingLabels() as a plain list mismatch (-want +got):\n%s", diff)
	}
	// An explicit allowlist wins over the profile's.
	c, err = config.Parse("lint.yaml", []byte("profile: trading\nmetrics:\n  labels:\n    allow: [env]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"env"}, c.Metrics.Labels.Allow); diff != "" {
		t.Errorf("explicit allow under trading mismatch (-want +got):\n%s", diff)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, give string
		check      func(*config.Config) string
	}{
		{"yaml", "version: 1\nmetrics:\n  labels:\n    allow: [env, tenant]\n    cardinality: {tenant: 50}\n", func(c *config.Config) string {
			return cmp.Diff([]string{"env", "tenant"}, c.Metrics.Labels.Allow) + cmp.Diff(50, c.Metrics.Labels.Cardinality["tenant"])
		}},
		{"json", `{"metrics": {"labels": {"allow": ["env"], "deny": []}}, "rules": {"metricnames/unit-abbrev": "off"}}`, func(c *config.Config) string {
			return cmp.Diff([]string{"env"}, c.Metrics.Labels.Allow) + cmp.Diff([]string{}, c.Metrics.Labels.Deny) +
				cmp.Diff(config.SeverityOff, c.Severity("metricnames/unit-abbrev", config.SeverityWarning))
		}},
		{"legacy list", "# labels\nenv\nservice, symbol\n\nside  # trailing\n", func(c *config.Config) string {
			return cmp.Diff([]string{"env", "service", "symbol", "side"}, c.Metrics.Labels.Allow)
		}},
		{"empty", "# nothing\n", func(c *config.Config) string {
			return cmp.Diff([]string(nil), c.Metrics.Labels.Allow) + cmp.Diff(config.ProfileDefault, c.Profile)
		}},
		{"per metric", "metrics:\n  per_metric:\n    - match: \"^md_\"\n      require: [exchange]\n", func(c *config.Config) string {
			pm := c.RuleFor("md_lag_seconds")
			if pm == nil || c.RuleFor("other") != nil {
				return "RuleFor does not match as configured"
			}
			return cmp.Diff([]string{"exchange"}, pm.Require)
		}},
		{"analyzer severity", "rules:\n  metricnames: warn\n", func(c *config.Config) string {
			return cmp.Diff(config.SeverityWarning, c.Severity("metricnames/help-missing", config.SeverityError))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse("lint.yaml", []byte(tt.give))
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.give, err)
			}
			if diff := tt.check(c); diff != "" {
				t.Errorf("Parse(%q) mismatch:\n%s", tt.give, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, give string
		line       int
		field      string
	}{
		{"unknown top key", "version: 1\nmetricz: {}\n", 2, ""},
		{"unknown nested key", "metrics:\n  labels:\n    allow: [env]\n    alow: [x]\n", 4, ""},
		{"unknown key in JSON", "{\n  \"metrics\": {\n    \"lables\": {}\n  }\n}\n", 3, ""},
		{"bad severity", "rules:\n  metricnames: loud\n", 2, "rules.metricnames"},
		{"bad regexp", "metrics:\n  per_metric:\n    - match: \"(\"\n", 2, "metrics.per_metric[0].match"},
		{"bad label", "metrics:\n  labels:\n    allow: [ok, \"not-ok\"]\n", 3, "metrics.labels.allow"},
		{"bad mode", "atomic_write:\n  mode: some\n", 2, "atomic_write.mode"},
		{"bad profile", "version: 1\nprofile: finance\n", 2, "profile"},
		{"bad legacy name", "env\nbad-name\n", 0, ""},
		{"wrong type", "metrics:\n  labels:\n    allow: 3\n", 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse("lint.yaml", []byte(tt.give))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse(%q) error = %v, want *config.Error", tt.give, err)
			}
			if ce.File != "lint.yaml" || (tt.line != 0 && ce.Line != tt.line) {
				t.Errorf("Parse(%q) error at %s:%d, want lint.yaml:%d (%v)", tt.give, ce.File, ce.Line, tt.line, err)
			}
			if tt.field != "" && ce.Field != tt.field {
				t.Errorf("Parse(%q) error field %q, want %q", tt.give, ce.Field, tt.field)
			}
		})
	}
}

func TestLoadAllowFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "labels.txt"), []byte("# legacy\ntenant\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "lint.yaml")
	if err := os.WriteFile(p, []byte("metrics:\n  labels:\n    allow: [env]\n    allow_file: labels.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"env", "tenant"}, c.Metrics.Labels.Allow); diff != "" {
		t.Errorf("Load with allow_file mismatch (-want +got):\n%s", diff)
	}
	if _, err := config.Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("Load(missing) = nil error")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("metrics:\n  labels:\n    allow: [env]\n"))
	f.Add([]byte("env\nside\n"))
	f.Add([]byte(`{"rules": {"x": "off"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse("f.yaml", data)
		if err == nil && (c.Profile == "" || c.Metrics.Labels.DefaultCardinality == 0) {
			t.Fatalf("Parse(%q) returned a config without its defaults filled in", data)
		}
	})
}

func TestLoadMissingAllowFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lint.yaml")
	if err := os.WriteFile(p, []byte("# labels\nmetrics:\n  labels:\n    allow_file: nope.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(p)
	var ce *config.Error
	if !errors.As(err, &ce) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load(missing allow_file) = %v, want a *config.Error wrapping ErrNotExist", err)
	}
	if ce.File != p || ce.Line != 4 || ce.Field != "metrics.labels.allow_file" {
		t.Errorf("Load(missing allow_file) error at %s:%d %s, want %s:4 metrics.labels.allow_file", ce.File, ce.Line, ce.Field, p)
	}
}
