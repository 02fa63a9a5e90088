package corpus_test

import (
	"context"
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/soakkit/soakkit/secrets"
	"github.com/soakkit/soakkit/secrets/corpus"
	"go.uber.org/goleak"
)

func digest(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(filepath.ToSlash(rel)))
		h.Write(b)
		return nil
	})
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ma, err := corpus.Generate(a, corpus.Options{Seed: 7, Size: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	mb, err := corpus.Generate(b, corpus.Options{Seed: 7, Size: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if digest(t, a) != digest(t, b) || len(ma.Planted) != len(mb.Planted) {
		t.Errorf("same seed, different corpora")
	}
	if len(ma.Planted) < 20 || ma.Decoys < 20 {
		t.Errorf("corpus too thin: %d planted, %d decoys", len(ma.Planted), ma.Decoys)
	}
}

// TestScannerOnCorpus holds the built-in rules to full recall and no false
// positives on a small generated corpus: a finding that fails a default
// scan is a hit. Decoys with a bad checksum are reported suppressed (see
// [secrets.ChecksumMismatch]); they must not fail the scan.
func TestScannerOnCorpus(t *testing.T) {
	dir := t.TempDir()
	m, err := corpus.Generate(dir, corpus.Options{Seed: 3, Size: 2 << 20})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&secrets.Scanner{Root: dir}).Scan(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var hits []corpus.Hit
	for _, f := range rep.Findings {
		if !f.Counts(false) {
			if f.Suppressed != secrets.ChecksumMismatch {
				t.Errorf("finding suppressed as %q in a corpus without allowlists: %v", f.Suppressed, f)
			}
			continue
		}
		hits = append(hits, corpus.Hit{File: f.File, Line: f.Line})
	}
	s := m.Evaluate(hits)
	if s.Recall < 1 {
		t.Errorf("recall %.4f (%d/%d), missed by rule: %v", s.Recall, s.Detected, s.Planted, s.MissedByRule)
	}
	if s.FalsePositives > 0 {
		fp := m.FalsePositiveHits(hits)
		for _, f := range rep.Findings {
			for _, h := range fp {
				if h.File == f.File && h.Line == f.Line {
					t.Errorf("false positive: %v", f)
				}
			}
		}
	}
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
