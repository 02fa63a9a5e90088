package benchdata

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

func TestWriteServiceSamples(t *testing.T) {
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "samples.jsonl")
	WriteServiceSamples(t, path, start, time.Hour)
	n := 0
	var last time.Time
	for s, err := range artifact.Samples(path) {
		if err != nil {
			t.Fatalf("sample %d: %v", n+1, err)
		}
		n++
		if s.Target != "service" || s.RSS == 0 || !s.Time.After(last) {
			t.Fatalf("sample %d: target %q, RSS %d, time %v after %v; want service, RSS > 0, times rising", n, s.Target, s.RSS, s.Time, last)
		}
		last = s.Time
	}
	if n != 3600 {
		t.Errorf("read %d samples, want 3600", n)
	}
	if want := start.Add(time.Hour - time.Second); !last.Equal(want) {
		t.Errorf("last sample at %v, want %v", last, want)
	}
}
