// Package sarif builds SARIF 2.1.0 logs, the static-analysis result format
// that GitHub code scanning and most CI dashboards read. lint and secrets
// both report through it.
//
// Only the subset of the specification soakkit needs is modelled: one run,
// its tool with rules, results with a physical location and partial
// fingerprints, and invocation notifications for tool errors. Paths are
// written as relative, slash-separated, percent-encoded URIs against the
// %SRCROOT% base, so a log is the same on every OS.
package sarif
