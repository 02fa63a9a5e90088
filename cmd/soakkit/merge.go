package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/merge"
	"github.com/soakkit/soakkit/soak/summary"
)

type mergeFlags struct {
	out    string
	config string
	warmup time.Duration
}

func init() {
	register(&command{
		name:    "merge",
		summary: "merge the artifacts of soaks run on several runners into one summary and report",
		usage:   "--out DIR [--config FILE] [--warmup D] SRC…",
		help: `
Judges the soak of every runner — each SRC is an artifacts root (the
--artifacts directory of a soak), or a directory of such roots, as
actions/download-artifact or a shared volume leaves them — and writes one
merged soak/summary.json, soak/summary.md, soak/junit.xml (a test suite per
runner), soak/report.html and soak/manifest.json under --out.

summary.json lists the runners (name, OS, architecture, shard, iterations,
passed, failed, verdict, why it stopped) and classifies every step and test
that did not pass everywhere: flaky (passed and failed on one runner, with
the iterations where it failed on each), runner_specific (failed every run
on some runners, passed on the others) or failing_everywhere. Leak and
slowdown verdicts stay per runner and target.

Exits like "soakkit report": 0 when every runner passed, 1 when one failed
or did not complete, 3 for a leak or slowdown (and no failure); 2 when a
source cannot be read or judged, naming it (nothing is written then).

Examples:
  soakkit merge --out merged downloaded/
  soakkit merge --out merged linux/artifacts windows/artifacts macos/artifacts`,
		flags: func(fs *pflag.FlagSet) any {
			f := &mergeFlags{}
			fs.StringVar(&f.out, "out", "", "directory to write the merged artifacts to (required)")
			fs.StringVar(&f.config, "config", "", "config with gates and leak policies (default: soakkit.yaml at the module root)")
			fs.DurationVar(&f.warmup, "warmup", 0, "start of each run excluded from the leak and slowdown verdicts")
			return f
		},
		run: runMerge,
	})
}

func runMerge(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*mergeFlags)
	if f.out == "" {
		return usageError(env, "merge", "--out DIR is required")
	}
	if len(args) == 0 {
		return usageError(env, "merge", "want at least one artifacts directory to merge")
	}
	if f.warmup < 0 {
		return usageError(env, "merge", "--warmup: negative")
	}
	file, err := loadOptional(f.config)
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit merge: %v\n", err)
		return exitUsage
	}
	if file == nil {
		file = config.Default(config.ModuleRoot("."))
	}
	s, err := merge.Write(ctx, f.out, args, &merge.Options{Summary: file.SummaryConfig(f.warmup)})
	if s == nil {
		fmt.Fprintf(env.stderr, "soakkit merge: %s\n", strings.ReplaceAll(err.Error(), "\n", "\nsoakkit merge: "))
		var se *merge.SourceError
		if errors.As(err, &se) || ctx.Err() == nil {
			return summary.ExitBadArtifacts
		}
		return exitFailed
	}
	code := s.ExitCode()
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit merge: %v\n", err)
		if code == summary.ExitHealthy {
			code = summary.ExitFailures // a pass whose evidence is not all written is no pass
		}
	}
	printVerdict(env.stdout, s.Verdict)
	for _, r := range s.Runners {
		fmt.Fprintf(env.stdout, "runner %s: %s, %d iterations (%d passed, %d failed)\n",
			(&r.Runner).String(), strings.ToUpper(string(r.Verdict)), r.Iterations, r.Passed, r.Failed)
	}
	l := artifact.Layout{Root: f.out}
	if err == nil {
		fmt.Fprintf(env.stdout, "summary: %s\nreport: %s\n", l.SummaryMarkdown(), l.HTMLReport())
	}
	if ghactions.Enabled() {
		if err := s.WriteGitHubStepSummary(); err != nil {
			fmt.Fprintf(env.stderr, "soakkit merge: %v\n", err)
		}
	}
	return code
}
