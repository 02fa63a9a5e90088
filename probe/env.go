package probe

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/mem"
	"github.com/soakkit/soakkit/internal/canonjson"
)

// An Env is a snapshot of the environment a soak ran in. Its JSON is the
// env.json artifact. Environment variable values are redacted; names are
// always kept. A value masked under one name is masked under every name
// that holds it.
type Env struct {
	Time time.Time `json:"time"`
	// Runner names the machine, job or pod, when the caller knows it (a
	// soak records its runner here); Snapshot leaves it empty.
	Runner    string            `json:"runner,omitempty"`
	Dir       string            `json:"dir"`
	GoVersion string            `json:"go_version"` // of the running binary
	GOOS      string            `json:"goos"`
	GOARCH    string            `json:"goarch"`
	NumCPU    int               `json:"num_cpu"`
	MemTotal  uint64            `json:"mem_total,omitempty"`
	MemAvail  uint64            `json:"mem_avail,omitempty"`
	DiskPath  string            `json:"disk_path,omitempty"`
	DiskFree  uint64            `json:"disk_free,omitempty"`
	DiskTotal uint64            `json:"disk_total,omitempty"`
	Module    string            `json:"module,omitempty"`  // main module path, when Dir is in a module
	Modules   []string          `json:"modules,omitempty"` // `go list -m all`, one "path version" per entry
	GitCommit string            `json:"git_commit,omitempty"`
	GitDirty  *bool             `json:"git_dirty,omitempty"`
	Vars      map[string]string `json:"env"`
	Errors    []string          `json:"errors,omitempty"` // what could not be collected, and why
}

// EnvOptions configures [Snapshot]. A nil *EnvOptions means defaults.
type EnvOptions struct {
	// Dir is the working directory to describe (default: the current one).
	Dir string
	// DiskPath selects the volume whose free space is recorded (default:
	// Dir), typically the artifacts directory.
	DiskPath string
	// Redact maps an environment value to what is recorded; it sees the
	// value only (pass the Redact method of a rules-only secrets.Redactor). A variable whose name looks
	// secret-bearing is redacted whatever the hook returns. Default:
	// [RedactEnvDefault] is applied to every variable instead, which redacts
	// whenever the name or the value looks secret. Names are always kept.
	Redact func(string) string
	// Timeout bounds each external command (go list, git). Default: 20s.
	Timeout time.Duration
	// Environ supplies the variables, as os.Environ returns them (default:
	// os.Environ()).
	Environ []string
}

// Snapshot collects the environment. It never fails: what cannot be
// collected (no go tool, not a git repository is not an error) is recorded
// in Env.Errors.
func Snapshot(ctx context.Context, opts *EnvOptions) *Env {
	var o EnvOptions
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	e := &Env{
		Time:      time.Now().UTC(),
		GoVersion: runtime.Version(),
		GOOS:      runtime.GOOS,
		GOARCH:    runtime.GOARCH,
		NumCPU:    runtime.NumCPU(),
		Vars:      map[string]string{},
	}
	dir := o.Dir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			e.Errors = append(e.Errors, "working directory: "+err.Error())
		}
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	e.Dir = dir
	if vm, err := mem.VirtualMemoryWithContext(ctx); err == nil {
		e.MemTotal, e.MemAvail = vm.Total, vm.Available
	} else {
		e.Errors = append(e.Errors, "memory: "+err.Error())
	}
	dp := o.DiskPath
	if dp == "" {
		dp = dir
	}
	if u, err := disk.UsageWithContext(ctx, dp); err == nil {
		e.DiskPath, e.DiskFree, e.DiskTotal = dp, u.Free, u.Total
	} else {
		e.Errors = append(e.Errors, "disk: "+err.Error())
	}
	run := func(name string, args ...string) ([]byte, error) {
		c, cancel := context.WithTimeout(ctx, o.Timeout)
		defer cancel()
		cmd := exec.CommandContext(c, name, args...)
		cmd.Dir = dir
		cmd.WaitDelay = time.Second
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				first, _, _ := strings.Cut(msg, "\n")
				return out, &cmdError{err: err, msg: first}
			}
		}
		return out, err
	}
	if findUp(dir, "go.mod") {
		if out, err := run("go", "list", "-m", "all"); err == nil {
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if f := strings.Fields(lines[0]); len(f) > 0 {
				e.Module = f[0]
				e.Modules = lines[1:]
			} else {
				e.Errors = append(e.Errors, "go list -m all: no output")
			}
		} else {
			e.Errors = append(e.Errors, "go list -m all: "+err.Error())
		}
	}
	if findUp(dir, ".git") {
		if out, err := run("git", "rev-parse", "HEAD"); err == nil {
			e.GitCommit = strings.TrimSpace(string(out))
			if st, err := run("git", "status", "--porcelain", "--untracked-files=no"); err == nil {
				dirty := len(bytes.TrimSpace(st)) > 0
				e.GitDirty = &dirty
			} else {
				e.Errors = append(e.Errors, "git status: "+err.Error())
			}
		} else {
			e.Errors = append(e.Errors, "git rev-parse HEAD: "+err.Error())
		}
	}
	environ := o.Environ
	if environ == nil {
		environ = os.Environ()
	}
	raw := map[string]string{}
	hidden := map[string]bool{} // values masked whole under some name
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			continue
		}
		raw[k] = v
		if o.Redact != nil {
			if v != "" && secretNamed(k) {
				e.Vars[k] = Redacted // the name rule applies whatever the hook says
			} else {
				e.Vars[k] = o.Redact(v)
			}
		} else {
			e.Vars[k] = RedactEnvDefault(k, v)
		}
		if e.Vars[k] == Redacted && propagates(v) {
			hidden[v] = true
		}
	}
	// A value hidden under one name is hidden under every name: the same
	// certificate path in SSL_CERT_FILE and CURL_CA_BUNDLE, the same token
	// in GITHUB_TOKEN and GH_ENTERPRISE_TOKEN_2.
	for k, v := range raw {
		if hidden[v] {
			e.Vars[k] = Redacted
		}
	}
	slices.Sort(e.Errors)
	return e
}

