package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
)

type envFlags struct {
	output, disk string
}

func init() {
	register(&command{
		name:    "env",
		summary: "print the environment snapshot as JSON (secrets redacted)",
		usage:   "[--output FILE] [--disk DIR]",
		help: `
Prints what a soak records as env.json: working directory, Go version,
GOOS/GOARCH, CPUs, memory, free disk, the module list, the git commit and
whether the tree is dirty, and every environment variable — names kept,
values passed through the secret redactor.

Examples:
  soakkit env
  soakkit env --output artifacts/env.json --disk artifacts`,
		flags: func(fs *pflag.FlagSet) any {
			f := &envFlags{}
			fs.StringVar(&f.output, "output", "", "write the snapshot to this file (atomically) instead of stdout")
			fs.StringVar(&f.disk, "disk", "", "directory whose volume's free space is recorded (default: the current one)")
			return f
		},
		run: runEnv,
	})
}

func runEnv(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*envFlags)
	if len(args) > 0 {
		return usageError(env, "env", "unexpected arguments %q", args)
	}
	snap := probe.Snapshot(ctx, &probe.EnvOptions{DiskPath: f.disk, Redact: logRedactor.Redact})
	if f.output != "" {
		if err := snap.WriteFile(f.output); err != nil {
			printErr(env, "env", err)
			return exitFailed
		}
		return exitOK
	}
	if err := canonjson.Encode(env.stdout, snap); err != nil {
		printErr(env, "env", err)
		return exitFailed
	}
	return exitOK
}
