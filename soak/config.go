package soak

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// Defaults for the zero fields of [Config] and [Service].
const (
	DefaultIterationTimeout = 20 * time.Minute
	DefaultSampleInterval   = 5 * time.Second
	DefaultStopGrace        = 10 * time.Second
	DefaultKeepLogs         = 5
	DefaultMaxBytes         = 1 << 30
	DefaultArtifactsDir     = "artifacts"
	DefaultStartTimeout     = time.Minute
	DefaultHeartbeat        = 5 * time.Second
)

// A Config is what the soak section of a config file holds. The zero value
// of each optional field selects its default; Duration or Count (or both) must
// be set. Field names are snake_case in JSON and YAML.
//
// Durations follow one rule: what a config file can hold (a Config, a
// [Service]) is an [artifact.Duration], so it decodes and encodes as text
// ("90m"); what only Go code sets (options such as [WithHeartbeat], the
// Default* constants, [Iteration].Timeout) is a [time.Duration]. Convert
// with artifact.Duration(d) and [artifact.Duration.Std].
type Config struct {
	// Duration is how long the soak runs; iterations, the pauses between
	// them and the final teardown all fit inside it. Zero: no time limit.
	Duration artifact.Duration `json:"duration,omitempty" yaml:"duration,omitempty"`
	// Count is the number of iterations to run, across resumes: every
	// recorded iteration counts, one interrupted by the soak process's
	// death included. Zero: no count limit.
	Count int `json:"count,omitempty" yaml:"count,omitempty"`
	// IterationTimeout bounds one iteration; step timeouts nest inside it.
	// Default: 20m.
	IterationTimeout artifact.Duration `json:"iteration_timeout,omitempty" yaml:"iteration_timeout,omitempty"`
	// MinIteration is the least time left before the deadline for an
	// iteration to start. Whatever it is, an iteration does not start when
	// less is left than the p95 of the durations of the last iterations
	// that ran to their end; MinIteration also covers the first one, which
	// has nothing to go by. Default: none.
	MinIteration artifact.Duration `json:"min_iteration,omitempty" yaml:"min_iteration,omitempty"`
	// KeepGoing continues after a failed iteration (default: stop at the
	// first failure). MaxFailures then stops the soak at that many failed
	// iterations (default 0: no limit).
	KeepGoing   bool `json:"keep_going,omitempty" yaml:"keep_going,omitempty"`
	MaxFailures int  `json:"max_failures,omitempty" yaml:"max_failures,omitempty"`
	// SampleInterval is the resource sampling period. Default: 5s.
	SampleInterval artifact.Duration `json:"sample_interval,omitempty" yaml:"sample_interval,omitempty"`
	// StopGrace is how long a service is given to end after SIGTERM
	// before it is killed. The deadline is planned with a smaller reserve
	// (at most 1s, less if StopGrace is): the last iteration's budget ends
	// that much before it. A step that ignores SIGTERM when the deadline
	// cuts its iteration short, or a service that ignores it when stopped,
	// can make the soak end up to its grace late (step.Command.Grace, 5s
	// by default; StopGrace for the service). Default: 10s. Windows has no
	// SIGTERM for console programs: there the service's job is terminated
	// at once, and StopGrace only bounds the wait for it to be gone.
	StopGrace artifact.Duration `json:"stop_grace,omitempty" yaml:"stop_grace,omitempty"`
	// ArtifactsDir is the root of the artifacts tree. Default: "artifacts".
	ArtifactsDir string `json:"artifacts_dir,omitempty" yaml:"artifacts_dir,omitempty"`
	// KeepLogs is how many passing iterations' logs are kept per step.
	// Failing iterations' logs are kept until the byte cap needs the room.
	// Default: 5.
	KeepLogs int `json:"keep_logs,omitempty" yaml:"keep_logs,omitempty"`
	// MaxBytes caps the total size of the files under ArtifactsDir, the
	// summary and report written at the end included. The cap is never
	// exceeded: older passing iterations are compacted into range records,
	// samples thinned, the oldest passing iterations' logs go first, then
	// the oldest failing ones, and log output is cut when nothing is left
	// to remove (see the package documentation). Default: 1 GiB.
	MaxBytes ByteSize `json:"max_bytes,omitempty" yaml:"max_bytes,omitempty"`
	// Service is the long-running software under test, if any.
	Service *Service `json:"service,omitempty" yaml:"service,omitempty"`
	// Runner names the machine, job or pod the soak runs on, so that
	// `soakkit merge` can tell the artifacts of several runners apart. It
	// is recorded in state.json with the OS and architecture; a resume
	// keeps the recorded one (an empty Runner then means "the same").
	// Default: taken from the environment by [DetectRunner].
	Runner string `json:"runner,omitempty" yaml:"runner,omitempty"`
	// Shard is the part of a suite split across runners that this soak
	// runs, as the caller split it (soakkit gives it to its go_test steps,
	// see [step.GoTest].Shard); the soak records it with the runner and
	// splits nothing itself. Default: the whole suite.
	Shard step.Shard `json:"shard,omitzero" yaml:"shard,omitempty"`
}

