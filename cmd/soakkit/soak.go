package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/notify"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

type soakFlags struct {
	planFlags
	duration, iterationTimeout, heartbeat, sampleInterval, warmup time.Duration
	iterations, maxFailures                                       int
	service, serviceReady                                         string
	runner, shard                                                 string
	resume, keepGoing                                             bool
	junit                                                         []string
	maxBytes                                                      soak.ByteSize
	metricsListen, otlpEndpoint                                   string
}

func init() {
	register(&command{
		name:    "soak",
		summary: "repeat the plan (or a command) for hours and judge the run",
		usage:   "[--duration D] [--iterations N] [--service 'CMD ARGS' [--service-ready tcp:HOST:PORT|URL]] [flags] [-- CMD ARGS…]",
		help: `
Repeats the plan — or the command after "--", as a one-step plan — for a
duration and/or a number of iterations, with a heartbeat pause between
iterations, never overrunning the deadline. Every step's process tree is
sampled while it runs and checked for survivors after each iteration.

With --service, the software under test is started once (split like a shell
would split it, never run through one), awaited with --service-ready, sampled
for the whole soak and ended with its whole process tree at the end; if it
dies, the soak fails with its exit status and log tail. With --service and no
config file or command — or a config file with soak.service and no
plan.steps — the soak only watches the service for the duration.

Resources are sampled per target: the service (named "service" with
--service), each step's process tree while it runs ("step:NAME"), and
"self", soakkit's own process — reported so that the harness's cost is
visible, never the cause of a leak verdict. A watch-only soak and the wait
for --service-ready log a line every heartbeat (a live line on a terminal).

With --runner NAME, the soak is recorded as run by NAME, so that
"soakkit merge" can tell the artifacts of several runners apart; without it,
the name comes from the config (soak.runner), else from GitHub Actions
(job and runner name) or Kubernetes (job and completion index, or pod
name), else the host name. With --shard INDEX/TOTAL (INDEX from 0), go_test
steps run only every TOTAL-th package of the sorted "go list" of their
patterns, starting at INDEX, so that TOTAL runners cover the suite once per
iteration; run steps get SOAKKIT_SHARD, SOAKKIT_SHARD_INDEX and
SOAKKIT_SHARD_TOTAL in their environment for runners that select tests
themselves. Both are kept in state.json: --resume continues with them.

With --junit GLOB (repeatable), the JUnit XML reports the command writes in
each iteration (pytest, jest, Surefire, nextest, gotestsum, ctest…) become
per-test results: flaky and slowdown verdicts name the test.

Artifacts (under --artifacts): soak/iterations.jsonl, soak/samples.jsonl,
soak/state.json (for --resume), soak/logs/, soak/manifest.json, env.json.
Ctrl+C or SIGTERM stops the current iteration, ends every process and still
writes everything. --resume (with --artifacts if not the default) continues
that soak with the plan, command and settings it was started with, all kept
in soak/state.json; a different one given with it is an error. Processes a
killed soakkit left running are ended first (Linux). A write that fails
(disk full) fails the soak.

Examples:
  soakkit soak --duration 2m
  soakkit soak --duration 8h --heartbeat 1m --keep-going --max-failures 5
  soakkit soak --iterations 100 -- go test -run TestFlaky ./pkg
  soakkit soak --iterations 20 --keep-going --junit report.xml -- pytest --junitxml=report.xml
  soakkit soak --duration 1h --service './server --port 8080' --service-ready tcp:127.0.0.1:8080
  soakkit soak --resume`,
		flags: func(fs *pflag.FlagSet) any {
			f := &soakFlags{}
			f.register(fs)
			fs.DurationVar(&f.duration, "duration", 0, "how long to soak, e.g. 2m, 8h (default: the config's)")
			fs.IntVar(&f.iterations, "iterations", 0, "stop after this many iterations (0: no count limit)")
			fs.DurationVar(&f.iterationTimeout, "iteration-timeout", 0, "timeout of one iteration (default: the config's, else 20m)")
			fs.DurationVar(&f.heartbeat, "heartbeat", 0, "pause between iterations (default: the config's, else 5s)")
			fs.DurationVar(&f.sampleInterval, "sample-interval", 0, "resource sampling period (default: the config's, else 5s)")
			fs.StringVar(&f.service, "service", "", "the software under test, started once: 'CMD ARGS'")
			fs.StringVar(&f.serviceReady, "service-ready", "", "readiness check: tcp:HOST:PORT, an http(s) URL, or log:REGEXP")
			fs.DurationVar(&f.warmup, "warmup", 0, "start of the run excluded from the leak and slowdown verdicts (default: the config's, else probe's 5m, at most a fifth of a short run)")
			fs.BoolVar(&f.resume, "resume", false, "continue the soak checkpointed in the artifacts, with its own settings")
			fs.BoolVar(&f.keepGoing, "keep-going", false, "continue after a failed iteration")
			fs.StringArrayVar(&f.junit, "junit", nil, "with -- CMD: glob of the JUnit XML reports CMD writes, for per-test verdicts (repeatable)")
			fs.IntVar(&f.maxFailures, "max-failures", 0, "with --keep-going, stop after this many failed iterations (0: no limit)")
			fs.Var(byteSizeFlag{&f.maxBytes}, "max-bytes", "cap on the artifacts tree, e.g. 512MiB, 2GiB, 1GB (default: the config's max_bytes, else 1GiB)")
			fs.StringVar(&f.metricsListen, "metrics-listen", "", "serve live Prometheus metrics at http://ADDR/metrics for the whole soak, e.g. 127.0.0.1:9464 (default: the config's metrics.listen)")
			fs.StringVar(&f.otlpEndpoint, "otlp-endpoint", "", "also push the live metrics to this OTLP/HTTP receiver every 15s, e.g. http://collector:4318 (/v1/metrics is appended; headers from OTEL_EXPORTER_OTLP_HEADERS; default: the config's metrics.otlp_endpoint)")
			fs.StringVar(&f.runner, "runner", "", "name of this runner in merged reports (default: the config's, else from the CI or Kubernetes environment, else the host name)")
			fs.StringVar(&f.shard, "shard", "", "run only shard INDEX/TOTAL of the go_test packages (INDEX from 0), e.g. 0/4")
			return f
		},
		run: runSoak,
	})
}

