package secrets_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/secrets"
)

// TestRegexAnchorsAtChunkCuts checks that a configured rule anchored with
// "$" matches only at real line ends, never where a chunk of a large file
// happens to end: only the file's last token, at its very end, is a match.
func TestRegexAnchorsAtChunkCuts(t *testing.T) {
	cfg, err := secrets.ParseConfig("anchors.toml", []byte(`
[[rules]]
id = "anchored-token"
regex = '''tok-[a-z0-9]{12}[a-z ]*$'''
`))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The first read of a file fills ChunkSize plus a 16 KiB overlap; put a
	// long line across that cut.
	const chunk = 64 << 10
	const cut = chunk + 16<<10
	var b strings.Builder
	for b.Len() < cut-30<<10 {
		b.WriteString("filler filler filler filler filler filler\n")
	}
	// A line of 40 KiB that starts 30 KiB before the cut and ends with a
	// character the rule does not take: no match, although the part from
	// the token to the cut would match if the cut were a line end.
	b.WriteString("tok-abcdefabcdef" + strings.Repeat(" x", 20<<10) + "!\n")
	if b.Len() <= cut {
		t.Fatalf("fixture too short: %d bytes", b.Len())
	}
	for b.Len() < 300<<10 {
		b.WriteString("filler filler filler filler filler filler\n")
	}
	b.WriteString("last tok-abcdefabcdef") // the end of the file: one finding
	if err := os.WriteFile(filepath.Join(dir, "big.txt"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int{chunk, 37<<10 + 11, 0} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			s := &secrets.Scanner{Root: dir, ChunkSize: chunk, Workers: 1}
			cfg.Apply(s)
			rep, err := s.Scan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, f := range rep.Findings {
				lines = append(lines, f.Line)
			}
			wantLine := strings.Count(b.String(), "\n") + 1
			if len(lines) != 1 || lines[0] != wantLine {
				t.Errorf("ChunkSize %d: findings on lines %v, want only line %d", chunk, lines, wantLine)
			}
		})
	}
}
