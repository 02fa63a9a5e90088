package lint

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/soakkit/soakkit/lint/asciilogs"
	"github.com/soakkit/soakkit/lint/atomicwrite"
	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/analysisutil"
	"github.com/soakkit/soakkit/lint/metriclabels"
	"github.com/soakkit/soakkit/lint/metricnames"
)

// VetAnalyzers returns the Go analyzers for a go vet -vettool driver. Each
// reads its configuration lazily from its own -NAME.config flag, or from
// $SOAKKIT_LINT_CONFIG, or uses the defaults; see [ConfigFlag] for one flag
// that sets them all.
func VetAnalyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{metriclabels.Analyzer, metricnames.Analyzer, atomicwrite.Analyzer, asciilogs.Analyzer}
}

// ConfigFlag returns a flag value that sets the "config" flag of every
// analyzer in as, so that a driver can offer a single -config flag:
//
//	flag.Var(lint.ConfigFlag(as), "config", "lint configuration file")
//	multichecker.Main(as...)
//
// It works the same for analyzers from [VetAnalyzers], [Analyzers] (the
// file replaces the configuration they were built with) and each
// package's New or Analyzer: all of them have a config flag. Analyzers in
// as that have none (not soakkit's) are left alone; Set fails if no
// analyzer in as has one, or if the file cannot be loaded.
//
// go vet keys its cache on the flag's text, not on the file's contents:
// see [VetMain] for how a vet tool gets fresh results after the file
// changes.
func ConfigFlag(as []*analysis.Analyzer) flag.Value { return &configFlag{as: as} }

type configFlag struct {
	as   []*analysis.Analyzer
	path string
}

func (f *configFlag) String() string { return f.path }

func (f *configFlag) Set(v string) error {
	f.path = v
	if v != "" {
		// Fail at flag parsing, not in the middle of an analysis.
		if _, err := config.Load(v); err != nil {
			return err
		}
	}
	var errs []string
	set := 0
	for _, a := range f.as {
		if a.Flags.Lookup("config") == nil {
			continue
		}
		set++
		if err := a.Flags.Set("config", v); err != nil {
			errs = append(errs, a.Name+": "+err.Error())
		}
	}
	if len(errs) > 0 {
		return &TargetError{Path: v, Message: strings.Join(errs, "; ")}
	}
	if set == 0 {
		return fmt.Errorf("%w: -config: none of the %d analyzers has a config flag", ErrUsage, len(f.as))
	}
	return nil
}

// ConfigEnv names the environment variable that gives analyzers without a
// -config flag value (and without a configuration of their own) their
// configuration file.
const ConfigEnv = analysisutil.ConfigEnv

// VetMain is the main function of a go vet tool (cmd/soakkit-vet): it runs
// the analyzers (default: [VetAnalyzers]) through multichecker.Main with a
// -config flag for all of them (see [ConfigFlag]).
//
// # Fresh results after a configuration change
//
// go vet caches each package's results under a key made of the tool's
// identity (what the tool prints for -V=full), the flags' text and the
// package's inputs; the configuration file's contents are not among them.
// VetMain therefore folds the contents of the file named by
// $SOAKKIT_LINT_CONFIG into its -V=full identity: with the configuration
// given that way, editing the file is enough for go vet to run again.
// A -config=FILE flag is seen by go vet only as text: after editing FILE,
// go vet serves the old results. Name the file through
// $SOAKKIT_LINT_CONFIG instead (the recommended way), or, with -config,
// force a fresh run with go vet -a (which also rebuilds every dependency,
// the standard library included, and takes minutes):
//
//	SOAKKIT_LINT_CONFIG=$PWD/lint.yaml go vet -vettool=$(which soakkit-vet) ./...
func VetMain(as ...*analysis.Analyzer) {
	if len(as) == 0 {
		as = VetAnalyzers()
	}
	if len(os.Args) == 2 && (os.Args[1] == "-V=full" || os.Args[1] == "--V=full") {
		if err := writeVetVersion(os.Stdout, os.Getenv); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	flag.Var(ConfigFlag(as), "config", "lint configuration file (YAML, JSON or a label list) for all analyzers; default $"+ConfigEnv)
	multichecker.Main(as...)
}

// writeVetVersion prints the tool's identity in the form go vet expects
// ("NAME version devel ... buildID=HEX"), the build ID hashing the
// executable and the configuration named by $SOAKKIT_LINT_CONFIG.
func writeVetVersion(w io.Writer, getenv func(string) string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	h := sha256.New()
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return err
	}
	if p := getenv(ConfigEnv); p != "" {
		fmt.Fprintf(h, "\x00config\x00%s\x00", p)
		if data, err := os.ReadFile(p); err == nil {
			h.Write(data)
		} else {
			fmt.Fprintf(h, "unreadable: %v", err) // the run itself reports it
		}
	}
	_, err = fmt.Fprintf(w, "%s version devel soakkit-lint buildID=%x\n", filepath.Base(exe), h.Sum(nil))
	return err
}