func runSoak(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*soakFlags)
	var command []string
	if i := indexOf(args, "--"); i >= 0 {
		command, args = args[i+1:], args[:i]
		if len(command) == 0 {
			return usageError(env, "soak", `nothing after "--"`)
		}
	}
	if len(args) > 0 {
		return usageError(env, "soak", "unexpected arguments %q (put the command to soak after --)", args)
	}
	if len(f.junit) > 0 && command == nil {
		return usageError(env, "soak", "--junit needs a command after -- (in a config file, set junit on the step)")
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"duration", f.duration}, {"iteration-timeout", f.iterationTimeout}, {"heartbeat", f.heartbeat}, {"sample-interval", f.sampleInterval}, {"warmup", f.warmup}} {
		if d.v < 0 {
			return usageError(env, "soak", "--%s: negative duration %v", d.name, d.v)
		}
	}
	if f.iterations < 0 || f.maxFailures < 0 {
		return usageError(env, "soak", "--iterations and --max-failures must not be negative")
	}

	var (
		file      *config.File
		cfg       soak.Config
		it        *soak.Iteration
		heartbeat time.Duration
		caller    soakCaller
		err       error
	)
	if f.resume {
		file, cfg, it, heartbeat, caller, err = f.resumed(command)
	} else {
		file, cfg, it, heartbeat, caller, err = f.fresh(command)
	}
	if err != nil {
		printErr(env, "soak", err)
		return exitUsage
	}
	callerJSON, err := json.Marshal(caller)
	if err != nil {
		printErr(env, "soak", err)
		return exitFailed
	}
	warmup := caller.Warmup.Std()
	live := interactive(env.stderr, env.getenv)
	level := slog.LevelInfo
	if live {
		level = slog.LevelWarn
	}
	log, err := f.logger(env.stderr, level)
	if err != nil {
		return usageError(env, "soak", "%v", err)
	}
	enableSubreaper(log)
	opts := soak.Options{
		soak.WithHeartbeat(heartbeat),
		soak.WithEnvSnapshot(probe.EnvOptions{Redact: logRedactor.Redact}),
		soak.WithLogger(log),
		soak.WithRedactor(logRedactor.NewWriter),
		soak.WithVersion(version()),
		soak.WithCaller(callerJSON),
	}
	if live {
		// In CI the "soak started" log line says it.
		opts = append(opts, soak.WithStart(func(p soak.Plan) { fmt.Fprintf(env.stderr, "soakkit soak: %s\n", p) }))
	}
	ncfg, notes := enabledNotify(file.Notify, env.getenv)
	for _, n := range notes {
		fmt.Fprintf(env.stderr, "soakkit soak: %s\n", n)
	}
	alerter, err := notify.New(ncfg, notify.WithArtifacts(cfg.ArtifactsDir), notify.WithLogger(log))
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit soak: %s\n", prefixLines(err, "notify: "))
		return exitUsage
	}
	defer alerter.Close()
	show := progressLine(terminal(env.stderr))
	opts = append(opts, soak.WithProgress(func(p soak.Progress) {
		if live {
			show(p)
		}
		alerter.Iteration(p.Iteration, p.Status, p.Counts)
	}))
	ob, stopLive, err := startLive(env, log, f.liveSettings(file), "")
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit soak: %v\n", err)
		return exitUsage
	}
	defer stopLive()
	if ob != nil {
		opts = append(opts, soak.WithObserver(*ob))
	}
	s, err := soak.New(cfg, it, opts...)
	if err != nil {
		printErr(env, "soak", err)
		return exitUsage
	}
	var out *soak.Outcome
	if f.resume {
		out, err = s.Resume(ctx)
	} else {
		out, err = s.Run(ctx)
	}
	if live {
		fmt.Fprintln(env.stderr)
	}
	if err != nil && out == nil {
		printErr(env, "soak", err)
		if errors.Is(err, soak.ErrNoState) || errors.Is(err, soak.ErrFinished) || errors.Is(err, soak.ErrSettingsChanged) {
			return exitUsage
		}
		return exitFailed
	}
	if err != nil {
		printErr(env, "soak", err)
	}
	if len(out.Orphans) > 0 {
		fmt.Fprintf(env.stderr, "soakkit soak: ended %d process(es) left running by an earlier, killed run of this soak: %s\n",
			len(out.Orphans), processList(out.Orphans))
	}
	code, sum := finishSoak(env, out, s.Layout(), file.SummaryConfig(warmup))
	if sum != nil {
		// Alerts go out even after Ctrl+C, within their own time limit.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		if err := alerter.End(actx, sum); err != nil {
			fmt.Fprintf(env.stderr, "soakkit soak: %s\n", prefixLines(err, "notify: "))
		}
		cancel()
	}
	return code
}

