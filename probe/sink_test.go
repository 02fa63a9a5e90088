package probe_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/probe"
)

func readSamples(t *testing.T, path string) []probe.Sample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []probe.Sample
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s probe.Sample
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("line %d of %s: %v", len(out)+1, path, err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestJSONLSinkConcurrentAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "samples.jsonl")
	s, err := probe.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	const writers, each = 4, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := s.Append(probe.Sample{Time: t0, Target: fmt.Sprintf("w%d", w), PID: i + 1, RSS: 1 << 20}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close() = %v, want nil", err)
	}
	if err := s.Append(probe.Sample{}); err == nil {
		t.Error("Append after Close = nil, want an error")
	}
	got := readSamples(t, path)
	if len(got) != writers*each {
		t.Fatalf("%d lines, want %d", len(got), writers*each)
	}
	next := map[string]int{}
	for _, g := range got {
		next[g.Target]++
		if g.PID != next[g.Target] || g.RSS != 1<<20 || !g.Time.Equal(t0) {
			t.Errorf("sample %+v out of order or altered", g)
		}
	}
}

func TestJSONLSinkDropsTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "samples.jsonl")
	if err := os.WriteFile(path, []byte(`{"t":"2026-12-01T00:00:00Z","target":"a"}`+"\n"+`{"t":"2026-12-01T00:0`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := probe.OpenJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append(probe.Sample{Time: time.Date(2026, 12, 1, 0, 0, 1, 0, time.UTC), Target: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, g := range readSamples(t, path) {
		targets = append(targets, g.Target)
	}
	if diff := cmp.Diff([]string{"a", "b"}, targets); diff != "" {
		t.Errorf("targets after reopening a torn file (-want +got):\n%s", diff)
	}
}
