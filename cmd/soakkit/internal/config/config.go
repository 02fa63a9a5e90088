package config

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/soakkit/soakkit/internal/configfile"

	"github.com/soakkit/soakkit/internal/strictyaml"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/notify"
	"github.com/soakkit/soakkit/soak/summary"
)

// FileName is the name the command looks for at the module root.
const FileName = "soakkit.yaml"

//go:embed default.yaml
var defaultYAML []byte

// A File is the content of soakkit.yaml.
type File struct {
	// Artifacts is the artifacts root (default "artifacts"); relative to the
	// directory the command runs in, like the --artifacts flag.
	Artifacts string      `yaml:"artifacts"`
	Plan      Plan        `yaml:"plan"`
	Soak      Soak        `yaml:"soak"`
	Lint      LintConf    `yaml:"lint"`
	Secrets   SecretsConf `yaml:"secrets"`

	// Gates, Leaks and Slowdown judge a soak (see soak/summary). Unless
	// leaks.ignore is set, the soakkit process itself ("self") is sampled
	// and reported but never makes a run a leak.
	Gates    []summary.Gate         `yaml:"gates"`
	Leaks    summary.LeakConfig     `yaml:"leaks"`
	Slowdown summary.SlowdownConfig `yaml:"slowdown"`
	// Notify sends alerts on failure and at the end of a soak. Tokens and
	// webhook URLs are read from the environment variables it names.
	Notify notify.Config `yaml:"notify"`
	// Metrics publishes a soak's live metrics while it runs (soak/live).
	Metrics MetricsConf `yaml:"metrics"`

	// Path is the file read ("" for the embedded default); Dir the
	// directory relative paths are resolved against.
	Path string `yaml:"-"`
	Dir  string `yaml:"-"`

	lines map[string]int // the line of each field, for errors found after decoding
}

// A Plan is the list of steps one iteration runs, in order.
type Plan struct {
	// Timeout bounds one `soakkit validate` run (default: none). A soak uses
	// soak.iteration_timeout instead.
	Timeout artifact.Duration `yaml:"timeout"`
	Steps   []Step            `yaml:"steps"`
}

// A Step is one entry of a plan. Exactly one of Run, GoTest, Builtin and
// Steps is set.
type Step struct {
	Name     string   `yaml:"name"`     // report and log name: letters, digits, '.', '_' and '-'
	Run      []string `yaml:"run"`      // program and arguments, never passed to a shell
	GoTest   []string `yaml:"go_test"`  // package patterns for `go test -json`
	Builtin  string   `yaml:"builtin"`  // "lint" or "secrets": soakkit's own checks
	Args     []string `yaml:"args"`     // go test flags (go_test) or command arguments (builtin)
	Steps    []Step   `yaml:"steps"`    // a group: run in sequence, or in parallel with Parallel
	Parallel int      `yaml:"parallel"` // with Steps: at most this many at once (0: in sequence)

	Dir            string            `yaml:"dir"`     // working directory, relative to the file
	Env            map[string]string `yaml:"env"`     // added to the environment
	Timeout        artifact.Duration `yaml:"timeout"` // per attempt; ends the whole process tree
	Retries        int               `yaml:"retries"` // extra attempts after a failure
	Backoff        artifact.Duration `yaml:"backoff"` // pause before the first retry (default 1s), doubled each time
	AllowLeftovers bool              `yaml:"allow_leftovers"`
	JUnit          []string          `yaml:"junit"` // run steps: globs of the JUnit XML reports written, relative to dir
	SkipIf         *SkipIf           `yaml:"skip_if"`
}

// SkipIf lists conditions under which a step is skipped; any one that holds
// skips it, and the report says which.
type SkipIf struct {
	Env     string   `yaml:"env"`     // this variable is set and not empty
	Unset   string   `yaml:"unset"`   // this variable is unset or empty
	OS      []string `yaml:"os"`      // GOOS is one of these
	Missing []string `yaml:"missing"` // one of these programs is not in PATH
}

// Soak is the soak section: the engine's settings plus the command's.
type Soak struct {
	soak.Config `yaml:",inline"`
	// Heartbeat is the pause between iterations (default 5s).
	Heartbeat artifact.Duration `yaml:"heartbeat"`
	// Warmup is excluded from the leak and slowdown verdicts (default: the
	// probe policy's).
	Warmup artifact.Duration `yaml:"warmup"`
}

