package python

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/lint/config"
)

// originalLabels is lint_metrics_labels.py's check, ported as is: every
// keyword in a "labels(...)" match that is not allowed.
func originalLabels(src string, allow []string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`labels\(([^)]*)\)`).FindAllStringSubmatch(src, -1) {
		for _, k := range regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*=`).FindAllStringSubmatch(m[1], -1) {
			if !slices.Contains(allow, k[1]) && !slices.Contains(out, k[1]) {
				out = append(out, k[1])
			}
		}
	}
	return out
}

// TestParityLabels checks that every label lint_metrics_labels.py rejects in
// the fixture is rejected by Check too (at its declaration or use site).
func TestParityLabels(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "rules", "labels.py"))
	if err != nil {
		t.Fatal(err)
	}
	orig := originalLabels(string(src), config.TradingAllow)
	if len(orig) == 0 {
		t.Fatal("lint_metrics_labels.py finds nothing in the fixture; the test would prove nothing")
	}
	var ours []string
	quoted := regexp.MustCompile(`label "([^"]+)"`)
	trading, err := config.Parse("lint.yaml", []byte("profile: trading\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Check(src, Options{Config: trading}) {
		if strings.HasSuffix(f.Rule, "/not-allowed") || strings.HasSuffix(f.Rule, "/denied") {
			ours = append(ours, quoted.FindStringSubmatch(f.Message)[1])
		}
	}
	for _, l := range orig {
		if !slices.Contains(ours, l) {
			t.Errorf("lint_metrics_labels.py rejects label %q, Check does not (ours: %v)", l, ours)
		}
	}
}

func TestCompatFileLevelExemption(t *testing.T) {
	src := []byte("import json\nfrom x import write_json_atomic\n\ndef f(p, f):\n    json.dump(p, f)\n")
	tests := []struct {
		name   string
		compat bool
		want   int
	}{
		{"native", false, 1},
		{"compat", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Compat.FileLevelExemption = tt.compat
			got := 0
			for _, f := range Check(src, Options{Config: cfg, Analyzers: []string{JSONWrite}}) {
				if f.Rule == JSONWrite+"/json-dump" {
					got++
				}
			}
			if got != tt.want {
				t.Errorf("Check with compat=%v: %d json-dump findings, want %d", tt.compat, got, tt.want)
			}
		})
	}
}

func TestExcludedPaths(t *testing.T) {
	src := []byte("import json\njson.dump(1, open('x', 'w'))\n")
	tests := []struct {
		path string
		want int
	}{
		{"src/app.py", 1},
		{"tests/test_app.py", 0},
		{"pkg/tests/helpers.py", 0},
		{"test_x.py", 0},
	}
	for _, tt := range tests {
		if got := len(Check(src, Options{Path: tt.path, Analyzers: []string{JSONWrite}})); got != tt.want {
			t.Errorf("Check(path %s): %d findings, want %d", tt.path, got, tt.want)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"x.labels(a=1)\n", "import json as j\nj.dump(x, f)\n", "print('✓')\n", "def write_json_atomic():\n  json.dump(a,b)\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fd := range Check([]byte(s), Options{}) {
			if fd.Line < 1 || fd.Col < 1 {
				t.Fatalf("Check(%q): finding at bad position %+v", s, fd)
			}
		}
	})
}