// finishSoak closes the soak at l with soak.Finish, prints the verdict and
// returns the exit status Finish gives. out is nil when judging artifacts
// alone (soakkit report).
func finishSoak(env *cmdEnv, out *soak.Outcome, l artifact.Layout, cfg *summary.Config) (int, *summary.Summary) {
	if out != nil && out.Service != nil && !out.Service.Expected {
		fmt.Fprintf(env.stdout, "%s; its last output:\n%s\n", out.Service.End(), out.Service.Tail)
	}
	sum, code, err := soak.Finish(l, cfg, out)
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit: %v\n", err)
	}
	if sum == nil {
		return code, nil
	}
	it := sum.Iterations
	printVerdict(env.stdout, sum.Verdict)
	fmt.Fprintf(env.stdout, "iterations: %s\n", it.String())
	if err == nil {
		fmt.Fprintf(env.stdout, "summary: %s\nreport: %s\n", absPath(l.SummaryMarkdown()), absPath(l.HTMLReport()))
	}
	if ghactions.Enabled() {
		if err := sum.WriteGitHubStepSummary(); err != nil {
			fmt.Fprintf(env.stderr, "soakkit: %v\n", err)
		}
		if code != exitOK {
			fmt.Fprintln(env.stdout, ghactions.Annotation{Title: "soak " + string(sum.Verdict.Status), Message: sum.Verdict.Reason})
		}
	}
	return code, sum
}