// MetricsConf configures the live metrics of `soakkit soak`; the
// --metrics-listen and --otlp-endpoint flags override it.
type MetricsConf struct {
	Listen string `yaml:"listen"` // address of the Prometheus /metrics endpoint, e.g. 127.0.0.1:9464; "" for none
	// OTLPEndpoint is the base URL of an OTLP/HTTP receiver the same
	// metrics are pushed to, e.g. http://collector:4318; "" for none.
	OTLPEndpoint string `yaml:"otlp_endpoint"`
}

// LintConf configures `soakkit lint` and the builtin lint step.
type LintConf struct {
	Config    string   `yaml:"config"`    // lint config file, relative to this file
	Baseline  string   `yaml:"baseline"`  // accepted findings (soakkit lint --write-baseline), relative to this file
	Targets   []string `yaml:"targets"`   // default ["./..."]
	Analyzers []string `yaml:"analyzers"` // default: all
}

// SecretsConf configures `soakkit secrets` and the builtin secrets step.
type SecretsConf struct {
	Config   string   `yaml:"config"`   // rules and allowlists (soakkit or gitleaks TOML), relative to this file
	Baseline string   `yaml:"baseline"` // accepted findings, relative to this file
	Strict   bool     `yaml:"strict"`   // allowlisted findings fail
	Exclude  []string `yaml:"exclude"`  // doublestar globs not to read
	Paths    []string `yaml:"paths"`    // default ["."]
	// History scans the git history instead of files: true (every commit
	// reachable from HEAD), "all" (every ref) or a revision range such as
	// "origin/main..HEAD"; false or absent scans files.
	History string `yaml:"history"`
}

// HistoryArgs returns the `soakkit secrets` flags that select the
// History setting, or nil when it scans files.
func (s SecretsConf) HistoryArgs() []string {
	switch h := strings.TrimSpace(s.History); h {
	case "", "false":
		return nil
	case "true":
		return []string{"--history"}
	case "all":
		return []string{"--history", "--all"}
	default:
		return []string{"--history=" + h}
	}
}

// Load reads the file at path.
func Load(path string) (*File, error) {
	data, err := configfile.Read(path, configfile.MaxConfig)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return parse(path, filepath.Dir(abs), data)
}

// Default returns the embedded default plan, with relative paths resolved
// against dir (the module root).
func Default(dir string) *File {
	f, err := parse("(embedded default)", dir, defaultYAML)
	if err != nil {
		panic("config: embedded default is invalid: " + err.Error())
	}
	f.Path = ""
	return f
}

// DefaultYAML returns the embedded default configuration, for users to copy.
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

// Find looks for soakkit.yaml in dir and its parents up to the module root
// (the first directory holding go.mod) and returns its path, or "" if there
// is none.
func Find(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(d, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// ModuleRoot returns the first directory at or above dir holding go.mod,
// or dir itself when there is none.
func ModuleRoot(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for start := d; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return start
		}
		d = parent
	}
}

