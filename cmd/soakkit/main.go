package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
)

// Exit codes, shared by every command.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitVerdict  = 3
	exitCritical = 4
	exitSignal   = 130 // stopped by SIGINT/SIGTERM (a soak's summary is still written)
)

// A command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // after "soakkit NAME "
	help    string // long help: description and examples
	flags   func(fs *pflag.FlagSet) any
	run     func(ctx context.Context, env *cmdEnv, opts any, args []string) int
}

// cmdEnv is what a command may touch of the outside world; tests swap it.
type cmdEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	unsetenv       func(string) error
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

// signalGrace is how long a command that does not stop on its own (see
// stopsGracefully) may take to return after the first SIGINT or SIGTERM
// before soakkit exits anyway: a read of a pipe or terminal that nobody
// writes cannot be interrupted from inside the process.
const signalGrace = 2 * time.Second

// stopsGracefully reports whether the command ends its own work when its
// context is canceled: it stops its process trees and writes its artifacts,
// which may take longer than signalGrace. A second signal still ends it at
// once.
func stopsGracefully(name string) bool { return name == "soak" || name == "validate" }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	graceful := len(os.Args) > 1 && stopsGracefully(os.Args[1])
	go func() {
		// The first signal cancels ctx: the current work stops gracefully
		// and everything is still written. Restoring the default handling
		// makes a second Ctrl+C end soakkit at once.
		<-ctx.Done()
		stop()
		if graceful {
			return
		}
		time.Sleep(signalGrace)
		fmt.Fprintln(os.Stderr, "soakkit: stopped by a signal")
		os.Exit(exitSignal)
	}()
	env := &cmdEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, unsetenv: os.Unsetenv}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, env *cmdEnv, args []string) int {
	env, flush := env.redacted()
	defer flush()
	if len(args) == 0 {
		usage(env.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				fs, _ := newFlagSet(c, env)
				printHelp(env.stdout, c, fs)
				return exitOK
			}
		}
		usage(env.stdout)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintln(env.stdout, "soakkit", version())
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(env.stderr, "soakkit: unknown command %q\n\n", args[0])
		usage(env.stderr)
		return exitUsage
	}
	fs, opts := newFlagSet(c, env)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printHelp(env.stdout, c, fs)
			return exitOK
		}
		fmt.Fprintf(env.stderr, "soakkit %s: %v\n(see 'soakkit %s --help')\n", c.name, err, c.name)
		return exitUsage
	}
	if help, _ := fs.GetBool("help"); help {
		printHelp(env.stdout, c, fs)
		return exitOK
	}
	if err := applyEnv(fs, env.getenv); err != nil {
		fmt.Fprintf(env.stderr, "soakkit %s: %v\n", c.name, err)
		return exitUsage
	}
	if err := dropFlagEnv(env); err != nil {
		fmt.Fprintf(env.stderr, "soakkit %s: %v\n", c.name, err)
		return exitUsage
	}
	rest := fs.Args()
	if n := fs.ArgsLenAtDash(); n >= 0 {
		// Keep the "--" so a command can tell the positional args before it
		// from the command line after it.
		rest = append(append(append([]string{}, fs.Args()[:n]...), "--"), fs.Args()[n:]...)
	}
	return c.run(ctx, env, opts, rest)
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func newFlagSet(c *command, env *cmdEnv) (*pflag.FlagSet, any) {
	fs := pflag.NewFlagSet("soakkit "+c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SetInterspersed(true)
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	fs.BoolP("help", "h", false, "show this help")
	return fs, opts
}

// envName is the environment variable that sets a flag: SOAKKIT_ and the
// flag name in upper case with dashes as underscores.
func envName(flag string) string {
	return "SOAKKIT_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// applyEnv sets every flag not given on the command line from its
// environment variable, if set. Flags win over the environment.
func applyEnv(fs *pflag.FlagSet, getenv func(string) string) error {
	var errs []error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "help" {
			return
		}
		v := getenv(envName(f.Name))
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", envName(f.Name), v, err))
		}
	})
	return errors.Join(errs...)
}

// dropFlagEnv removes every command's SOAKKIT_<FLAG> variables from the
// environment once they are read, so the steps soakkit runs do not inherit
// soakkit's own settings: a SOAKKIT_DURATION meant for this soak must not
// also start the go test soak suites (soak/soaktest) of the code under test.
// A step that wants one sets it in its env in soakkit.yaml.
func dropFlagEnv(env *cmdEnv) error {
	var errs []error
	for _, c := range commands {
		fs, _ := newFlagSet(c, env)
		fs.VisitAll(func(f *pflag.Flag) {
			if name := envName(f.Name); f.Name != "help" && env.getenv(name) != "" {
				if err := env.unsetenv(name); err != nil {
					errs = append(errs, err)
				}
			}
		})
	}
	return errors.Join(errs...)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `soakkit runs CI validation steps and long soaks, and checks what CI gates check.

Usage:
  soakkit <command> [flags] [args]

Commands:
`)
	sorted := append([]*command(nil), commands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'soakkit <command> --help' for a command's flags and examples.
Every flag can also be set by an environment variable: SOAKKIT_ and the flag
name in upper case, dashes as underscores (--iteration-timeout is
SOAKKIT_ITERATION_TIMEOUT). A flag on the command line wins. These
variables are removed from the environment of the steps soakkit runs.

Exit codes:
  0  success
  1  failures or findings
  2  bad usage or bad config
  3  a leak or slowdown verdict (and no failures)
  4  a critical finding: a secret inside the artifacts directory
  130  a soak stopped by Ctrl+C or SIGTERM (everything is still written;
       a second Ctrl+C ends soakkit at once)
`)
}

func printHelp(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: soakkit %s %s\n\n%s\n", c.name, c.usage, strings.TrimSpace(c.help))
	fmt.Fprintf(w, "\nFlags (each also read from SOAKKIT_<FLAG> when not given):\n%s", fs.FlagUsages())
	fmt.Fprint(w, "\nExit codes: 0 success, 1 failures or findings, 2 bad usage or config, 3 leak or slowdown verdict, 4 critical finding.\n")
}

// version reports the module version the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v + " " + bi.GoVersion
}

// usageError prints a usage problem for c and returns exitUsage.
func usageError(env *cmdEnv, c string, format string, args ...any) int {
	fmt.Fprintf(env.stderr, "soakkit %s: %s\n(see 'soakkit %s --help')\n", c, fmt.Sprintf(format, args...), c)
	return exitUsage
}
