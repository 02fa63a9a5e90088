package config

import (
	"context"
	"os"
	"os/exec"
	"sort"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// Iteration builds the plan as a soak.Iteration. self is the soakkit
// executable that builtin steps run (os.Executable() in the command), so
// that lint and secret scans are contained and logged like any other step.
// With f.Soak.Shard set, go_test steps run only that shard's packages
// (step.GoTest's Shard) and run steps get the shard in their environment
// (step.Shard.Env).
func (f *File) Iteration(self string) *soak.Iteration {
	it := &soak.Iteration{Timeout: f.Plan.Timeout.Std()}
	for _, s := range f.Plan.Steps {
		sec := soak.Section{Step: f.build(s, self, false)}
		if s.SkipIf != nil {
			cond := s.SkipIf
			sec.SkipIf = func(context.Context) string { return cond.skipReason(os.Getenv, exec.LookPath) }
		}
		it.Sections = append(it.Sections, sec)
	}
	return it
}

// StepNames lists the names of the plan's top-level steps, in order.
func (f *File) StepNames() []string {
	var names []string
	for _, s := range f.Plan.Steps {
		names = append(names, s.Name)
	}
	return names
}

// build turns one Step into a step.Step; nested says whether its SkipIf
// must be evaluated by the step itself (top-level ones use soak.Section).
func (f *File) build(s Step, self string, nested bool) step.Step {
	var out step.Step
	switch {
	case len(s.Steps) > 0:
		children := make([]step.Step, len(s.Steps))
		for i, c := range s.Steps {
			children[i] = f.build(c, self, true)
		}
		if s.Parallel > 0 {
			out = step.Parallel(s.Name, s.Parallel, children...)
		} else {
			out = step.Sequence(s.Name, children...)
		}
		if s.Timeout > 0 {
			out = step.Timeout(out, s.Timeout.Std())
		}
	case len(s.GoTest) > 0:
		out = step.GoTest{
			Name:     s.Name,
			Packages: s.GoTest,
			Flags:    s.Args,
			Dir:      f.dir(s.Dir),
			Env:      envList(s.Env),
			Timeout:  s.Timeout.Std(),
			Retries:  s.Retries,
			Backoff:  s.Backoff.Std(),
			Shard:    f.Soak.Shard,
		}.Step()
	default:
		argv := s.Run
		if s.Builtin != "" {
			argv = append([]string{self, s.Builtin}, f.builtinArgs(s)...)
		}
		out = step.Command{
			Name:           s.Name,
			Argv:           argv,
			Dir:            f.dir(s.Dir),
			Env:            append(envList(s.Env), f.Soak.Shard.Env()...),
			Timeout:        s.Timeout.Std(),
			Retries:        s.Retries,
			Backoff:        s.Backoff.Std(),
			AllowLeftovers: s.AllowLeftovers,
			JUnit:          s.JUnit,
		}.Step()
	}
	if nested && s.SkipIf != nil {
		out = conditional{Step: out, cond: s.SkipIf}
	}
	return out
}

// builtinArgs are the arguments of a builtin step: the file's settings for
// that command, then the step's own args.
func (f *File) builtinArgs(s Step) []string {
	var args []string
	switch s.Builtin {
	case "lint":
		if f.Lint.Config != "" {
			args = append(args, "--config", f.resolve(f.Lint.Config))
		}
		if f.Lint.Baseline != "" {
			args = append(args, "--baseline", f.resolve(f.Lint.Baseline))
		}
	case "secrets":
		if f.Secrets.Config != "" {
			args = append(args, "--config", f.resolve(f.Secrets.Config))
		}
		if f.Secrets.Baseline != "" {
			args = append(args, "--baseline", f.resolve(f.Secrets.Baseline))
		}
		if f.Secrets.Strict {
			args = append(args, "--strict")
		}
		for _, e := range f.Secrets.Exclude {
			args = append(args, "--exclude", e)
		}
		args = append(args, f.Secrets.HistoryArgs()...)
	}
	return append(args, s.Args...)
}

// dir resolves a step's working directory: relative to the file, and the
// file's directory (the module root for the default) when empty.
func (f *File) dir(d string) string {
	if d == "" {
		return f.Dir
	}
	return f.resolve(d)
}

func envList(m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// conditional skips its step, with the reason, when cond holds at run time.
type conditional struct {
	step.Step
	cond *SkipIf
}

func (c conditional) Run(ctx context.Context, rt step.Runtime) step.Result {
	if reason := c.cond.skipReason(os.Getenv, exec.LookPath); reason != "" {
		return step.Skip(c.Name(), reason).Run(ctx, rt)
	}
	return c.Step.Run(ctx, rt)
}

// SoakConfig returns the engine configuration: the file's soak section
// with the artifacts root and paths resolved. Flags are applied by the
// caller afterwards.
func (f *File) SoakConfig() soak.Config {
	c := f.Soak.Config
	if c.Service != nil {
		svc := *c.Service
		svc.Dir = f.dir(svc.Dir)
		c.Service = &svc
	}
	if c.ArtifactsDir == "" {
		c.ArtifactsDir = f.Artifacts
	}
	return c
}

// HeartbeatOr returns the configured heartbeat, or d when unset.
func (f *File) HeartbeatOr(d time.Duration) time.Duration {
	if f.Soak.Heartbeat > 0 {
		return f.Soak.Heartbeat.Std()
	}
	return d
}

// ArtifactsOr returns the configured artifacts root, or d when unset.
func (f *File) ArtifactsOr(d string) string {
	switch {
	case f.Artifacts != "":
		return f.Artifacts
	case f.Soak.ArtifactsDir != "":
		return f.Soak.ArtifactsDir
	}
	return d
}

// SummaryConfig returns how a soak under root is judged: the file's gates
// (relative gate files are read from the file's directory), leak policies
// and slowdown settings. A positive warmup overrides the file's warm-up of
// both the leak and the slowdown verdicts.
func (f *File) SummaryConfig(warmup time.Duration) *summary.Config {
	c := &summary.Config{Gates: f.Gates, Leaks: f.Leaks, Slowdown: f.Slowdown, Dir: f.Dir}
	if c.Leaks.Ignore == nil {
		// soakkit's own process is not the software under test.
		c.Leaks.Ignore = []string{artifact.Self}
	}
	w := f.Soak.Warmup.Std()
	if warmup > 0 {
		w = warmup
	}
	if w > 0 {
		c.Slowdown.Warmup = artifact.Duration(w)
		policies := map[probe.Metric]summary.LeakPolicy{}
		for _, m := range []probe.Metric{probe.RSS, probe.FDs, probe.Threads, probe.Procs, probe.Zombies, probe.HeapLive, probe.Goroutines} {
			p := c.Leaks.Policies[m]
			p.Warmup = artifact.Duration(w)
			policies[m] = p
		}
		for m, p := range c.Leaks.Policies {
			if _, ok := policies[m]; !ok {
				p.Warmup = artifact.Duration(w)
				policies[m] = p
			}
		}
		c.Leaks.Policies = policies
	}
	return c
}