// soakCaller is what `soakkit soak` keeps in state.json (soak.WithCaller)
// beyond the engine's settings, so that `--resume` alone continues exactly
// the soak that was started: where its plan came from and the settings of
// its judging.
type soakCaller struct {
	// Config is the absolute path of the config file; "" for an embedded
	// default plan, chosen again for Dir.
	Config string `json:"config,omitempty"`
	// ConfigSHA256 is the hash of the config file when the soak started:
	// a file changed since would change the plan or its judging.
	ConfigSHA256 string            `json:"config_sha256,omitempty"`
	Dir          string            `json:"dir,omitempty"`        // the config's directory (the module root for the default)
	Command      []string          `json:"command,omitempty"`    // the command soaked instead of the plan
	JUnit        []string          `json:"junit,omitempty"`      // --junit of the command
	WatchOnly    bool              `json:"watch_only,omitempty"` // no plan: the service only
	Warmup       artifact.Duration `json:"warmup,omitempty"`     // --warmup; 0: the config's
}

// applyFlags sets the engine settings given as flags on cfg.
func (f *soakFlags) applyFlags(cfg *soak.Config) error {
	fs := f.fs
	if fs.Changed("duration") {
		cfg.Duration = artifact.Duration(f.duration)
	}
	if fs.Changed("iterations") {
		cfg.Count = f.iterations
	}
	if fs.Changed("iteration-timeout") {
		cfg.IterationTimeout = artifact.Duration(f.iterationTimeout)
	}
	if fs.Changed("sample-interval") {
		cfg.SampleInterval = artifact.Duration(f.sampleInterval)
	}
	if fs.Changed("keep-going") {
		cfg.KeepGoing = f.keepGoing
	}
	if fs.Changed("max-failures") {
		cfg.MaxFailures = f.maxFailures
	}
	if fs.Changed("max-bytes") {
		cfg.MaxBytes = f.maxBytes
	}
	if fs.Changed("runner") {
		cfg.Runner = f.runner
	}
	if fs.Changed("shard") {
		sh, err := step.ParseShard(f.shard)
		if err != nil {
			return fmt.Errorf("--shard: %w", err)
		}
		cfg.Shard = sh
	}
	if f.service != "" {
		svc, err := parseService(f.service, f.serviceReady)
		if err != nil {
			return err
		}
		cfg.Service = svc
	} else if f.serviceReady != "" {
		if cfg.Service == nil {
			return errors.New("--service-ready needs --service")
		}
		svc := *cfg.Service
		ready, err := parseReady(f.serviceReady)
		if err != nil {
			return err
		}
		svc.Ready = ready
		cfg.Service = &svc
	}
	return nil
}

// fresh resolves a new soak from the config file and the flags.
func (f *soakFlags) fresh(command []string) (*config.File, soak.Config, *soak.Iteration, time.Duration, soakCaller, error) {
	var c soakCaller
	file, err := f.load()
	if err != nil {
		return nil, soak.Config{}, nil, 0, c, err
	}
	cfg := file.SoakConfig()
	cfg.ArtifactsDir = f.artifactsDir(file)
	if err := f.applyFlags(&cfg); err != nil {
		return nil, cfg, nil, 0, c, err
	}
	// The plan: a command after "--", else the config's plan — unless the
	// soak only watches a service (--service and no config file, so that
	// the embedded default plan does not run against it).
	var it *soak.Iteration
	switch {
	case command != nil:
		it = commandPlan(command, f.junit)
	case f.service != "" && file.Path == "":
		c.WatchOnly = true
	case file.Path != "" && len(file.Plan.Steps) == 0 && cfg.Service != nil:
		// A config file with a service and no plan: watch the service.
		c.WatchOnly = true
	case file.Path != "" && len(file.Plan.Steps) == 0:
		return nil, cfg, nil, 0, c, fmt.Errorf("%s: nothing to soak: no plan.steps and no soak.service (give a command after --, or --service)", file.Path)
	case f.noPlan != nil:
		return nil, cfg, nil, 0, c, f.noPlan
	default:
		file.Soak.Shard = cfg.Shard
		it = file.Iteration(self())
	}
	heartbeat := file.HeartbeatOr(soak.DefaultHeartbeat)
	if f.fs.Changed("heartbeat") {
		heartbeat = f.heartbeat
	}
	c.Command, c.JUnit, c.Dir, c.Warmup = command, f.junit, file.Dir, artifact.Duration(f.warmup)
	if file.Path != "" {
		if c.Config, err = filepath.Abs(file.Path); err != nil {
			return nil, cfg, nil, 0, c, err
		}
		if c.ConfigSHA256, err = fileSHA256(c.Config); err != nil {
			return nil, cfg, nil, 0, c, err
		}
	}
	return file, cfg, it, heartbeat, c, nil
}

