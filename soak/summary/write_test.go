package summary

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/soakkit/soakkit/probe"
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

// TestMarkdownExplainsSelf says what the target "self" is wherever
// summary.md lists it, and only there.
func TestMarkdownExplainsSelf(t *testing.T) {
	const note = "`self` is soakkit's own process"
	for _, tc := range []struct {
		targets []string
		want    bool
	}{
		{[]string{artifact.Self, "service"}, true},
		{[]string{"service", "step:go-test"}, false},
		{nil, false},
	} {
		s := &Summary{}
		for _, target := range tc.targets {
			s.Leaks = append(s.Leaks, probe.Verdict{Target: target, Metric: "rss", Outcome: probe.Pass})
		}
		if got := strings.Contains(s.Markdown(), note); got != tc.want {
			t.Errorf("targets %q: summary.md explains self: %v, want %v", tc.targets, got, tc.want)
		}
	}
}
