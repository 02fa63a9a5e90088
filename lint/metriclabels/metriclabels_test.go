package metriclabels_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/metriclabels"
)

const testConfig = `
profile: trading
metrics:
  labels:
    cardinality: {symbol: 500, exchange: 10, side: 2}
    series_budget: 5000
  per_metric:
    - match: "^md_"
      allow_extra: [ws_type]
      deny: [symbol]
      require: [exchange]
`

func TestAnalyzer(t *testing.T) {
	skipWithoutGo(t)
	cfg, err := config.Parse("test.yaml", []byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.RunWithSuggestedFixes(t, testdata, metriclabels.New(cfg), "metriclabels/a")
}

// TestUnboundedValues checks unbounded-value (on by default) and the
// opt-in formatted-value.
func TestUnboundedValues(t *testing.T) {
	skipWithoutGo(t)
	cfg, err := config.Parse("test.yaml", []byte("rules:\n  metriclabels/formatted-value: warning\n"))
	if err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.Run(t, testdata, metriclabels.New(cfg), "metriclabels/unbounded")
}

// TestAcrossPackages checks use sites of vectors declared in another
// package, through VecFact facts.
func TestAcrossPackages(t *testing.T) {
	skipWithoutGo(t)
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.Run(t, testdata, metriclabels.New(nil), "metriclabels/defs", "metriclabels/uses")
}

// TestDefaultProfile checks the configuration-free defaults on the
// patterns of real exporters.
func TestDefaultProfile(t *testing.T) {
	skipWithoutGo(t)
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.Run(t, testdata, metriclabels.New(nil), "metriclabels/defprofile")
}

// skipWithoutGo skips under Wine only: analysistest loads packages by running
// the go command, and the Wine CI run has no Windows Go toolchain.
func skipWithoutGo(t *testing.T) {
	t.Helper()
	winetest.Skip(t, "analysistest runs the go command; no Windows Go toolchain inside Wine")
}
