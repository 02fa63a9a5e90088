package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/soak/artifact"
)

// copyTree copies the fixture directory src to a new temporary directory.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// soakkit report on artifacts that cannot be judged exits 2 naming what
// is wrong, and leaves the outputs of an earlier judgement as they were.
func TestReportDamagedArtifacts(t *testing.T) {
	tests := []struct {
		name     string // fixture under testdata/report
		wantCode int
		want     string // in stderr
	}{
		{"healthy", exitOK, ""},
		{"missing-iterations", exitUsage, "iterations.jsonl is missing, but state.json counts 7 iterations"},
		{"repeated-line", exitUsage, "iteration 1 is recorded twice"},
		{"miscounted", exitUsage, "iterations.jsonl holds 3 iterations (3 passed, 0 failed, 0 cut, 0 cancelled, 0 interrupted), but state.json counts 9 iterations"},
		{"corrupt-state", exitUsage, "state.json: unexpected end of JSON input"},
		{"corrupt-record", exitUsage, "iterations.jsonl:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTree(t, testdata(t, filepath.Join("report", tt.name)))
			l := artifact.Layout{Root: dir}
			earlier := map[string][]byte{}
			for _, p := range []string{l.Summary(), l.SummaryMarkdown(), l.JUnit(), l.HTMLReport(), l.Manifest()} {
				earlier[p] = []byte("earlier output of " + filepath.Base(p) + "\n")
				if err := os.WriteFile(p, earlier[p], 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := soakkit(t, dir, nil, "report", dir)
			if r.code != tt.wantCode || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("soakkit report %s: exit %d, want %d with %q on stderr\nstdout: %s\nstderr: %s",
					tt.name, r.code, tt.wantCode, tt.want, r.stdout, r.stderr)
			}
			for p, was := range earlier {
				now, err := os.ReadFile(p)
				changed := err != nil || !bytes.Equal(now, was)
				if tt.wantCode == exitOK && !changed {
					t.Errorf("%s was not rewritten for judgeable artifacts", filepath.Base(p))
				}
				if tt.wantCode != exitOK && changed {
					t.Errorf("%s was overwritten although the artifacts cannot be judged", filepath.Base(p))
				}
			}
			if tt.wantCode != exitOK && (strings.Contains(r.stdout, "PASSED") || !strings.Contains(r.stderr, "cannot be judged")) {
				t.Errorf("soakkit report %s: stdout %q, stderr %q; want no verdict and a note that the artifacts cannot be judged", tt.name, r.stdout, r.stderr)
			}
		})
	}
}
