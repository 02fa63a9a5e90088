package summary

import (
	"errors"
	"fmt"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
)

// A Config says how a run is judged: gates, and the leak and slowdown
// policies. The zero Config judges with the defaults and has no gates.
// Field names are snake_case in JSON and YAML, for the soak section of a
// config file.
type Config struct {
	// Gates are thresholds on summary figures and on numbers read from
	// JSON files the plan produces.
	Gates []Gate `json:"gates,omitempty" yaml:"gates,omitempty"`
	// Leaks configures the leak verdicts of the sampled resources.
	Leaks LeakConfig `json:"leaks,omitzero" yaml:"leaks,omitempty"`
	// Slowdown configures the per-step duration trend.
	Slowdown SlowdownConfig `json:"slowdown,omitzero" yaml:"slowdown,omitempty"`
	// Dir is the directory relative gate files are read from.
	// Default: the artifacts root.
	Dir string `json:"dir,omitempty" yaml:"dir,omitempty"`
	// ReportURL is the link to the HTML report given in summary.md.
	// Default: "report.html" when that file exists next to summary.md.
	ReportURL string `json:"report_url,omitempty" yaml:"report_url,omitempty"`
}

// LeakConfig configures the leak verdicts. Policies apply to every target;
// a zero field of a policy keeps probe's default (see [probe.DefaultPolicy]).
type LeakConfig struct {
	// Policies override probe's default policy per metric ("rss", "fds",
	// "threads", "procs", "zombies", "go_heap_live", "goroutines").
	Policies map[probe.Metric]LeakPolicy `json:"policies,omitempty" yaml:"policies,omitempty"`
	// Ignore lists targets ("self", a service name, "step:<name>") whose
	// verdicts are reported but never make the run a leak.
	Ignore []string `json:"ignore,omitempty" yaml:"ignore,omitempty"`
}

// A LeakPolicy is the config-file form of a [probe.Policy]: rates are per
// minute in the metric's unit (bytes for sizes), durations are Go duration
// strings. A zero field keeps probe's default.
type LeakPolicy struct {
	Floor      float64           `json:"floor,omitempty" yaml:"floor,omitempty"`             // units/min
	Budget     float64           `json:"budget,omitempty" yaml:"budget,omitempty"`           // units over the run
	BudgetFrac float64           `json:"budget_frac,omitempty" yaml:"budget_frac,omitempty"` // of the baseline; <0 disables
	Warmup     artifact.Duration `json:"warmup,omitempty" yaml:"warmup,omitempty"`
	Block      artifact.Duration `json:"block,omitempty" yaml:"block,omitempty"`
	Window     artifact.Duration `json:"window,omitempty" yaml:"window,omitempty"`
	Check      artifact.Duration `json:"check,omitempty" yaml:"check,omitempty"`
	CheckAfter artifact.Duration `json:"check_after,omitempty" yaml:"check_after,omitempty"`
	Persist    artifact.Duration `json:"persist,omitempty" yaml:"persist,omitempty"`
	Max        float64           `json:"max,omitempty" yaml:"max,omitempty"` // ceiling in units; 0: none
}

// Policy returns p as a probe.Policy.
func (p LeakPolicy) Policy() probe.Policy {
	return probe.Policy{Floor: p.Floor, Budget: p.Budget, BudgetFrac: p.BudgetFrac,
		Warmup: p.Warmup.Std(), Block: p.Block.Std(), Window: p.Window.Std(), Check: p.Check.Std(),
		CheckAfter: p.CheckAfter.Std(), Persist: p.Persist.Std(), Max: p.Max}
}

func (c *LeakConfig) policy(m probe.Metric) probe.Policy {
	if c == nil {
		return probe.Policy{}
	}
	return c.Policies[m].Policy()
}

func (c *LeakConfig) ignored(target string) bool {
	for _, t := range c.Ignore {
		if t == target {
			return true
		}
	}
	return false
}

// SlowdownConfig configures the slowdown verdict: a step is slower when the
// Theil–Sen trend of its passing runs' durations (probe's trend analysis,
// as for leaks) grew by at least MinIncrease of its baseline over the run,
// with the interval's lower bound and both halves of the run agreeing.
type SlowdownConfig struct {
	// MinIncrease is the least relative growth that is a slowdown.
	// Default: 0.2 (20 %).
	MinIncrease float64 `json:"min_increase,omitempty" yaml:"min_increase,omitempty"`
	// Warmup is excluded from the trend (cold caches). Default: probe's
	// (5m; at most 20 % of a short run).
	Warmup artifact.Duration `json:"warmup,omitempty" yaml:"warmup,omitempty"`
	// Disabled turns the slowdown verdict off; the trends are still
	// reported.
	Disabled bool `json:"disabled,omitempty" yaml:"disabled,omitempty"`
}

// DefaultMinIncrease is the default SlowdownConfig.MinIncrease.
const DefaultMinIncrease = 0.2

func (c SlowdownConfig) minIncrease() float64 {
	if c.MinIncrease <= 0 {
		return DefaultMinIncrease
	}
	return c.MinIncrease
}

// A ConfigError reports a bad value in a Config.
type ConfigError struct {
	Field string // snake_case path, e.g. "gates[2].max"
	Err   error
}

// Error returns "summary: field: problem".
func (e *ConfigError) Error() string { return "summary: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *ConfigError) Unwrap() error { return e.Err }

// Validate reports every bad field of c, joined, each a *ConfigError.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &ConfigError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	for i, g := range c.Gates {
		g.validate(fmt.Sprintf("gates[%d]", i), bad)
	}
	for m, p := range c.Leaks.Policies {
		if m.Unit() == "" && !countMetric(m) {
			bad("leaks.policies."+string(m), "unknown metric")
		}
		if p.Floor < 0 || p.Budget < 0 || p.Max < 0 {
			bad("leaks.policies."+string(m), "floor, budget and max must not be negative")
		}
	}
	if c.Slowdown.MinIncrease < 0 {
		bad("slowdown.min_increase", "%v is negative", c.Slowdown.MinIncrease)
	}
	if c.Slowdown.Warmup < 0 {
		bad("slowdown.warmup", "%v is negative", time.Duration(c.Slowdown.Warmup))
	}
	return errors.Join(errs...)
}

func countMetric(m probe.Metric) bool {
	switch m {
	case probe.FDs, probe.Threads, probe.Procs, probe.Zombies, probe.Goroutines:
		return true
	}
	return false
}