// propagates reports whether a value masked under one name is distinctive
// enough to be masked under every other name too: not empty, not short,
// not a plain number (a flag such as "1" or "true" says nothing secret).
func propagates(v string) bool {
	return len(v) >= 6 && strings.Trim(v, "0123456789") != "" && v != "false"
}

type cmdError struct {
	err error
	msg string
}

func (e *cmdError) Error() string { return e.err.Error() + ": " + e.msg }
func (e *cmdError) Unwrap() error { return e.err }

// WriteFile writes the snapshot to path as canonical JSON, atomically.
func (e *Env) WriteFile(path string) error { return canonjson.WriteFile(path, e) }

func findUp(dir, name string) bool {
	for {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

// Redacted is what a redacted value is replaced with: the same mask as the
// secrets package's.
const Redacted = "****"

var (
	secretName = regexp.MustCompile(`(?i)(secret|token|passw|pwd|passphrase|api[_-]?key|access[_-]?key|private|credential|auth|cookie|session|signature|bearer|webhook|dsn|conn(ection)?[_-]?str|_key$|^key$|salt|cert|license)`)
	secretVal  = regexp.MustCompile(`(?i)(-----BEGIN|\b(ghp|gho|ghu|ghs|ghr|github_pat|glpat|xox[abposr]|sk|rk|pk|AKIA|ASIA|AIza|ya29|hf|npm|pypi|dop_v1|SG)[_.-]|eyJ[A-Za-z0-9_-]{8,}\.|://[^/\s:@]+:[^/\s@]+@|(password|passwd|pwd|token|secret|api_?key)=)`)
)

// shellDir names the shell's directory variables, whose "PWD" is a path,
// not a password.
var shellDir = map[string]bool{"PWD": true, "OLDPWD": true}

// secretNamed reports whether a variable's name says it holds a secret.
func secretNamed(name string) bool { return secretName.MatchString(name) && !shellDir[name] }

// RedactEnvDefault is the conservative redaction used when no hook is
// given: the value of a variable whose name looks secret-bearing (TOKEN,
// PASSWORD, API_KEY, …) or whose value looks like a credential (a known
// token prefix, a private key, a JWT, a URL with a password, a long
// high-entropy string) is replaced by [Redacted]. Other values are kept.
func RedactEnvDefault(name, value string) string {
	if value == "" {
		return ""
	}
	if secretNamed(name) || secretVal.MatchString(value) || highEntropy(value) {
		return Redacted
	}
	return value
}

// highEntropy reports a token-like word: at least 20 characters of
// letters, digits and +/=_- with mixed classes and high Shannon entropy.
func highEntropy(v string) bool {
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ':' || r == ',' || r == ';' || r == '/' }) {
		if len(w) < 20 {
			continue
		}
		var lower, upper, digit bool
		ok := true
		freq := map[rune]int{}
		for _, r := range w {
			switch {
			case r >= 'a' && r <= 'z':
				lower = true
			case r >= 'A' && r <= 'Z':
				upper = true
			case r >= '0' && r <= '9':
				digit = true
			case r == '+' || r == '=' || r == '_' || r == '-':
			default:
				ok = false
			}
			freq[r]++
		}
		classes := 0
		for _, b := range []bool{lower, upper, digit} {
			if b {
				classes++
			}
		}
		if !ok || classes < 2 || !digit {
			continue
		}
		var h float64
		for _, c := range freq {
			p := float64(c) / float64(len(w))
			h -= p * math.Log2(p)
		}
		if h >= 3.5 {
			return true
		}
	}
	return false
}
