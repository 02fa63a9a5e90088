package lint_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/soakkit/soakkit/lint"
	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/metriclabels"
)

// TestConfigFlagEveryConstructor sets a configuration through ConfigFlag
// on analyzers from each constructor and checks that metriclabels uses it.
func TestConfigFlagEveryConstructor(t *testing.T) {
	skipWithoutGoUnderWine(t)
	cfgPath := filepath.Join(t.TempDir(), "lint.yaml")
	if err := os.WriteFile(cfgPath, []byte("metrics:\n  labels:\n    allow: [env]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		as   func() []*analysis.Analyzer
	}{
		{"Analyzers(nil)", func() []*analysis.Analyzer { return lint.Analyzers(nil) }},
		{"Analyzers(cfg)", func() []*analysis.Analyzer { return lint.Analyzers(config.Default()) }},
		{"VetAnalyzers", lint.VetAnalyzers},
		{"metriclabels.New", func() []*analysis.Analyzer { return []*analysis.Analyzer{metriclabels.New(nil)} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := tt.as()
			fv := lint.ConfigFlag(as)
			if err := fv.Set(cfgPath); err != nil {
				t.Fatalf("ConfigFlag(%s).Set: %v", tt.name, err)
			}
			t.Cleanup(func() { fv.Set("") }) // VetAnalyzers are package variables
			var ml *analysis.Analyzer
			for _, a := range as {
				if a.Name == metriclabels.Name {
					ml = a
				}
			}
			analysistest.Run(t, testdata, ml, "metriclabels/cfgflag")
		})
	}
}

func TestConfigFlagErrors(t *testing.T) {
	if err := lint.ConfigFlag([]*analysis.Analyzer{inspect.Analyzer}).Set("x.yaml"); err == nil {
		t.Error("ConfigFlag with no soakkit analyzer: Set = nil, want an error")
	}
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	var ce *config.Error
	if err := lint.ConfigFlag(lint.Analyzers(nil)).Set(missing); !errors.As(err, &ce) {
		t.Errorf("ConfigFlag.Set(missing) = %v, want a *config.Error", err)
	}
	// A foreign analyzer beside soakkit's is left alone.
	if err := lint.ConfigFlag(append(lint.Analyzers(nil), inspect.Analyzer)).Set(""); err != nil {
		t.Errorf("ConfigFlag with a foreign analyzer: Set(\"\") = %v", err)
	}
}
