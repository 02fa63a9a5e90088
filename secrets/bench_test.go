package secrets

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/secrets/corpus"
)

var benchCorpus struct {
	once sync.Once
	dir  string
	m    *corpus.Manifest
	err  error
}

// corpusDir generates a 32 MB corpus once per test binary run.
func corpusDir(b *testing.B) (string, *corpus.Manifest) {
	b.Helper()
	benchCorpus.once.Do(func() {
		dir, err := os.MkdirTemp("", "secrets-bench-")
		if err != nil {
			benchCorpus.err = err
			return
		}
		benchCorpus.dir = dir
		benchCorpus.m, benchCorpus.err = corpus.Generate(dir, corpus.Options{Seed: 1, Size: 32 << 20})
	})
	if benchCorpus.err != nil {
		b.Fatal(benchCorpus.err)
	}
	// TestMain removes the directory; it is shared by the benchmarks.
	return benchCorpus.dir, benchCorpus.m
}

func benchScan(b *testing.B, workers int) {
	dir, m := corpusDir(b)
	b.SetBytes(m.Bytes)
	b.ResetTimer()
	var rep *Report
	for b.Loop() {
		var err error
		rep, err = (&Scanner{Root: dir, Workers: workers}).Scan(context.Background(), dir)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var hits []corpus.Hit
	for _, f := range rep.Findings {
		hits = append(hits, corpus.Hit{File: f.File, Line: f.Line})
	}
	s := m.Evaluate(hits)
	b.ReportMetric(s.Recall, "recall")
	b.ReportMetric(float64(s.FalsePositives), "false-positives")
	b.ReportMetric(float64(s.Planted), "planted")
}

// BenchmarkScanCorpus scans the generated corpus with all cores and reports
// throughput (MB/s), recall and false positives.
func BenchmarkScanCorpus(b *testing.B) { benchScan(b, 0) }

// BenchmarkScanCorpus1 is BenchmarkScanCorpus on one worker.
func BenchmarkScanCorpus1(b *testing.B) { benchScan(b, 1) }

func corpusText(b *testing.B) []byte {
	dir, _ := corpusDir(b)
	var sb strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".png") {
			data, _ := os.ReadFile(p)
			sb.Write(data)
		}
		return nil
	})
	return []byte(sb.String())
}

// BenchmarkDetect measures the rule engine alone (prefilter, matchers,
// base64 rescan) on one core, in memory, in 256 KiB chunks.
func BenchmarkDetect(b *testing.B) {
	text := corpusText(b)
	det := defaultDetector()
	sc := det.newScratch()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		for i := 0; i < len(text); i += DefaultChunkSize {
			sc.cands = sc.cands[:0]
			det.detect(text[i:min(len(text), i+DefaultChunkSize)], sc, nil, 0)
		}
	}
}

// BenchmarkWriter measures the streaming redactor on log-like text.
func BenchmarkWriter(b *testing.B) {
	text := corpusText(b)
	if len(text) > 8<<20 {
		text = text[:8<<20]
	}
	benchWriter(b, &Redactor{}, text)
}

// benchWriter writes text to a writer of rd in 4 KiB pieces and reports,
// besides wall-clock MB/s, MB per CPU second (cpu-MB/s), which a loaded
// machine does not distort.
func benchWriter(b *testing.B, rd *Redactor, text []byte) {
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	c0, n := benchtest.CPUTime(), 0
	for b.Loop() {
		w := rd.NewWriter(io.Discard)
		for i := 0; i < len(text); i += 4096 {
			w.Write(text[i:min(len(text), i+4096)])
		}
		w.Close()
		n++
	}
	if cpu := benchtest.CPUTime() - c0; cpu > 0 {
		b.ReportMetric(float64(n*len(text))/1e6/cpu.Seconds(), "cpu-MB/s")
	}
}

// BenchmarkWriterRulesOnly is BenchmarkWriter with RulesOnly, as soakkit
// redacts step logs and its own output.
func BenchmarkWriterRulesOnly(b *testing.B) {
	text := corpusText(b)
	if len(text) > 8<<20 {
		text = text[:8<<20]
	}
	benchWriter(b, &Redactor{RulesOnly: true}, text)
}
