package artifact

import (
	"fmt"
	"path/filepath"
)

// File names of the soak directory. They are unexported so that every path
// is derived from a [Layout]; use its methods.
const (
	stateFile      = "state.json"
	iterationsFile = "iterations.jsonl"
	samplesFile    = "samples.jsonl"
	manifestFile   = "manifest.json"
	summaryFile    = "summary.json"
	markdownFile   = "summary.md"
	junitFile      = "junit.xml"
	htmlFile       = "report.html"
	reportFile     = "report.json"
)

// A Layout names the files of an artifacts tree rooted at Root (see the
// package documentation). No other package hard-codes an artifact path.
// The zero Layout is rooted at the current directory.
type Layout struct{ Root string }

// Report is the last validation report: Root/report.json.
func (l Layout) Report() string { return filepath.Join(l.Root, reportFile) }

// Env is the environment snapshot: Root/env.json.
func (l Layout) Env() string { return filepath.Join(l.Root, "env.json") }

// Dir is the soak's own directory: Root/soak.
func (l Layout) Dir() string { return filepath.Join(l.Root, "soak") }

// State is the resume checkpoint: Root/soak/state.json.
func (l Layout) State() string { return filepath.Join(l.Dir(), stateFile) }

// Iterations is the one-line-per-iteration record: Root/soak/iterations.jsonl.
func (l Layout) Iterations() string { return filepath.Join(l.Dir(), iterationsFile) }

// Samples is the resource sample stream: Root/soak/samples.jsonl.
func (l Layout) Samples() string { return filepath.Join(l.Dir(), samplesFile) }

// Manifest is the SHA-256 manifest of the tree: Root/soak/manifest.json.
func (l Layout) Manifest() string { return filepath.Join(l.Dir(), manifestFile) }

// Summary is the machine-readable summary: Root/soak/summary.json.
func (l Layout) Summary() string { return filepath.Join(l.Dir(), summaryFile) }

// SummaryMarkdown is the summary for humans and CI job summaries:
// Root/soak/summary.md.
func (l Layout) SummaryMarkdown() string { return filepath.Join(l.Dir(), markdownFile) }

// JUnit is the steps and tests as JUnit test cases, one per step and per
// test with its run counts: Root/soak/junit.xml.
func (l Layout) JUnit() string { return filepath.Join(l.Dir(), junitFile) }

// HTMLReport is the self-contained report page: Root/soak/report.html.
func (l Layout) HTMLReport() string { return filepath.Join(l.Dir(), htmlFile) }

// HTMLReportLink is the link to [Layout.HTMLReport] from summary.md, which
// sits in the same directory: "report.html".
func (l Layout) HTMLReportLink() string {
	rel, err := filepath.Rel(filepath.Dir(l.SummaryMarkdown()), l.HTMLReport())
	if err != nil {
		return htmlFile
	}
	return filepath.ToSlash(rel)
}

// Logs is the log directory: Root/soak/logs.
func (l Layout) Logs() string { return filepath.Join(l.Dir(), "logs") }

// IterationLogs is iteration n's log directory: Root/soak/logs/000042.
func (l Layout) IterationLogs(n int) string {
	return filepath.Join(l.Logs(), fmt.Sprintf("%06d", n))
}

// IterationReport is iteration n's full report: Root/soak/logs/000042/report.json.
func (l Layout) IterationReport(n int) string {
	return filepath.Join(l.IterationLogs(n), reportFile)
}

// ServiceLogs is the service's log directory: Root/soak/logs/service.
func (l Layout) ServiceLogs() string { return filepath.Join(l.Logs(), "service") }

// ValidateLogs holds the logs of a single validation run: Root/logs/validate.
func (l Layout) ValidateLogs() string { return filepath.Join(l.Root, "logs", "validate") }

// DebugLogs holds the logs of a single debugging step run: Root/logs/debug.
func (l Layout) DebugLogs() string { return filepath.Join(l.Root, "logs", "debug") }
