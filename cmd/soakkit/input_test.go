package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOversizedConfigRefused checks that a configuration file over the size
// limit is refused with exit status 2 and a message naming the file, before
// it is decoded (a generated 400k-step plan once took gigabytes).
func TestOversizedConfigRefused(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("plan:\n  steps:\n")
	for i := 0; b.Len() < 5<<20; i++ {
		b.WriteString("    - name: s")
		b.WriteString(strings.Repeat("x", 8))
		b.WriteString("\n      run: [true]\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate", "--config", "big.yaml"},
		{"soak", "--config", "big.yaml", "--iterations", "1"},
	} {
		r := soakkit(t, dir, nil, args...)
		if r.code != exitUsage {
			t.Errorf("soakkit %v: exit %d, want %d\nstderr:\n%s", args, r.code, exitUsage, r.stderr)
		}
		if !strings.Contains(r.stderr, "big.yaml") || !strings.Contains(r.stderr, "limit") {
			t.Errorf("soakkit %v: stderr does not name the file and its limit:\n%s", args, r.stderr)
		}
	}
}
