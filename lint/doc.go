// Package lint is soakkit's lint suite: the metrics-label, JSON-writer and
// ASCII-log lints of a Python CI, rebuilt so that they are exact where
// the Python scripts' regular expressions guessed.
//
// It lints Go sources through golang.org/x/tools/go/analysis analyzers
// (package [github.com/soakkit/soakkit/lint/metriclabels] and its
// siblings), Python sources through a pure-Go tokenizer, and saved or live
// Prometheus expositions. [Run] is the entry point of `soakkit lint`; the
// analyzers also run under `go vet -vettool` through cmd/soakkit-vet.
//
// # Findings
//
// A [Finding] names its rule as "analyzer/rule", has a severity (error,
// warning or info) and is printed as
//
//	path:line:col: severity: message [analyzer/rule]
//
// with paths relative to the run directory and slash-separated on every
// OS. [Write] renders a [Report] as text, JSON, SARIF 2.1.0 (levels error,
// warning, note) or GitHub Actions annotations (error, warning, notice);
// info findings are left out of text and annotations unless [ShowInfo].
//
// Without a configuration the default profile applies (see package
// [config]): errors for what breaks at run time (reserved, invalid or
// duplicate label names, label arity), warnings for label names that look
// unbounded and for promlint's naming rules, info for what cannot be
// verified statically.
//
// # Trees
//
// A directory target is linted for what it holds: the Go module it is in,
// or each Go module below it, and its Python files. Go files that no
// module covers and modules nested in the linted one are not loaded; they
// are listed in Report.Skipped with the reason. A Python file that does
// not tokenize is a finding of [RuleSyntaxError]; a Go package that does
// not compile is a target error. [Detect] reports what a directory holds.
//
// # Exit codes
//
// [Report.ExitCode] gives 0 when no finding at or above the failing
// severity (default [DefaultFailOn], error) remains after the baseline, 1
// when one does, and 2 when a target could not be linted or nothing was
// linted at all. [Run] itself returns an error only for bad usage (unknown
// analyzer, missing path, unreadable baseline); the CLI maps that, and
// configuration errors from [config.Load], to 2.
//
// # Suppression
//
// A comment "lint-ok: RULE[, RULE] -- reason" (// in Go, # in Python)
// suppresses findings of RULE on its line, or on the statement after it
// when it stands alone. "lint-ok-file: RULE" covers the whole file. Legacy
// names are kept: json-write and test-ok: raw-json (JSON writes),
// metric-label (label allowlist). Directives that suppress nothing are
// reported as lint/unused-suppression.
//
// # Using it from a command
//
//	cfg, err := config.Load(path)            // *config.Error (file:line) → exit 2
//	rep, err := lint.Run(ctx, lint.Options{Config: cfg}, targets...)
//	                                         // errors.Is(err, lint.ErrUsage) → exit 2
//	lint.Write(os.Stdout, rep, format)       // lint.ParseFormat("text|json|sarif|github")
//	os.Exit(rep.ExitCode(failOn))            // 0, 1 or 2; failOn "" = error
//
// [WriteBaseline] records the current findings as accepted; point
// Config.Baseline (or Options.Baseline) at the file to apply it.
// [VetAnalyzers], [ConfigFlag] and [VetMain] serve a go vet -vettool driver;
// [VetMain] documents how go vet's cache sees the configuration.
//
// Package lint does not fix code (suggested fixes are attached to Go
// diagnostics; soakkit-vet -fix applies them) and does not discover
// configuration files; the caller passes a [Config].
package lint
