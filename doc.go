// Package soakkit is a toolkit for long-running CI stability ("soak")
// testing: it proves that software survives hours of repeated work without
// leaking memory, file descriptors, threads or goroutines, without slowing
// down and without flaky failures, and that the CI gates guarding it (lints,
// secret scans, tests) are real.
//
// The module is a library with a thin command-line harness. Its packages:
//
//   - [github.com/soakkit/soakkit/step]: one unit of work — an external command, a
//     Go function or a `go test -json` run — run under a context with a
//     timeout, its whole process tree contained and ended, its output
//     streamed to log files with redaction, and a [step.Result] that marshals
//     to the report shape {"result":"OK|FAIL","sections":[…]}.
//   - [github.com/soakkit/soakkit/probe]: cheap samples of a process tree, the
//     current Go runtime and the host, kept in bounded memory, and a trend
//     analysis that tells a leak from noise; an environment snapshot.
//   - [github.com/soakkit/soakkit/soak]: iterations of a plan of steps repeated for
//     hours against the software under test, with heartbeat, timeouts that
//     never overrun, resume, size-capped artifacts, summaries and alerts.
//   - [github.com/soakkit/soakkit/lint]: the metrics-label, JSON-writer and
//     ASCII-log lints for Go (go/analysis), Python and /metrics text.
//   - [github.com/soakkit/soakkit/secrets]: a fast secret scanner and redactor.
//
// The command cmd/soakkit maps flags and a config file to these packages and
// their results to exit codes; it has no logic of its own.
//
// This package itself holds no code; it is the module's overview.
package soakkit
