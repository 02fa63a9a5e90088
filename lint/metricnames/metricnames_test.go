package metricnames_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/metricnames"
)

func TestAnalyzer(t *testing.T) {
	skipWithoutGo(t)
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.RunWithSuggestedFixes(t, testdata, metricnames.New(nil), "metricnames/a")
}

func TestRequirePrefix(t *testing.T) {
	skipWithoutGo(t)
	cfg, err := config.Parse("t.yaml", []byte("metrics:\n  names:\n    require_prefix: [svc_]\nrules:\n  metricnames: off\n  metricnames/prefix: warning\n"))
	if err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.Run(t, testdata, metricnames.New(cfg), "metricnames/prefix")
}

// skipWithoutGo skips under Wine only: analysistest loads packages by running
// the go command, and the Wine CI run has no Windows Go toolchain.
func skipWithoutGo(t *testing.T) {
	t.Helper()
	winetest.Skip(t, "analysistest runs the go command; no Windows Go toolchain inside Wine")
}
