package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/secrets"
)

type secretsFlags struct {
	config, baseline, format, artifacts, git, soakConfig string
	writeBaseline                                        string
	history, merges, gitleaksIgnore                      string
	strict, staged, noTestCreds, all                     bool
	exclude                                              []string
	fs                                                   *pflag.FlagSet
}

func init() {
	register(&command{
		name:    "secrets",
		summary: "scan files, stdin, git changes or git history for secrets",
		usage:   "[PATH…|-] [--history [RANGE]] [--format text|json|sarif|junit|github] [--config FILE] [--baseline FILE] [--strict]",
		help: `
Scans directory trees and files (default "."), standard input ("-"), the lines
added in a git range (--git BASE..HEAD), the staged changes (--staged) or every
commit of the git history (--history, --history RANGE, --history --all) for
secrets, with the built-in rules or a config file (soakkit's own format or a
gitleaks TOML config). Findings are always redacted. Prints the report, then
the scan_secrets.py-compatible marker line, e.g. "| scan_secrets | OK | RESULT=CLEAN |".

Allowlisted findings pass unless --strict. Accept the current findings with
--write-baseline FILE (one fingerprint per line, no secret), then scan with
--baseline FILE or set secrets.baseline in soakkit.yaml. A finding inside the artifacts
directory (--artifacts) is critical: no allowlist applies, exit status 4.
Binary and unreadable files are counted and reported, never skipped silently.

--history reads every commit reachable from HEAD (or in RANGE, or of every
ref with --all) through git, in parallel. A secret is reported once, at the
commit that introduced it, with its author and date and the number of commits
that carry it, even if a later commit removed it. Merge commits are not
diffed, as in gitleaks (--merges first-parent diffs them against their first
parent). A .gitleaksignore file (at the repository's top, or --gitleaks-ignore)
suppresses the findings whose commit:file:rule:line fingerprints it lists.

Examples:
  soakkit secrets .
  soakkit secrets --format sarif > secrets.sarif
  soakkit secrets --git origin/main..HEAD --format github
  soakkit secrets --staged                   # a pre-commit hook
  soakkit secrets --history                  # every commit reachable from HEAD
  soakkit secrets --history origin/main..HEAD --format sarif
  soakkit secrets --history --all            # every branch and tag
  soakkit secrets . --artifacts artifacts --strict
  soakkit secrets --write-baseline .secrets-baseline.json
  cat build.log | soakkit secrets -`,
		flags: func(fs *pflag.FlagSet) any {
			f := &secretsFlags{fs: fs}
			fs.StringVar(&f.format, "format", "text", "report format: "+formatList(secrets.Formats))
			fs.StringVar(&f.config, "config", "", "rules and allowlists: a soakkit secrets config or a gitleaks TOML config (default: the soakkit.yaml secrets.config)")
			fs.StringVar(&f.baseline, "baseline", "", "baseline file of accepted findings (by fingerprint; default: the soakkit.yaml secrets.baseline)")
			fs.StringVar(&f.writeBaseline, "write-baseline", "", "write the fingerprints of the findings to this baseline file (accepting them) and exit 0")
			fs.BoolVar(&f.strict, "strict", false, "allowlisted findings fail too")
			fs.StringVar(&f.artifacts, "artifacts", "", "artifacts directory: scanned too, and any finding there is critical (exit 4)")
			fs.StringVar(&f.git, "git", "", "scan only lines added in this git revision range, e.g. origin/main..HEAD")
			fs.BoolVar(&f.staged, "staged", false, "scan only the staged changes (pre-commit)")
			fs.StringVar(&f.history, "history", "", "scan every commit reachable from HEAD, or in this range (--history=RANGE or --history RANGE)")
			fs.Lookup("history").NoOptDefVal = "HEAD"
			fs.BoolVar(&f.all, "all", false, "with --history: every ref (branches, tags, remote-tracking refs)")
			fs.StringVar(&f.merges, "merges", string(secrets.MergesSkip), "with --history: how merge commits are diffed: skip (as gitleaks) or first-parent")
			fs.StringVar(&f.gitleaksIgnore, "gitleaks-ignore", "", "gitleaks .gitleaksignore file of fingerprints to suppress (default: .gitleaksignore at the scanned directory, if any)")
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
	history := f.fs.Changed("history")
	if n := btoi(f.staged) + btoi(f.git != "") + btoi(history); n > 1 {
		return usageError(env, "secrets", "--staged, --git and --history exclude each other")
	}
	if slices.Contains(args, "--") {
		return usageError(env, "secrets", "unexpected '--'")
	}
	sc := &secrets.Scanner{Strict: f.strict, ArtifactsDir: f.artifacts, Exclude: f.exclude, NoTestCredentials: f.noTestCreds}

	// Settings from soakkit.yaml, if there is one; flags win.
	cfgPath, baseline := f.config, f.baseline
	file, err := loadOptional(f.soakConfig)
	if err != nil {
		printErr(env, "secrets", err)
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
		// history: in soakkit.yaml applies unless a flag picks another scope
		// or the arguments name something other than the repository.
		if h := s.HistoryArgs(); h != nil && !history && !f.staged && f.git == "" && (len(args) == 0 || len(args) == 1 && isDir(args[0])) {
			history = true
			f.history = "HEAD"
			if rng, ok := strings.CutPrefix(h[0], "--history="); ok {
				f.history = rng
			}
			f.all = f.all || slices.Contains(h, "--all")
		}
		if len(args) == 0 && !history {
			args = s.Paths
		}
	}
	if (f.all || f.fs.Changed("merges")) && !history {
		return usageError(env, "secrets", "--all and --merges need --history")
	}
	h := secrets.History{Range: f.history, All: f.all, Merges: secrets.Merges(f.merges)}
	if history {
		// "--history RANGE": pflag leaves RANGE as an argument; it is a
		// range unless it names a directory (the repository).
		if f.fs.Changed("history") && f.history == "HEAD" && len(args) > 0 && !isDir(args[0]) {
			h.Range, args = args[0], args[1:]
		}
		if h.All && h.Range == "HEAD" {
			h.Range = ""
		}
		if len(args) > 1 {
			return usageError(env, "secrets", "--history takes a range and at most one repository directory")
		}
		if h.Merges != secrets.MergesSkip && h.Merges != secrets.MergesFirstParent {
			return usageError(env, "secrets", "--merges: %q is not one of %s, %s", f.merges, secrets.MergesSkip, secrets.MergesFirstParent)
		}
	}
	ignore := f.gitleaksIgnore
	if ignore == "" {
		base := "."
		if f.staged || f.git != "" || history {
			base = firstOr(args, ".")
		}
		if p := filepath.Join(base, ".gitleaksignore"); isFile(p) {
			ignore = p
		}
	}
	if ignore != "" {
		g, err := secrets.ReadGitleaksIgnore(ignore)
		if err != nil {
			printErr(env, "secrets", err)
			return exitUsage
		}
		sc.GitleaksIgnore = g
	}
	if f.writeBaseline != "" {
		// The new baseline accepts every current finding: an old one
		// applied now would leave its findings out.
		baseline = ""
	}
	if cfgPath != "" {
		if err := config.NeedFile(cfgPath, config.SecretsConfig); err != nil {
			fmt.Fprintf(env.stderr, "soakkit secrets: config %v\n", err)
			return exitUsage
		}
		if st, err := os.Stat(cfgPath); err == nil && !st.Mode().IsRegular() {
			// A FIFO or device would block the read for ever.
			fmt.Fprintf(env.stderr, "soakkit secrets: config %s: not a regular file (%s)\n", cfgPath, st.Mode().Type())
			return exitUsage
		}
		c, err := secrets.LoadConfig(cfgPath)
		if err != nil {
			printErr(env, "secrets", err)
			return exitUsage
		}
		if c.Newer() {
			fmt.Fprintf(env.stderr, "soakkit secrets: warning: config %s: minVersion %s is later than gitleaks %s, whose config semantics soakkit implements; rules relying on later gitleaks behaviour may match differently\n",
				cfgPath, c.MinVersion, secrets.GitleaksVersion)
		}
		c.Apply(sc)
	}
	if baseline != "" {
		if err := config.NeedFile(baseline, config.SecretsBaseline); err != nil {
			fmt.Fprintf(env.stderr, "soakkit secrets: baseline %v\n", err)
			return exitUsage
		}
		b, err := secrets.ReadBaseline(baseline)
		if err != nil {
			printErr(env, "secrets", err)
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
	case history:
		rep, err = sc.ScanHistory(ctx, firstOr(args, "."), h)
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
		printErr(env, "secrets", err)
		if rep == nil {
			// The scan could not run: still exactly one marker, agreeing
			// with the exit status.
			fmt.Fprintln(env.stdout, "| scan_secrets | FAIL | RESULT="+string(secrets.Unreadable)+" |")
			return exitUsage
		}
	}
	if f.writeBaseline != "" {
		if code := writeSecretsBaseline(env, f.writeBaseline, rep); code != exitOK {
			return code
		}
	}
	if err := rep.Write(env.stdout, format); err != nil {
		printErr(env, "secrets", err)
		return exitUsage
	}
	if format != secrets.FormatGitHub && ghactions.Enabled() {
		rep.Write(env.stderr, secrets.FormatGitHub)
	}
	// The marker goes to stdout for the text format (where CI scripts
	// grep for it) and to stderr for machine formats, so it never corrupts
	// them. The counts follow it on the same stream, as the last line: a
	// validate table row shows them (findings, files), not just the marker.
	w := env.stderr
	if format == secrets.FormatText {
		w = env.stdout
	}
	fmt.Fprintln(w, rep.Marker())
	fmt.Fprintln(w, "secrets: "+rep.Summary())
	return rep.ExitCode()
}

// writeSecretsBaseline writes the baseline of rep to path and marks the
// findings it accepts as baselined, so that the report, the marker and the
// exit status that follow say what a scan with the new baseline would say.
// A scan that could not read everything writes nothing: exit 2.
func writeSecretsBaseline(env *cmdEnv, path string, rep *secrets.Report) int {
	if len(rep.Errors) > 0 {
		fmt.Fprintf(env.stderr, "soakkit secrets: baseline not written: the scan was incomplete (%d file(s) unreadable)\n", len(rep.Errors))
		fmt.Fprintln(env.stdout, "| scan_secrets | FAIL | RESULT="+string(secrets.Unreadable)+" |")
		return exitUsage
	}
	var n int
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
		var err error
		n, err = rep.WriteBaseline(w)
		return err
	})
	if err != nil {
		printErr(env, "secrets", err)
		return exitFailed
	}
	for i := range rep.Findings {
		if f := &rep.Findings[i]; !f.Critical {
			f.Suppressed = secrets.Baselined
		}
	}
	fmt.Fprintf(env.stderr, "soakkit secrets: wrote %s: %d finding(s) accepted\n", path, n)
	return exitOK
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
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