// resumed resolves the soak checkpointed under the artifacts root from its
// state.json: its settings, plan and judging, as they were. A flag, config
// file or command given with --resume must agree with them; each
// difference is named in the error.
func (f *soakFlags) resumed(command []string) (*config.File, soak.Config, *soak.Iteration, time.Duration, soakCaller, error) {
	var c soakCaller
	fail := func(err error) (*config.File, soak.Config, *soak.Iteration, time.Duration, soakCaller, error) {
		return nil, soak.Config{}, nil, 0, c, err
	}
	root := f.artifacts
	if root == "" {
		file, err := f.load()
		if err != nil {
			return fail(err)
		}
		root = f.artifactsDir(file)
	}
	cp, err := soak.ReadCheckpoint(root)
	if errors.Is(err, soak.ErrNoState) {
		return fail(fmt.Errorf("--resume: no soak to resume under %s (no %s)", root, artifact.Layout{Root: root}.State()))
	}
	if err != nil {
		return fail(fmt.Errorf("--resume: %w", err))
	}
	if len(cp.State.Caller) > 0 {
		if err := json.Unmarshal(cp.State.Caller, &c); err != nil {
			return fail(fmt.Errorf("--resume: %s: caller: %w", artifact.Layout{Root: root}.State(), err))
		}
	}
	var diffs []string
	var file *config.File
	switch {
	case c.Config != "":
		if f.config != "" {
			if abs, _ := filepath.Abs(f.config); abs != c.Config {
				diffs = append(diffs, fmt.Sprintf("--config: %s in the checkpoint, %s given", c.Config, abs))
			}
		}
		sum, err := fileSHA256(c.Config)
		if err != nil {
			return fail(fmt.Errorf("--resume: the soak's config file: %w", err))
		}
		if sum != c.ConfigSHA256 {
			return fail(fmt.Errorf("--resume: %s changed since the soak started; its plan and judging must stay the same (start a new soak to use it)", c.Config))
		}
		if file, err = loadConfig(c.Config); err != nil {
			return fail(err)
		}
	default:
		if f.config != "" {
			diffs = append(diffs, fmt.Sprintf("--config: none (the embedded default) in the checkpoint, %s given", f.config))
		}
		dir := c.Dir
		if dir == "" {
			dir = "."
		}
		var err error
		if file, _, err = config.DefaultFor(dir); errors.Is(err, config.ErrNoDefault) && (c.Command != nil || c.WatchOnly) {
			file, err = config.Default(dir), nil
		}
		if err != nil {
			return fail(err)
		}
	}
	if f.fs.Changed("junit") && !slices.Equal(f.junit, c.JUnit) {
		diffs = append(diffs, fmt.Sprintf("--junit: %q in the checkpoint, %q given", c.JUnit, f.junit))
	}
	if command != nil && !slices.Equal(command, c.Command) {
		diffs = append(diffs, fmt.Sprintf("command: %q in the checkpoint, %q given", c.Command, command))
	}
	cfg := cp.Config
	given := cfg
	if err := f.applyFlags(&given); err != nil {
		return fail(err)
	}
	diffs = append(diffs, cfg.Diff(given)...)
	heartbeat := cp.Heartbeat
	if f.fs.Changed("heartbeat") && f.heartbeat != heartbeat {
		diffs = append(diffs, fmt.Sprintf("heartbeat: %v in the checkpoint, %v given", heartbeat, f.heartbeat))
	}
	if f.fs.Changed("warmup") && artifact.Duration(f.warmup) != c.Warmup {
		diffs = append(diffs, fmt.Sprintf("warmup: %v in the checkpoint, %v given", c.Warmup, f.warmup))
	}
	if len(diffs) > 0 {
		return fail(fmt.Errorf("--resume: the soak was started with other settings: %s", strings.Join(diffs, "; ")))
	}
	cfg.ArtifactsDir = root
	var it *soak.Iteration
	switch {
	case c.Command != nil:
		it = commandPlan(c.Command, c.JUnit)
	case c.WatchOnly:
	default:
		file.Soak.Shard = cfg.Shard
		it = file.Iteration(self())
	}
	return file, cfg, it, heartbeat, c, nil
}