// A Service is a long-running command started once before the first
// iteration and ended after the last. It runs in its own process tree, which
// is ended as a whole.
type Service struct {
	Name string   `json:"name,omitempty" yaml:"name,omitempty"` // sample label; default "service"
	Argv []string `json:"argv" yaml:"argv"`                     // program and arguments; never passed to a shell
	Dir  string   `json:"dir,omitempty" yaml:"dir,omitempty"`   // working directory (default: current)
	Env  []string `json:"env,omitempty" yaml:"env,omitempty"`   // KEY=VALUE added to the inherited environment
	// Ready says when the service is ready; every check set must pass. With
	// none set, the service is ready once started.
	Ready Ready `json:"ready,omitzero" yaml:"ready,omitempty"`
	// StartTimeout bounds the start and the readiness checks. Default: 1m.
	StartTimeout artifact.Duration `json:"start_timeout,omitempty" yaml:"start_timeout,omitempty"`
}

// Ready holds a [Service]'s readiness checks.
type Ready struct {
	TCP     string `json:"tcp,omitempty" yaml:"tcp,omitempty"`           // host:port that accepts a connection
	HTTP    string `json:"http,omitempty" yaml:"http,omitempty"`         // URL that answers GET with a 2xx status
	LogLine string `json:"log_line,omitempty" yaml:"log_line,omitempty"` // regexp matching a line of the service's output
}

// String describes the checks, e.g. "tcp 127.0.0.1:8080 and http
// http://127.0.0.1:8080/healthz"; "no readiness check" when there is none.
func (r Ready) String() string {
	var parts []string
	if r.TCP != "" {
		parts = append(parts, "tcp "+r.TCP)
	}
	if r.HTTP != "" {
		parts = append(parts, "http "+r.HTTP)
	}
	if r.LogLine != "" {
		parts = append(parts, fmt.Sprintf("an output line matching %q", r.LogLine))
	}
	if len(parts) == 0 {
		return "no readiness check"
	}
	return strings.Join(parts, " and ")
}

// A ConfigError reports a bad value in a [Config].
type ConfigError struct {
	Field string // snake_case path, e.g. "service.ready.tcp"
	Err   error
}

// Error returns "soak: config: <field>: <err>".
func (e *ConfigError) Error() string { return fmt.Sprintf("soak: config: %s: %v", e.Field, e.Err) }

// Unwrap returns e.Err.
func (e *ConfigError) Unwrap() error { return e.Err }

