package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

type validateFlags struct {
	planFlags
	only    string
	shard   string
	timeout time.Duration
}

func init() {
	register(&command{
		name:    "validate",
		summary: "run the plan once (full-stack validation)",
		usage:   "[--config FILE] [--artifacts DIR] [--only STEP] [--shard I/N] [-v]",
		help: `
Runs every step of the plan once, in order, each as a contained subprocess
with its own timeout, and writes the report
{"result":"OK|FAIL","runtime":{…},"sections":[…]} to ARTIFACTS/report.json
and each step's full output to ARTIFACTS/logs/validate/. Prints a table and
exactly one marker line, RESULT=OK or RESULT=FAIL, agreeing with the exit
status.

Without --config and without a soakkit.yaml at the module root, an embedded
default plan that fits the tree runs, and the command says which:

  in a Go module    go vet ./..., the metrics-label and JSON-writer lints
                    (Go and Python files), a secret scan, go test ./...
  Python sources,   the Python metrics-label and JSON-writer lints, a secret
  no go.mod         scan, and pytest -q (skipped, and shown so, when pytest
                    is not installed)
  neither           nothing fits: exit 2 and a message; write a soakkit.yaml

Examples:
  soakkit validate
  soakkit validate --config ci/soakkit.yaml --artifacts /tmp/run1
  soakkit validate --only tests -v     # one step alone, output streamed
  soakkit validate --shard 1/4         # the second quarter of the go_test packages`,
		flags: func(fs *pflag.FlagSet) any {
			f := &validateFlags{}
			f.register(fs)
			fs.Lookup("verbose").Usage = "debug logging; with --only, stream the step's output"
			fs.StringVar(&f.only, "only", "", "run only this step, with its output streamed (the isolated debug runner)")
			fs.DurationVar(&f.timeout, "timeout", 0, "timeout of the whole run (default: the plan's timeout)")
			fs.StringVar(&f.shard, "shard", "", "run only shard INDEX/TOTAL of the go_test packages (INDEX from 0), as soak --shard does (default: the config's soak.shard)")
			return f
		},
		run: runValidate,
	})
}

func runValidate(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*validateFlags)
	if len(args) > 0 {
		return usageError(env, "validate", "unexpected arguments %q", args)
	}
	if f.timeout < 0 {
		return usageError(env, "validate", "--timeout: negative")
	}
	cfg, err := f.load()
	if err != nil {
		printErr(env, "validate", err)
		return exitUsage
	}
	if f.fs.Changed("shard") {
		sh, err := step.ParseShard(f.shard)
		if err != nil {
			return usageError(env, "validate", "--shard: %v", err)
		}
		cfg.Soak.Shard = sh // go_test steps select their packages, run steps get it in their environment
	}
	if len(cfg.Plan.Steps) == 0 && f.noPlan == nil {
		fmt.Fprintf(env.stderr, "soakkit validate: %s: nothing to validate: plan.steps is empty\n", cfg.Path)
		return exitUsage
	}
	if f.noPlan != nil {
		printErr(env, "validate", f.noPlan)
		return exitUsage
	}
	if f.note != "" {
		fmt.Fprintf(env.stderr, "soakkit validate: %s\n", f.note)
	}
	// validate sends no alert, but says what a soak with this file would
	// not send.
	_, notes := enabledNotify(cfg.Notify, env.getenv)
	for _, n := range notes {
		fmt.Fprintf(env.stderr, "soakkit validate: %s\n", n)
	}
	log, err := f.logger(env.stderr, slog.LevelWarn)
	if err != nil {
		return usageError(env, "validate", "%v", err)
	}
	enableSubreaper(log)
	it := cfg.Iteration(self())
	if f.timeout > 0 {
		it.Timeout = f.timeout
	}
	root := f.artifactsDir(cfg)
	opts := soak.Options{soak.WithLogger(log), soak.WithRedactor(logRedactor.NewWriter), soak.WithVersion(version())}

	if f.only != "" {
		if names := cfg.StepNames(); !slices.Contains(names, f.only) {
			return usageError(env, "validate", "--only: the plan has no step %q; its steps: %s", f.only, strings.Join(names, ", "))
		}
		res, err := it.RunStep(ctx, f.only, root, env.stdout, soak.WithRedactor(logRedactor.NewWriter))
		if err != nil {
			printErr(env, "validate", err)
			return exitUsage
		}
		printResults(env.stdout, []step.Result{res})
		annotateFailures(env.stdout, env.getenv, "soakkit validate", []step.Result{res})
		if !res.OK {
			return exitFailed
		}
		return exitOK
	}

	var marker bytes.Buffer
	rep, err := soak.Validate(ctx, it, root, &marker, opts...)
	if rep != nil {
		printResults(env.stdout, rep.Sections)
		annotateFailures(env.stdout, env.getenv, "soakkit validate", rep.Sections)
	}
	env.stdout.Write(marker.Bytes())

	if err != nil {
		printErr(env, "validate", err)
		return exitFailed
	}
	if cerr := context.Cause(ctx); cerr != nil && !errors.Is(cerr, context.Canceled) {
		printErr(env, "validate", cerr)
	}
	fmt.Fprintf(env.stderr, "report: %s\n", absPath(artifact.Layout{Root: root}.Report()))
	return rep.ExitCode()
}
