package analysisutil

import (
	"flag"
	"go/ast"
	"go/token"
	"os"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/suppress"
)

// ConfigEnv names the environment variable read when an analyzer built
// without a configuration has no -config flag set.
const ConfigEnv = "SOAKKIT_LINT_CONFIG"

// A ConfigSource yields an analyzer's configuration: the file named by its
// -config flag when that is set, else the configuration the analyzer was
// built with, else the file named by $SOAKKIT_LINT_CONFIG, else the
// defaults. Files are loaded once per path.
type ConfigSource struct {
	fixed *config.Config // nil: none given
	path  string

	mu     sync.Mutex
	loaded map[string]*config.Config
}

// Fixed returns a source that yields cfg (defaults if nil) unless the
// -config flag names a file.
func Fixed(cfg *config.Config) *ConfigSource {
	if cfg == nil {
		cfg = config.Default()
	}
	return &ConfigSource{fixed: cfg}
}

// Register adds the -config flag to fs.
func (s *ConfigSource) Register(fs *flag.FlagSet) {
	fs.StringVar(&s.path, "config", "", "lint configuration file (YAML, JSON or a label list); default $"+ConfigEnv+" or built-in defaults")
}

// Get returns the configuration.
func (s *ConfigSource) Get() (*config.Config, error) {
	p := s.path
	if p == "" && s.fixed != nil {
		return s.fixed, nil
	}
	if p == "" {
		p = os.Getenv(ConfigEnv)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.loaded[p]; ok {
		return c, nil
	}
	c := config.Default()
	if p != "" {
		var err error
		if c, err = config.Load(p); err != nil {
			return nil, err
		}
	}
	if s.loaded == nil {
		s.loaded = map[string]*config.Config{}
	}
	s.loaded[p] = c
	return c, nil
}

// ResultType is the result type of every soakkit analyzer.
var ResultType = reflect.TypeOf((*suppress.Result)(nil))

// A Reporter reports diagnostics of one analyzer pass, dropping rules whose
// severity is off and findings covered by a lint-ok directive.
type Reporter struct {
	Pass     *analysis.Pass
	Analyzer string
	Cfg      *config.Config
	Defaults map[string]config.Severity // rule name → default severity

	sets map[*token.File]*suppress.Set
}

// Enabled reports whether the rule (without the analyzer prefix) is on.
func (r *Reporter) Enabled(rule string) bool {
	def, ok := r.Defaults[rule]
	if !ok {
		def = config.SeverityError
	}
	return r.Cfg.Severity(r.Analyzer+"/"+rule, def) != config.SeverityOff
}

// Report reports a finding of rule at [pos, end) unless it is off or
// suppressed.
func (r *Reporter) Report(rule string, pos, end token.Pos, msg string) {
	r.ReportFix(rule, pos, end, msg, nil)
}

// ReportFix is [Reporter.Report] with suggested fixes.
func (r *Reporter) ReportFix(rule string, pos, end token.Pos, msg string, fixes []analysis.SuggestedFix) {
	if !r.Enabled(rule) {
		return
	}
	id := r.Analyzer + "/" + rule
	tf := r.Pass.Fset.File(pos)
	if tf != nil {
		if r.set(tf).Suppressed(tf.Line(pos), id) {
			return
		}
	}
	r.Pass.Report(analysis.Diagnostic{Pos: pos, End: end, Category: rule, Message: msg, SuggestedFixes: fixes})
}

func (r *Reporter) set(tf *token.File) *suppress.Set {
	if r.sets == nil {
		r.sets = map[*token.File]*suppress.Set{}
		for _, f := range r.Pass.Files {
			t := r.Pass.Fset.File(f.Pos())
			r.sets[t] = &suppress.Set{Dirs: suppress.ParseGo(r.Pass.Fset, f)}
		}
	}
	return r.sets[tf]
}

// Result returns the directives used during the pass.
func (r *Reporter) Result() *suppress.Result {
	res := &suppress.Result{}
	for _, s := range r.sets {
		res.Used = append(res.Used, s.Used()...)
	}
	return res
}

// FileOf returns the file of pass containing pos.
func FileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// IsTestFile reports whether the file is a _test.go file.
func IsTestFile(pass *analysis.Pass, f *ast.File) bool {
	name := pass.Fset.File(f.Pos()).Name()
	return len(name) > 8 && name[len(name)-8:] == "_test.go"
}

// Wire completes an analyzer: its Run calls run with the configuration from
// src (a nil src has no configuration of its own; see ConfigSource). Every
// analyzer gets a -config flag, whatever src, so that a driver configures
// analyzers the same way however they were built. It sets ResultType and
// returns a.
func Wire(a *analysis.Analyzer, src *ConfigSource, run func(*analysis.Pass, *config.Config) (any, error)) *analysis.Analyzer {
	a.ResultType = ResultType
	if src == nil {
		src = &ConfigSource{}
	}
	src.Register(&a.Flags)
	a.Run = func(pass *analysis.Pass) (any, error) {
		cfg, err := src.Get()
		if err != nil {
			return nil, err
		}
		return run(pass, cfg)
	}
	return a
}
