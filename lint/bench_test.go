package lint_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/lint"
)

// BenchmarkGOROOT lints the Go standard library ($(go env GOROOT)/src)
// with every Go analyzer and reports files/s. It is skipped when the
// sources are not installed.
func BenchmarkGOROOT(b *testing.B) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skip("go env GOROOT:", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "src")
	if _, err := os.Stat(filepath.Join(src, "go.mod")); err != nil {
		b.Skip("GOROOT/src not installed")
	}
	ctx := context.Background()
	opts := lint.Options{Dir: src, Analyzers: []string{"metriclabels", "metricnames", "atomicwrite", "asciilogs"}}
	var files, findings int
	b.ResetTimer()
	for b.Loop() {
		rep, err := lint.Run(ctx, opts, "./...")
		if err != nil {
			b.Fatal(err)
		}
		files, findings = rep.Files, len(rep.Findings)
		if len(rep.Errors) > 0 {
			b.Fatalf("%d targets failed, first: %v", len(rep.Errors), rep.Errors[0])
		}
		if testing.Verbose() {
			for _, f := range rep.Findings {
				b.Log(f)
			}
		}
	}
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(float64(findings), "findings")
}
