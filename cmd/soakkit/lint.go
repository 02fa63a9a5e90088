package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/lint"
	lintconfig "github.com/soakkit/soakkit/lint/config"
)

type lintFlags struct {
	config, format, baseline, failOn, soakConfig string
	writeBaseline                                string
	analyzers                                    []string
	tests, verbose                               bool
}

func init() {
	register(&command{
		name:    "lint",
		summary: "metrics-label, JSON-writer and ASCII-log lints for Go, Python and /metrics",
		usage:   "[PATH…|URL|-] [--config FILE] [--format text|json|sarif|github] [-v]",
		help: `
Lints Go packages (type-aware go/analysis analyzers), Python files (a real
tokenizer, so strings and comments never match) and Prometheus exposition
text (a saved file, "-" for stdin, or an http(s) /metrics URL):

  metriclabels   reserved, invalid and duplicate label names, WithLabelValues
                 and With arity, names that look unbounded, cardinality budget
  metricnames    promlint's naming rules at the exact source position
  atomicwrite    JSON artifacts written outside the sanctioned atomic writer
  asciilogs      non-ASCII text in log and print calls, over-long lines

A directory is linted for what it holds: the Go module it is in (or each
module below it), and its Python files. What is found but not linted (Go
files outside any module, nested modules) is listed with the reason. A
Python file that does not tokenize (unclosed bracket, unterminated string)
is an error finding; a Go package that does not compile fails the run
(exit 2), and so does a run that found nothing to lint.

Findings have a severity. Without a config, the default profile fits any
project: errors for what breaks at run time (reserved, invalid or duplicate
label names, wrong label arity), warnings for label names that look
unbounded (ids, emails, IPs, URLs, paths, timestamps) and promlint naming,
information for what cannot be verified statically (shown with -v). Only
errors fail the run (--fail-on changes that). "profile: trading" in a lint
config selects the 22-label allowlist of lint_metrics_labels.py and a denylist.

Suppress one finding with a comment "lint-ok: <rule> -- reason". Accept the
current findings with --write-baseline FILE, then lint with --baseline FILE.

Examples:
  soakkit lint ./...
  soakkit lint -v --analyzers metriclabels,atomicwrite ./...
  soakkit lint scripts/ --format sarif > lint.sarif
  soakkit lint --write-baseline .lint-baseline.json ./...
  soakkit lint http://127.0.0.1:9090/metrics
  curl -s localhost:9090/metrics | soakkit lint -`,
		flags: func(fs *pflag.FlagSet) any {
			f := &lintFlags{}
			fs.StringVar(&f.config, "config", "", "lint config, YAML or JSON, or a plain label list (default: the soakkit.yaml lint.config, else built-in defaults)")
			fs.StringVar(&f.format, "format", "text", "report format: "+formatList(lint.Formats))
			fs.StringSliceVar(&f.analyzers, "analyzers", nil, "analyzers to run, comma-separated (default: all): "+strings.Join(lint.AnalyzerNames(), ", "))
			fs.BoolVar(&f.tests, "tests", false, "also lint Go test files")
			fs.StringVar(&f.baseline, "baseline", "", "baseline file of accepted findings")
			fs.StringVar(&f.writeBaseline, "write-baseline", "", "write the findings to this baseline file (accepting them) and exit 0")
			fs.StringVar(&f.failOn, "fail-on", "error", "lowest severity that fails the run: info, warning or error")
			fs.BoolVarP(&f.verbose, "verbose", "v", false, "also show findings of severity info (unverifiable names and labels)")
			fs.StringVar(&f.soakConfig, "soakkit-config", "", "soakkit.yaml to take lint settings from (default: found at the module root)")
			return f
		},
		run: runLint,
	})
}

func runLint(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*lintFlags)
	format, err := lint.ParseFormat(f.format)
	if err != nil {
		return usageError(env, "lint", "--format: %v", err)
	}
	failOn := lintconfig.ParseSeverity(f.failOn)
	if !slices.Contains([]string{"info", "warning", "warn", "error"}, f.failOn) {
		return usageError(env, "lint", "--fail-on: %q is not info, warning or error", f.failOn)
	}
	file, err := loadOptional(f.soakConfig)
	if err != nil {
		printErr(env, "lint", err)
		return exitUsage
	}
	cfgPath, baseline, analyzers := f.config, f.baseline, f.analyzers
	if file != nil {
		if cfgPath == "" && file.Lint.Config != "" {
			cfgPath = file.Resolve(file.Lint.Config)
		}
		if baseline == "" && file.Lint.Baseline != "" {
			baseline = file.Resolve(file.Lint.Baseline)
		}
		if len(analyzers) == 0 {
			analyzers = file.Lint.Analyzers
		}
		if len(args) == 0 {
			args = file.Lint.Targets
		}
	}
	if f.writeBaseline != "" {
		// The new baseline accepts every current finding: an old one
		// applied now would leave its findings out.
		baseline = ""
	}
	if baseline != "" {
		if err := config.NeedFile(baseline, config.LintBaseline); err != nil {
			fmt.Fprintf(env.stderr, "soakkit lint: baseline %v\n", err)
			return exitUsage
		}
	}
	opts := lint.Options{Analyzers: analyzers, Tests: f.tests, Baseline: baseline, Stdin: env.stdin}
	if cfgPath != "" {
		if err := config.NeedFile(cfgPath, config.LintConfig); err != nil {
			fmt.Fprintf(env.stderr, "soakkit lint: config %v\n", err)
			return exitUsage
		}
		c, err := lintconfig.Load(cfgPath)
		if err != nil {
			printErr(env, "lint", err)
			return exitUsage
		}
		opts.Config = c
	}
	rep, err := lint.Run(ctx, opts, args...)
	if err != nil {
		printErr(env, "lint", err)
		return exitUsage
	}
	var wopts []lint.WriteOption
	if f.verbose {
		wopts = append(wopts, lint.ShowInfo())
	}
	if err := lint.Write(env.stdout, rep, format, wopts...); err != nil {
		printErr(env, "lint", err)
		return exitUsage
	}
	if format != lint.FormatGitHub && ghactions.Enabled() {
		lint.Write(env.stderr, rep, lint.FormatGitHub, wopts...)
	}
	if rep.Files == 0 && len(rep.Errors) == 0 {
		fmt.Fprintf(env.stderr, "soakkit lint: nothing to lint in %s: no Go module, Go package, Python file or exposition found\n", strings.Join(orDot(args), " "))
	}
	if f.writeBaseline != "" {
		if len(rep.Errors) > 0 || rep.Files == 0 {
			fmt.Fprintf(env.stderr, "soakkit lint: baseline not written: the run was incomplete\n")
			fmt.Fprintln(env.stderr, rep.Summary())
			return exitUsage
		}
		if err := lint.WriteBaseline(f.writeBaseline, rep); err != nil {
			printErr(env, "lint", err)
			return exitFailed
		}
		fmt.Fprintf(env.stderr, "soakkit lint: wrote %s: %d findings accepted\n", f.writeBaseline, len(lint.NewBaseline(rep).Findings))
	}
	// The summary is the last line, on the stream of the findings in the
	// text format (so that it comes after them, whatever order the reader
	// of two pipes sees): a validate table row shows it. Machine formats
	// keep stdout to themselves.
	sw := env.stderr
	if format == lint.FormatText {
		sw = env.stdout
	}
	fmt.Fprintln(sw, rep.Summary())
	if f.writeBaseline != "" {
		return exitOK
	}
	return rep.ExitCode(failOn)
}

func orDot(args []string) []string {
	if len(args) == 0 {
		return []string{"."}
	}
	return args
}
