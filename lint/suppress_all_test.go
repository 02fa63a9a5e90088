package lint_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/lint"
	"github.com/soakkit/soakkit/lint/config"
)

// TestEveryRuleSuppressible copies the rule fixtures, appends a
// "lint-ok: RULE" comment to every line with a finding (for exactly the
// rules found there) and lints again: nothing may be left, and no
// directive may be reported unused. This proves the suppressed case for
// every Go and Python rule the fixtures trigger.
func TestEveryRuleSuppressible(t *testing.T) {
	skipWithoutGoUnderWine(t)
	src, _ := filepath.Abs("testdata")
	tmp := t.TempDir()
	copyTree(t, filepath.Join(src, "src"), filepath.Join(tmp, "src"))
	copyTree(t, filepath.Join("python", "testdata", "rules"), filepath.Join(tmp, "src", "pyrules"))
	// The legacy and compat fixtures suppress by file-level rules of their own.
	os.Remove(filepath.Join(tmp, "src", "pyrules", "legacy_marker.py"))
	os.Remove(filepath.Join(tmp, "src", "pyrules", "compat.py"))

	cfg, err := config.Parse("t.yaml", []byte(`
profile: trading
metrics:
  labels:
    cardinality: {symbol: 500, exchange: 10, side: 2}
    series_budget: 5000
    max_labels_per_metric: 4
  per_metric:
    - match: "^md_"
      allow_extra: [ws_type]
      deny: [symbol]
      require: [exchange]
rules:
  metriclabels/formatted-value: warning
`))
	if err != nil {
		t.Fatal(err)
	}
	opts := lint.Options{
		Config:    cfg,
		Dir:       filepath.Join(tmp, "src"),
		Env:       []string{"GOPATH=" + tmp, "GO111MODULE=off", "GOPROXY=off", "GOFLAGS="},
		Analyzers: []string{"metriclabels", "metricnames", "atomicwrite", "asciilogs", "py-metriclabels", "py-jsonwrite", "py-asciilogs"},
	}
	targets := []string{"./metriclabels/...", "./metricnames/...", "./atomicwrite/...", "./asciilogs/...", "./pyrules/..."}
	rep, err := lint.Run(context.Background(), opts, targets...)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]map[int][]string{} // path → line → rules
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "lint/unused-suppression" {
			continue
		}
		if rules[f.Path] == nil {
			rules[f.Path] = map[int][]string{}
		}
		if !slices.Contains(rules[f.Path][f.Line], f.Rule) {
			rules[f.Path][f.Line] = append(rules[f.Path][f.Line], f.Rule)
		}
		seen[f.Rule] = true
	}
	if len(seen) < 30 {
		t.Fatalf("only %d rules triggered by the fixtures: %v", len(seen), seen)
	}
	for path, lines := range rules {
		p := filepath.Join(opts.Dir, filepath.FromSlash(path))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ls := strings.Split(string(data), "\n")
		marker := "//"
		if strings.HasSuffix(path, ".py") {
			marker = "#"
		}
		for line, rs := range lines {
			ls[line-1] += "  " + marker + " lint-ok: " + strings.Join(rs, ", ") + " -- test"
		}
		if err := os.WriteFile(p, []byte(strings.Join(ls, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, err = lint.Run(context.Background(), opts, targets...)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Rule == "lint/unused-suppression" && wasThere(rules, f) {
			t.Errorf("added directive unused: %v", f)
			continue
		}
		if f.Rule != "lint/unused-suppression" {
			t.Errorf("not suppressed: %v", f)
		}
	}
	var ids []string
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	t.Logf("%d rules suppressed on %d files: %s", len(seen), len(rules), strings.Join(ids, " "))
}

// wasThere reports whether an unused-suppression finding is on a line the
// test annotated (pre-existing unused directives in fixtures are expected).
func wasThere(rules map[string]map[int][]string, f lint.Finding) bool {
	_, ok := rules[f.Path][f.Line]
	return ok
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
