package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/secrets"
)

type secretsFlags struct {
	config, baseline, format, artifacts, git, soakConfig string
	strict, staged, noTestCreds                          bool
	exclude                                              []string
	fs                                                   *pflag.FlagSet
}

func init() {
	register(&command{
		name:    "secrets",
		summary: "scan files, stdin or git changes for secrets",
		usage:   "[PATH…|-] [--format text|json|sarif|junit|github] [--config FILE] [--baseline FILE] [--strict]",
		help: `
Scans directory trees and files (default "."), standard input ("-"), the lines
added in a git range (--git BASE..HEAD) or the staged changes (--staged) for
secrets, with the built-in rules or a config file (soakkit's own format or a
gitleaks TOML config). Findings are always redacted. Prints the report, then
the scan_secrets.py-compatible marker line, e.g. "| scan_secrets | OK | RESULT=CLEAN |".

Allowlisted findings pass unless --strict. A finding inside the artifacts
directory (--artifacts) is critical: no allowlist applies, exit status 4.
Binary and unreadable files are counted and reported, never skipped silently.

Examples:
  soakkit secrets .
  soakkit secrets --format sarif > secrets.sarif
  soakkit secrets --git origin/main..HEAD --format github
  soakkit secrets --staged                   # a pre-commit hook
  soakkit secrets . --artifacts artifacts --strict
  cat build.log | soakkit secrets -`,
		flags: func(fs *pflag.FlagSet) any {
			f := &secretsFlags{fs: fs}
			fs.StringVar(&f.format, "format", "text", "report format: "+formatList(secrets.Formats))
			fs.StringVar(&f.config, "config", "", "rules and allowlists: a soakkit secrets config or a gitleaks TOML config (default: the soakkit.yaml secrets.config)")
			fs.StringVar(&f.baseline, "baseline", "", "baseline file of accepted findings (by fingerprint)")
			fs.BoolVar(&f.strict, "strict", false, "allowlisted findings fail too")
			fs.StringVar(&f.artifacts, "artifacts", "", "artifacts directory: scanned too, and any finding there is critical (exit 4)")
			fs.StringVar(&f.git, "git", "", "scan only lines added in this git revision range, e.g. origin/main..HEAD")
			fs.BoolVar(&f.staged, "staged", false, "scan only the staged changes (pre-commit)")
			fs.StringSliceVar(&f.exclude, "exclude", nil, "doublestar glob of paths not to read (repeatable)")
			fs.BoolVar(&f.noTestCreds, "no-test-credentials", false, "do not allow scan_secrets.py's built-in CI test credentials")
			fs.StringVar(&f.soakConfig, "soakkit-config", "", "soakkit.yaml to take secrets settings from (default: found at the module root)")
			return f
		},
		run: runSecrets,
	})
}

func formatList[F ~string](fs []F) string {
	var s []string
	for _, f := range fs {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

func runSecrets(ctx context.Context, env *cmdEnv, o any, args []string) int {
	f := o.(*secretsFlags)
	format := secrets.Format(f.format)
	if !slices.Contains(secrets.Formats, format) {
		return usageError(env, "secrets", "--format: %q is not one of %s", f.format, formatList(secrets.Formats))
	}
	if f.staged && f.git != "" {
		return usageError(env, "secrets", "--staged and --git exclude each other")
	}
	if slices.Contains(args, "--") {
		return usageError(env, "secrets", "unexpected '--'")
	}
	sc := &secrets.Scanner{Strict: f.strict, ArtifactsDir: f.artifacts, Exclude: f.exclude, NoTestCredentials: f.noTestCreds}

	// Settings from soakkit.yaml, if there is one; flags win.
	cfgPath, baseline := f.config, f.baseline
	file, err := loadOptional(f.soakConfig)
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit secrets: %v\n", err)
		return exitUsage
	}
	if file != nil {
		s := file.Secrets
		if cfgPath == "" && s.Config != "" {
			cfgPath = file.Resolve(s.Config)
		}
		if baseline == "" && s.Baseline != "" {
			baseline = file.Resolve(s.Baseline)
		}
		if !f.fs.Changed("strict") {
			sc.Strict = s.Strict
		}
		sc.Exclude = append(append([]string{}, s.Exclude...), sc.Exclude...)
		if len(args) == 0 {
			args = s.Paths
		}
	}
	if cfgPath != "" {
		c, err := secrets.LoadConfig(cfgPath)
		if err != nil {
			fmt.Fprintf(env.stderr, "soakkit secrets: %v\n", err)
			return exitUsage
		}
		c.Apply(sc)
	}
	if baseline != "" {
		b, err := secrets.ReadBaseline(baseline)
		if err != nil {
			fmt.Fprintf(env.stderr, "soakkit secrets: %v\n", err)
			return exitUsage
		}
		sc.Baseline = b
	}

	var rep *secrets.Report
	switch {
	case f.staged:
		if len(args) > 1 {
			return usageError(env, "secrets", "--staged takes at most one repository directory")
		}
		rep, err = sc.ScanStaged(ctx, firstOr(args, "."))
	case f.git != "":
		if len(args) > 1 {
			return usageError(env, "secrets", "--git takes at most one repository directory")
		}
		rep, err = sc.ScanGit(ctx, firstOr(args, "."), f.git)
	case len(args) == 1 && args[0] == "-":
		rep, err = sc.ScanReader(ctx, "(stdin)", env.stdin)
	default:
		if slices.Contains(args, "-") {
			return usageError(env, "secrets", `"-" (stdin) cannot be combined with paths`)
		}
		if len(args) == 0 {
			args = []string{"."}
		}
		rep, err = sc.Scan(ctx, args...)
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "soakkit secrets: %v\n", err)
		if rep == nil {
			// The scan could not run: still exactly one marker, agreeing
			// with the exit status.
			fmt.Fprintln(env.stdout, "| scan_secrets | FAIL | RESULT="+string(secrets.ScanError)+" |")
			return exitUsage
		}
	}
	if err := rep.Write(env.stdout, format); err != nil {
		fmt.Fprintf(env.stderr, "soakkit secrets: %v\n", err)
		return exitUsage
	}
	if format != secrets.FormatGitHub && ghactions.Enabled() {
		rep.Write(env.stderr, secrets.FormatGitHub)
	}
	// The marker goes to stdout for the text format (where CI scripts
	// grep for it) and to stderr for machine formats, so it never corrupts them.
	if format == secrets.FormatText {
		fmt.Fprintln(env.stdout, rep.Marker())
	} else {
		fmt.Fprintln(env.stderr, rep.Marker())
	}
	return rep.ExitCode()
}

func firstOr(args []string, d string) string {
	if len(args) > 0 {
		return args[0]
	}
	return d
}

// loadOptional loads path, or the soakkit.yaml found from the current
// directory; it returns nil, nil when there is none.
func loadOptional(path string) (*config.File, error) {
	if path == "" {
		path = config.Find(".")
	}
	if path == "" {
		return nil, nil
	}
	return config.Load(path)
}