// commandPlan is the one-step plan that runs argv.
func commandPlan(argv []string, junit []string) *soak.Iteration {
	return &soak.Iteration{Sections: soak.Sections(step.Command{Name: commandName(argv), Argv: argv, JUnit: junit}.Step())}
}

func fileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

func processList(ps []artifact.Process) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

func progressLine(w io.Writer) func(soak.Progress) {
	return func(p soak.Progress) {
		eta := "?"
		if p.ETA >= 0 {
			eta = p.ETA.Round(time.Second).String()
		}
		var rss uint64
		for _, fg := range p.Latest {
			rss += fg.RSS
		}
		switch {
		case p.Waiting != "":
			fmt.Fprintf(w, "\r\033[Kwaiting for the service (%s)  elapsed %s", p.Waiting, p.Elapsed.Round(time.Second))
		case p.Watching:
			fmt.Fprintf(w, "\r\033[Kwatching the service  elapsed %s  eta %s  rss %.1f MiB", p.Elapsed.Round(time.Second), eta, float64(rss)/(1<<20))
		default:
			fmt.Fprintf(w, "\r\033[Kiteration %d  elapsed %s  eta %s  passed %d  failed %d  rss %.1f MiB",
				p.Iteration, p.Elapsed.Round(time.Second), eta, p.Counts.Passed, p.Counts.Failed, float64(rss)/(1<<20))
		}
	}
}

// byteSizeFlag is a flag holding a soak.ByteSize, parsed like max_bytes in
// soakkit.yaml (soak.ParseByteSize).
type byteSizeFlag struct{ v *soak.ByteSize }

func (b byteSizeFlag) Set(s string) error {
	v, err := soak.ParseByteSize(s)
	if err != nil {
		return err
	}
	*b.v = v
	return nil
}

func (b byteSizeFlag) String() string {
	if b.v == nil || *b.v == 0 {
		return ""
	}
	return strconv.FormatInt(int64(*b.v), 10)
}

func (b byteSizeFlag) Type() string { return "size" }

func indexOf(args []string, s string) int {
	for i, a := range args {
		if a == s {
			return i
		}
	}
	return -1
}

var nameChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// commandName derives a step name from a command line: the program's base name.
func commandName(argv []string) string {
	n := nameChars.ReplaceAllString(filepath.Base(argv[0]), "_")
	if n == "" || n == "." || n == "_" {
		return "command"
	}
	return n
}

// parseService splits a --service value like the platform's shell would
// (POSIX words, or a Windows command line), without running one.
func parseService(cmdline, ready string) (*soak.Service, error) {
	argv, err := splitCommandLine(cmdline)
	if err != nil {
		return nil, fmt.Errorf("--service: %v", err)
	}
	if len(argv) == 0 {
		return nil, errors.New("--service: empty command")
	}
	if strings.ContainsAny(cmdline, "$`") {
		return nil, errors.New("--service: variables and command substitution are not expanded; pass the values literally")
	}
	svc := &soak.Service{Name: "service", Argv: argv}
	if ready != "" {
		r, err := parseReady(ready)
		if err != nil {
			return nil, err
		}
		svc.Ready = r
	}
	return svc, nil
}

func parseReady(s string) (soak.Ready, error) {
	switch {
	case strings.HasPrefix(s, "tcp:"):
		return soak.Ready{TCP: strings.TrimPrefix(s, "tcp:")}, nil
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return soak.Ready{HTTP: s}, nil
	case strings.HasPrefix(s, "log:"):
		return soak.Ready{LogLine: strings.TrimPrefix(s, "log:")}, nil
	}
	return soak.Ready{}, fmt.Errorf("--service-ready: %q is not tcp:HOST:PORT, an http(s) URL or log:REGEXP", s)
}

// prefixLines returns err's message with prefix before each line that does
// not already start with it, so that wrapped and joined errors read
// "notify: ..." exactly once.
func prefixLines(err error, prefix string) string {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, prefix) {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
