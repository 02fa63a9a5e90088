package summary

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/soakkit/soakkit/soak/artifact"
)

// A long log tail is cut on a character boundary: summary.md stays UTF-8.
func TestMarkdownTailUTF8(t *testing.T) {
	for _, pad := range []int{0, 1, 2} {
		tail := strings.Repeat("x", pad) + strings.Repeat("é→", mdMaxTail)
		s := &Summary{FirstFailure: &Failure{Iteration: 1, Status: artifact.IterFailed, Tail: tail}}
		md := s.Markdown()
		if !utf8.ValidString(md) {
			t.Errorf("Markdown() with a %d-byte tail (pad %d) is not valid UTF-8", len(tail), pad)
		}
		if !strings.Contains(md, "…") || strings.Contains(md, tail) {
			t.Errorf("Markdown() did not shorten a %d-byte tail", len(tail))
		}
	}
}
