package lint

import (
	"flag"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/soakkit/soakkit/lint/asciilogs"
	"github.com/soakkit/soakkit/lint/atomicwrite"
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
func ConfigFlag(as []*analysis.Analyzer) flag.Value { return &configFlag{as: as} }

type configFlag struct {
	as   []*analysis.Analyzer
	path string
}

func (f *configFlag) String() string { return f.path }

func (f *configFlag) Set(v string) error {
	f.path = v
	var errs []string
	for _, a := range f.as {
		if a.Flags.Lookup("config") == nil {
			continue
		}
		if err := a.Flags.Set("config", v); err != nil {
			errs = append(errs, a.Name+": "+err.Error())
		}
	}
	if len(errs) > 0 {
		return &TargetError{Path: v, Message: strings.Join(errs, "; ")}
	}
	return nil
}
