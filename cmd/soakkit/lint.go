package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/lint"
	lintconfig "github.com/soakkit/soakkit/lint/config"
)

type lintFlags struct {
	config, format, baseline, failOn, soakConfig string
	analyzers                                    []string
	tests                                        bool
}

func init() {
	register(&command{
		name:    "lint",
		summary: "metrics-label, JSON-writer and ASCII-log lints for Go, Python and /metrics",
		usage:   "[PATH…|URL|-] [--config FILE] [--format text|json|sarif|github]",
		help: `
Lints Go packages (type-aware go/analysis analyzers), Python files (a real
tokenizer, so strings and comments never match) and Prometheus exposition
text (a saved file, "-" for stdin, or an http(s) /metrics URL):

  metriclabels   label names against the allowlist, reserved and invalid
                 names, WithLabelValues arity, cardinality budget
  metricnames    promlint's naming rules at the exact source position
  atomicwrite    JSON artifacts written outside the sanctioned atomic writer
  asciilogs      non-ASCII text in log and print calls, over-long lines

Suppress one finding with a comment "lint-ok: <rule> -- reason". The default
label allowlist is lint_metrics_labels.py's 22 labels; see --config.

Examples:
  soakkit lint ./...
  soakkit lint --analyzers metriclabels,atomicwrite ./...
  soakkit lint scripts/ --format sarif > lint.sarif
  soakkit lint http://127.0.0.1:9090/metrics
  curl -s localhost:9090/metrics | soakkit lint -`,
		flags: func(fs *pflag.FlagSet) any {
			f := &lintFlags{}
			fs.StringVar(&f.config, "config", "", "lint config, YAML or JSON, or a plain label list (default: the soakkit.yaml lint.config, else built-in defaults)")
			fs.StringVar(&f.format, "format", "text", "report format: "+formatList(lint.Formats))
			fs.StringSliceVar(&f.analyzers, "analyzers", nil, "analyzers to run, comma-separated (default: all): "+strings.Join(lint.AnalyzerNames(), ", "))
			fs.BoolVar(&f.tests, "tests", false, "also lint Go test files")
			fs.StringVar(&f.baseline, "baseline", "", "baseline file of accepted findings")
			fs.StringVar(&f.failOn, "fail-on", "warning", "lowest severity that fails the run: info, warning or error")
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
		fmt.Fprintf(env.stderr, "soakkit lint: %v\n", err)
		return exitUsage
	}
	cfgPath, analyzers := f.config, f.analyzers
	if file != nil {
		if cfgPath == "" && file.Lint.Config != "" {
			cfgPath = file.Resolve(file.Lint.Config)
		}
		if len(analyzers) == 0 {
			analyzers = file.Lint.Analyzers
		}
		if len(args) == 0 {
			args = file.Lint.Targets
		}
	}
	opts := lint.Options{Analyzers: analyzers, Tests: f.tests, Baseline: f.baseline, Stdin: env.stdin}
	if cfgPath != "" {
		c, err := lintconfig.Load(cfgPath)
		if err != nil {
			fmt.Fprintf(env.stderr, "soakkit lint: %v\n", err)
			return exitUsage
		}
		opts.Config = c
	}
	rep, err := lint.Run(ctx, opts, args...)
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit lint: %v\n", err)
		return exitUsage
	}
	if err := lint.Write(env.stdout, rep, format); err != nil {
		fmt.Fprintf(env.stderr, "soakkit lint: %v\n", err)
		return exitUsage
	}
	if format != lint.FormatGitHub && ghactions.Enabled() {
		lint.Write(env.stderr, rep, lint.FormatGitHub)
	}
	return rep.ExitCode(failOn)
}
