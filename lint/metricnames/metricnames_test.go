package metricnames_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/metricnames"
)

func TestAnalyzer(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.RunWithSuggestedFixes(t, testdata, metricnames.New(nil), "metricnames/a")
}

func TestRequirePrefix(t *testing.T) {
	cfg, err := config.Parse("t.yaml", []byte("metrics:\n  names:\n    require_prefix: [svc_]\nrules:\n  metricnames: off\n  metricnames/prefix: warning\n"))
	if err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.Run(t, testdata, metricnames.New(cfg), "metricnames/prefix")
}
