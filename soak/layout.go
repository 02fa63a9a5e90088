package soak

import (
	"fmt"
	"path/filepath"
)

// A Layout names the files of an artifacts tree rooted at Root (see the
// package documentation). No other path is hard-coded anywhere.
type Layout struct{ Root string }

// Report is the last validation report: Root/report.json.
func (l Layout) Report() string { return filepath.Join(l.Root, "report.json") }

// Env is the environment snapshot: Root/env.json.
func (l Layout) Env() string { return filepath.Join(l.Root, "env.json") }

// Dir is the soak's own directory: Root/soak.
func (l Layout) Dir() string { return filepath.Join(l.Root, "soak") }

// State is the resume checkpoint: Root/soak/state.json.
func (l Layout) State() string { return filepath.Join(l.Dir(), "state.json") }

// Iterations is the one-line-per-iteration record: Root/soak/iterations.jsonl.
func (l Layout) Iterations() string { return filepath.Join(l.Dir(), "iterations.jsonl") }

// Samples is the resource sample stream: Root/soak/samples.jsonl.
func (l Layout) Samples() string { return filepath.Join(l.Dir(), "samples.jsonl") }

// Manifest is the SHA-256 manifest of the tree: Root/soak/manifest.json.
func (l Layout) Manifest() string { return filepath.Join(l.Dir(), "manifest.json") }

// Logs is the log directory: Root/soak/logs.
func (l Layout) Logs() string { return filepath.Join(l.Dir(), "logs") }

// IterationLogs is iteration n's log directory: Root/soak/logs/000042.
func (l Layout) IterationLogs(n int) string {
	return filepath.Join(l.Logs(), iterationDirName(n))
}

// ServiceLogs is the service's log directory: Root/soak/logs/service.
func (l Layout) ServiceLogs() string { return filepath.Join(l.Logs(), "service") }

func iterationDirName(n int) string { return fmt.Sprintf("%06d", n) }

// ValidateLogs holds the logs of [Validate]: Root/logs/validate.
func (l Layout) ValidateLogs() string { return filepath.Join(l.Root, "logs", "validate") }

// DebugLogs holds the logs of [Iteration.RunStep]: Root/logs/debug.
func (l Layout) DebugLogs() string { return filepath.Join(l.Root, "logs", "debug") }
