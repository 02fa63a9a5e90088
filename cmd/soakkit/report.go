package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/merge"
)

type reportFlags struct {
	config string
	warmup time.Duration
}

func init() {
	register(&command{
		name:    "report",
		summary: "render a soak's summary, JUnit and HTML report again from its artifacts",
		usage:   "DIR [--config FILE] [--warmup D]",
		help: `
Recomputes soak/summary.json, soak/summary.md, soak/junit.xml and
soak/report.html from the artifacts under DIR (the --artifacts root of a
soak), for a finished run, one still running, or one cut short by a crash.
Gates and leak policies come from the config, as for the soak. Prints the
verdict and exits with the soak's status: 0 passed, 1 failures or a soak
that did not complete, 3 a leak or slowdown, 130 stopped by a signal.
Artifacts that cannot be judged — a damaged state.json, records missing,
repeated or miscounted against state.json — exit 2 naming the problem, and
no earlier output is overwritten.

Examples:
  soakkit report artifacts
  soakkit report /tmp/ci-run-42 --config soakkit.yaml`,
		flags: func(fs *pflag.FlagSet) any {
			f := &reportFlags{}
			fs.StringVar(&f.config, "config", "", "config with gates and leak policies (default: soakkit.yaml at the module root)")
			fs.DurationVar(&f.warmup, "warmup", 0, "start of the run excluded from the leak and slowdown verdicts")
			return f
		},
		run: runReport,
	})
}

func runReport(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*reportFlags)
	if len(args) != 1 {
		return usageError(env, "report", "want exactly one artifacts directory, got %d arguments", len(args))
	}
	l := artifact.Layout{Root: args[0]}
	if st, err := os.Stat(l.Dir()); err != nil || !st.IsDir() {
		fmt.Fprintf(env.stderr, "soakkit report: %s holds no soak artifacts (no %s directory)\n", args[0], l.Dir())
		return exitUsage
	}
	if merge.Merged(args[0]) {
		fmt.Fprintf(env.stderr, "soakkit report: %s holds the merged summary of several runners (soakkit merge), not a soak: run soakkit merge again to refresh it; its outputs were left as they were\n", args[0])
		return exitUsage
	}
	file, err := loadOptional(f.config)
	if err != nil {
		printErr(env, "report", err)
		return exitUsage
	}
	if file == nil {
		file = config.Default(config.ModuleRoot("."))
	}
	if f.warmup < 0 {
		return usageError(env, "report", "--warmup: negative")
	}
	code, sum := finishSoak(env, nil, l, file.SummaryConfig(f.warmup))
	if sum == nil {
		fmt.Fprintf(env.stderr, "soakkit report: %s cannot be judged; earlier outputs were left as they were\n", args[0])
	}
	return code
}
