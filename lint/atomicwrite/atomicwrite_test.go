package atomicwrite_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/lint/atomicwrite"
	"github.com/soakkit/soakkit/lint/config"
)

func testdata(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestJSONMode(t *testing.T) {
	skipWithoutGo(t)
	analysistest.Run(t, testdata(t), atomicwrite.New(nil), "atomicwrite/a")
}

func TestAllMode(t *testing.T) {
	skipWithoutGo(t)
	cfg, err := config.Parse("t.yaml", []byte("atomic_write:\n  mode: all\n  sanctioned_go: [atomicwrite/all.WriteArtifact]\n"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata(t), atomicwrite.New(cfg), "atomicwrite/all")
}

// skipWithoutGo skips under Wine only: analysistest loads packages by running
// the go command, and the Wine CI run has no Windows Go toolchain.
func skipWithoutGo(t *testing.T) {
	t.Helper()
	winetest.Skip(t, "analysistest runs the go command; no Windows Go toolchain inside Wine")
}
