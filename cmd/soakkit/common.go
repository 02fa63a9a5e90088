package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/secrets"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// common flags of the commands that run a plan.
type planFlags struct {
	fs        *pflag.FlagSet
	config    string
	artifacts string
	logFormat string
	verbose   bool
	note      string // which embedded default plan load chose, and why
	noPlan    error  // why no embedded default plan fits, if none does
}

func (p *planFlags) register(fs *pflag.FlagSet) {
	p.fs = fs
	fs.StringVar(&p.config, "config", "", "config file (default: soakkit.yaml at the module root, else the embedded default plan)")
	fs.StringVar(&p.artifacts, "artifacts", "", `artifacts root (default: the config's, else "artifacts")`)
	fs.StringVar(&p.logFormat, "log-format", "text", "log format: text or json")
	fs.BoolVarP(&p.verbose, "verbose", "v", false, "debug logging")
}

// load reads the config: --config, else soakkit.yaml found from the
// current directory up to the module root, else the embedded default that
// fits the tree (see config.DefaultFor), noted in p.note. When none fits,
// p.noPlan says why and the Go default's settings are returned for
// commands that bring their own steps; its plan must not run.
func (p *planFlags) load() (*config.File, error) {
	if p.config != "" {
		return loadConfig(p.config)
	}
	if path := config.Find("."); path != "" {
		return loadConfig(path)
	}
	f, note, err := config.DefaultFor(".")
	if errors.Is(err, config.ErrNoDefault) {
		p.noPlan = err
		return config.Default(config.ModuleRoot(".")), nil
	}
	p.note = note
	return f, err
}

// loadConfig reads the config file at path for a command that runs its
// plan: an optional file it names (a lint or secrets config or baseline)
// that does not exist is an error now, naming the file and the command that
// creates it, rather than a step failing later with "no such file".
func loadConfig(path string) (*config.File, error) {
	f, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if err := f.CheckFiles(); err != nil {
		return nil, err
	}
	return f, nil
}

func (p *planFlags) artifactsDir(f *config.File) string {
	if p.artifacts != "" {
		return p.artifacts
	}
	if f != nil {
		d := f.ArtifactsOr("")
		if d != "" && !filepath.IsAbs(d) && f.Dir != "" && f.Path != "" {
			return filepath.Join(f.Dir, d)
		}
		if d != "" {
			return d
		}
	}
	return "artifacts"
}

func (p *planFlags) logger(w io.Writer, level slog.Level) (*slog.Logger, error) {
	if p.verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch p.logFormat {
	case "text", "":
		return slog.New(secrets.NewHandler(slog.NewTextHandler(w, opts), logRedactor)), nil
	case "json":
		return slog.New(secrets.NewHandler(slog.NewJSONHandler(w, opts), logRedactor)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", p.logFormat)
}

// logRedactor masks secrets in step logs, tails and the environment
// snapshot. It masks what the secret rules find and nothing else: the
// redact.py patterns would also mask every long identifier, test
// name and path, and make the logs useless.
var logRedactor = &secrets.Redactor{RulesOnly: true}

// absPath returns p made absolute, for the paths soakkit prints: the same
// file reads the same whether the artifacts root came from a flag, a
// config file or the default.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// self is the executable that builtin steps run.
func self() string {
	exe, err := os.Executable()
	if err != nil {
		return os.Args[0]
	}
	return exe
}

// interactive reports whether w is a terminal and we are not in CI.
func interactive(w io.Writer, getenv func(string) string) bool {
	if getenv("CI") == "true" || getenv("CI") == "1" {
		return false
	}
	f, ok := terminal(w).(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// A redactedOutput is soakkit's stdout or stderr behind the redaction
// boundary: everything written to it is masked line by line.
type redactedOutput struct {
	io.WriteCloser           // the redacting writer
	raw            io.Writer // what it writes to
}

// redacted returns env with stdout and stderr redacted, and a function that
// flushes them.
func (env *cmdEnv) redacted() (*cmdEnv, func()) {
	if _, ok := env.stdout.(*redactedOutput); ok {
		return env, func() {}
	}
	e := *env
	out := &redactedOutput{logRedactor.NewWriter(env.stdout), env.stdout}
	errw := &redactedOutput{logRedactor.NewWriter(env.stderr), env.stderr}
	e.stdout, e.stderr = out, errw
	return &e, func() {
		out.Close()
		errw.Close()
	}
}

// terminal returns the writer behind a redactedOutput, for the live
// progress line: a redacting writer holds text until its line ends, and
// the progress line holds only counters and durations.
func terminal(w io.Writer) io.Writer {
	if ro, ok := w.(*redactedOutput); ok {
		return ro.raw
	}
	return w
}

// printResults writes a table of results, nested ones indented.
func printResults(w io.Writer, results []step.Result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tSTATUS\tDURATION\tDETAILS")
	var row func(r step.Result, depth int)
	row = func(r step.Result, depth int) {
		details := strings.ReplaceAll(r.Details, "\t", " ")
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\n", strings.Repeat("  ", depth), r.Name, strings.ToUpper(string(r.Status)),
			r.Duration.Round(time.Millisecond), details)
		for _, c := range r.Steps {
			row(c, depth+1)
		}
	}
	for _, r := range results {
		row(r, 0)
	}
	tw.Flush()
}

// annotateFailures prints a GitHub annotation for each failed result
// when running inside GitHub Actions.
func annotateFailures(w io.Writer, getenv func(string) string, title string, results []step.Result) {
	if getenv("GITHUB_ACTIONS") != "true" {
		return
	}
	for _, r := range results {
		if r.OK || r.Status == step.Skipped {
			continue
		}
		msg := fmt.Sprintf("step %s %s: %s", r.Name, r.Status, r.Details)
		if r.Tail != "" {
			msg += "\n" + r.Tail
		}
		fmt.Fprintln(w, ghactions.Annotation{Title: title + ": " + r.Name, Message: msg})
	}
}

// enableSubreaper makes soakkit adopt its steps' orphaned descendants
// (Linux), so that even those that double-forked are found and ended.
func enableSubreaper(log *slog.Logger) {
	if err := step.EnableSubreaper(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		log.Debug("child subreaper not available", "err", err)
	}
}

// printErr prints err as "soakkit NAME: message". A library error that
// starts with the command's own name ("soak: config: …" for soak,
// "secrets: baseline: …" for secrets) loses that word, on every line of a
// joined error, so that no message reads "soakkit soak: soak: …".
func printErr(env *cmdEnv, name string, err error) {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, name+": ")
	}
	fmt.Fprintf(env.stderr, "soakkit %s: %s\n", name, strings.Join(lines, "\n"))
}

// maxVerdictLines bounds the findings printed under a verdict's headline;
// summary.md and report.html keep the full list.
const maxVerdictLines = 20

// printVerdict prints a soak verdict the way soak, report and merge end:
// the status and its one-sentence reason, then every finding behind it
// when there is more than one (a single finding is the reason itself, and
// saying it twice reads as two problems).
func printVerdict(w io.Writer, v summary.Verdict) {
	fmt.Fprintf(w, "%s: %s\n", strings.ToUpper(string(v.Status)), v.Reason)
	if len(v.Reasons) < 2 {
		return
	}
	for i, r := range v.Reasons {
		if i == maxVerdictLines {
			fmt.Fprintf(w, "  - … and %d more (see summary.md)\n", len(v.Reasons)-i)
			return
		}
		fmt.Fprintf(w, "  - %s\n", r)
	}
}
