package asciilogs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/lint/asciilogs"
	"github.com/soakkit/soakkit/lint/config"
)

func TestNonASCII(t *testing.T) {
	skipWithoutGo(t)
	testdata, _ := filepath.Abs(filepath.Join("..", "testdata"))
	analysistest.Run(t, testdata, asciilogs.New(nil), "asciilogs/a")
}

func TestLongLine(t *testing.T) {
	skipWithoutGo(t)
	// A generated fixture: a 120-character line against a limit of 100.
	dir := t.TempDir()
	pkg := filepath.Join(dir, "src", "long")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "package long\n\nvar X = \"" + strings.Repeat("x", 120) + "\" // want `line too long \\(184 characters, limit 100\\)`\n\nvar Y = 1\n"
	if err := os.WriteFile(filepath.Join(pkg, "long.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("t.yaml", []byte("ascii_logs:\n  max_line_length: 100\n"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, asciilogs.New(cfg), "long")
}

// skipWithoutGo skips under Wine only: analysistest loads packages by running
// the go command, and the Wine CI run has no Windows Go toolchain.
func skipWithoutGo(t *testing.T) {
	t.Helper()
	winetest.Skip(t, "analysistest runs the go command; no Windows Go toolchain inside Wine")
}