// Validate reports every bad field of c, joined, each a *[ConfigError].
// planned says whether the soak has a plan of steps: without one, a Service
// and a Duration are required.
func (c *Config) Validate(planned bool) error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &ConfigError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	if c.Duration < 0 {
		bad("duration", "%w: negative", artifact.ErrBadDuration)
	}
	if c.Count < 0 {
		bad("count", "negative")
	}
	if planned && c.Duration == 0 && c.Count == 0 {
		bad("duration", "set duration, count or both")
	}
	if !planned {
		if c.Service == nil {
			bad("service", "a soak without steps needs a service to watch")
		}
		if c.Duration == 0 {
			bad("duration", "a soak without steps needs a duration")
		}
		if c.Count != 0 {
			bad("count", "a soak without steps has no iterations to count")
		}
	}
	for _, d := range []struct {
		name string
		v    artifact.Duration
	}{{"iteration_timeout", c.IterationTimeout}, {"sample_interval", c.SampleInterval}, {"stop_grace", c.StopGrace}, {"min_iteration", c.MinIteration}} {
		if d.v < 0 {
			bad(d.name, "%w: negative", artifact.ErrBadDuration)
		}
	}
	if c.SampleInterval != 0 && c.SampleInterval.Std() < 10*time.Millisecond {
		bad("sample_interval", "%v is below the 10ms minimum", c.SampleInterval)
	}
	if c.MaxFailures < 0 {
		bad("max_failures", "negative")
	}
	if c.MaxFailures > 0 && !c.KeepGoing {
		bad("max_failures", "only meaningful with keep_going")
	}
	if c.KeepLogs < 0 {
		bad("keep_logs", "negative")
	}
	if c.MaxBytes < 0 {
		bad("max_bytes", "%w: negative", ErrBadByteSize)
	}
	if c.MaxBytes != 0 && c.MaxBytes < minMaxBytes {
		bad("max_bytes", "%d is below the %d-byte minimum", c.MaxBytes, minMaxBytes)
	}
	if err := checkRunnerName(c.Runner); err != nil {
		bad("runner", "%v", err)
	}
	if c.Shard.Total < 0 || c.Shard.Index < 0 || (c.Shard.Total > 0 && c.Shard.Index >= c.Shard.Total) {
		bad("shard", "%w: index %d of %d", step.ErrBadShard, c.Shard.Index, c.Shard.Total)
	}
	if s := c.Service; s != nil {
		if len(s.Argv) == 0 || s.Argv[0] == "" {
			bad("service.argv", "empty")
		}
		if s.StartTimeout < 0 {
			bad("service.start_timeout", "%w: negative", artifact.ErrBadDuration)
		}
		if s.Ready.TCP != "" {
			if _, _, err := net.SplitHostPort(s.Ready.TCP); err != nil {
				bad("service.ready.tcp", "%v", err)
			}
		}
		if s.Ready.HTTP != "" {
			if u, err := url.Parse(s.Ready.HTTP); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("service.ready.http", "%q is not an http(s) URL", s.Ready.HTTP)
			}
		}
		if s.Ready.LogLine != "" {
			if _, err := regexp.Compile(s.Ready.LogLine); err != nil {
				bad("service.ready.log_line", "%v", err)
			}
		}
		for i, kv := range s.Env {
			if len(kv) == 0 || kv[0] == '=' || !containsByte(kv, '=') {
				bad(fmt.Sprintf("service.env[%d]", i), "want KEY=VALUE")
			}
		}
	}
	return errors.Join(errs...)
}

// minMaxBytes is the smallest byte cap accepted: room for the records of a
// short soak.
const minMaxBytes = 1 << 20

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

// withDefaults returns a copy of c with defaults filled in.
func (c Config) withDefaults() Config {
	if c.IterationTimeout == 0 {
		c.IterationTimeout = artifact.Duration(DefaultIterationTimeout)
	}
	if c.SampleInterval == 0 {
		c.SampleInterval = artifact.Duration(DefaultSampleInterval)
	}
	if c.StopGrace == 0 {
		c.StopGrace = artifact.Duration(DefaultStopGrace)
	}
	if c.ArtifactsDir == "" {
		c.ArtifactsDir = DefaultArtifactsDir
	}
	if c.KeepLogs == 0 {
		c.KeepLogs = DefaultKeepLogs
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.Service != nil {
		s := *c.Service
		if s.Name == "" {
			s.Name = "service"
		}
		if s.StartTimeout == 0 {
			s.StartTimeout = artifact.Duration(DefaultStartTimeout)
		}
		c.Service = &s
	}
	return c
}

// Diff names every setting in which d differs from c, as
// "field: <c's value> in the checkpoint, <d's value> given" with the
// field's snake_case path (for example "service.argv"); nil if they are
// the same. [Soak.Resume] uses it to refuse a resume with other settings.
func (c Config) Diff(d Config) []string {
	a, b := flatConfig(c), flatConfig(d)
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		if a[k] != b[k] {
			out = append(out, fmt.Sprintf("%s: %s in the checkpoint, %s given", k, orUnset(a[k]), orUnset(b[k])))
		}
	}
	return out
}

func orUnset(v string) string {
	if v == "" {
		return "unset"
	}
	return v
}

// flatConfig returns c's JSON fields by dotted path, values as JSON text.
func flatConfig(c Config) map[string]string {
	b, _ := json.Marshal(c) // plain data: always marshals
	var m map[string]any
	json.Unmarshal(b, &m)
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if obj, ok := v.(map[string]any); ok {
			for k, x := range obj {
				walk(strings.TrimPrefix(prefix+"."+k, "."), x)
			}
			return
		}
		j, _ := json.Marshal(v)
		out[prefix] = string(j)
	}
	walk("", m)
	return out
}