func parse(name, dir string, data []byte) (*File, error) {
	f := &File{Path: name, Dir: dir}
	if err := strictyaml.Decode(name, data, f); err != nil {
		return nil, err
	}
	lines := strictyaml.Lines(data)
	f.lines = lines
	bad := func(field, format string, args ...any) error {
		return &strictyaml.Error{File: name, Line: lines[field], Field: field, Err: fmt.Errorf(format, args...)}
	}
	var errs []error
	seen := map[string]string{}
	var check func(steps []Step, path string)
	check = func(steps []Step, path string) {
		for i, s := range steps {
			p := fmt.Sprintf("%s[%d]", path, i)
			errs = append(errs, s.check(p, bad)...)
			if s.Name != "" {
				if first, ok := seen[s.Name]; ok {
					errs = append(errs, bad(p+".name", "%q is also the name of %s", s.Name, first))
				} else {
					seen[s.Name] = p
				}
			}
			check(s.Steps, p+".steps")
		}
	}
	check(f.Plan.Steps, "plan.steps")
	if h := strings.TrimSpace(f.Secrets.History); strings.HasPrefix(h, "-") {
		errs = append(errs, bad("secrets.history", "want true, false, all or a revision range, not an option"))
	}
	if f.Plan.Timeout < 0 {
		errs = append(errs, bad("plan.timeout", "negative"))
	}
	if f.Soak.Heartbeat < 0 {
		errs = append(errs, bad("soak.heartbeat", "negative"))
	}
	if f.Soak.Warmup < 0 {
		errs = append(errs, bad("soak.warmup", "negative"))
	}
	sc := f.SummaryConfig(0)
	if err := sc.Validate(); err != nil {
		errs = append(errs, &strictyaml.Error{File: name, Err: err})
	}
	if err := f.Notify.Validate(); err != nil {
		// Its messages start with "notify: " already.
		errs = append(errs, &strictyaml.Error{File: name, Line: lines["notify"], Err: err})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return f, nil
}

var nameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Builtins are the values Step.Builtin accepts.
var Builtins = []string{"lint", "secrets"}

func (s Step) check(p string, bad func(field, format string, args ...any) error) []error {
	var errs []error
	if s.Name == "" {
		errs = append(errs, bad(p, "name is required"))
	} else if !nameRe.MatchString(s.Name) || len(s.Name) > 64 {
		errs = append(errs, bad(p+".name", "%q: use letters, digits, '.', '_' and '-' (at most 64)", s.Name))
	}
	kinds := 0
	for _, set := range []bool{len(s.Run) > 0, len(s.GoTest) > 0, s.Builtin != "", len(s.Steps) > 0} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		errs = append(errs, bad(p, "set exactly one of run, go_test, builtin and steps"))
	}
	if len(s.Run) > 0 && strings.TrimSpace(s.Run[0]) == "" {
		errs = append(errs, bad(p+".run", "empty program name"))
	}
	if s.Builtin != "" && !slices.Contains(Builtins, s.Builtin) {
		errs = append(errs, bad(p+".builtin", "%q is not one of %s", s.Builtin, strings.Join(Builtins, ", ")))
	}
	if len(s.Args) > 0 && len(s.GoTest) == 0 && s.Builtin == "" {
		errs = append(errs, bad(p+".args", "only for go_test and builtin steps (put arguments in run)"))
	}
	if len(s.JUnit) > 0 && len(s.Run) == 0 {
		errs = append(errs, bad(p+".junit", "only for run steps (go_test steps report their tests already)"))
	}
	for _, g := range s.JUnit {
		if !doublestar.ValidatePattern(filepath.ToSlash(g)) || strings.TrimSpace(g) == "" {
			errs = append(errs, bad(p+".junit", "bad glob %q", g))
		}
	}
	if s.Parallel < 0 {
		errs = append(errs, bad(p+".parallel", "negative"))
	}
	if s.Parallel > 0 && len(s.Steps) == 0 {
		errs = append(errs, bad(p+".parallel", "only for a group with steps"))
	}
	if s.Retries < 0 {
		errs = append(errs, bad(p+".retries", "negative"))
	}
	if s.Timeout < 0 {
		errs = append(errs, bad(p+".timeout", "negative"))
	}
	if len(s.Steps) > 0 && (s.Dir != "" || len(s.Env) > 0 || s.Retries > 0 || s.AllowLeftovers) {
		errs = append(errs, bad(p, "a group takes only name, steps, parallel, timeout and skip_if"))
	}
	for k := range s.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			errs = append(errs, bad(p+".env", "bad variable name %q", k))
		}
	}
	return errs
}

// skipReason reports why a step's SkipIf holds, or "".
func (c *SkipIf) skipReason(getenv func(string) string, lookPath func(string) (string, error)) string {
	if c == nil {
		return ""
	}
	if c.Env != "" && getenv(c.Env) != "" {
		return fmt.Sprintf("skip_if: $%s is set", c.Env)
	}
	if c.Unset != "" && getenv(c.Unset) == "" {
		return fmt.Sprintf("skip_if: $%s is not set", c.Unset)
	}
	if slices.Contains(c.OS, runtime.GOOS) {
		return "skip_if: os is " + runtime.GOOS
	}
	for _, prog := range c.Missing {
		if _, err := lookPath(prog); err != nil {
			return fmt.Sprintf("skip_if: %s is not installed", prog)
		}
	}
	return ""
}

// Resolve makes a path written in the file absolute: relative paths are
// relative to the file's directory.
func (f *File) Resolve(p string) string { return f.resolve(p) }

// resolve makes a relative path from the file absolute.
func (f *File) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(f.Dir, p)
}
