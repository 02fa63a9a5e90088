package secrets

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/soakkit/soakkit/internal/configfile"

	"github.com/bmatcuk/doublestar/v4"
)

// Built-in filters drop candidates that are not secrets at all (they are
// not reported, not even as allowlisted): documentation examples that
// vendors publish, and values that are templates.
var (
	builtinStopwords = []string{"example"}
	builtinValues    = map[string]bool{
		// jwt.io's sample token.
		"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c": true,
		// Azurite / Azure storage emulator's well-known account key.
		"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==": true,
		// The two clear-text passwords of the packageSourceCredentials
		// example in Microsoft's nuget.config reference
		// (NuGet/docs.microsoft.com-nuget, docs/reference/nuget-config-file.md).
		"33f!!lloppa":    true,
		"hal+9ooo_da!sY": true,
	}
	builtinValueRegexes = []*regexp.Regexp{
		regexp.MustCompile(`^\$\{[^}]*\}$|^\{\{.*\}\}$|^%[A-Za-z_]+%$|^\$[A-Z_][A-Z0-9_]*$`),
	}
)

func builtinDrop(secret string) bool {
	if builtinValues[secret] {
		return true
	}
	ls := strings.ToLower(secret)
	for _, w := range builtinStopwords {
		if strings.Contains(ls, w) {
			return true
		}
	}
	for _, re := range builtinValueRegexes {
		if re.MatchString(secret) {
			return true
		}
	}
	return false
}

// TestCredentials is scan_secrets.py's built-in list of CI test
// credentials. A finding whose line contains one of them is suppressed as
// [TestCredential] (and so fails in strict mode).
var TestCredentials = []string{
	"test_api_key_for_ci_only", "test_api_secret_for_ci_only", "test_pg_password_for_ci_only",
	"dummy_api_key_12345", "fake_secret_for_testing", "ci-0.0.0", "****",
}

// inline markers suppress a finding on their line.
var inlineMarkers = [][]byte{[]byte("soakkit:allow"), []byte("gitleaks:allow")}

func hasInline(line []byte) bool {
	for _, m := range inlineMarkers {
		if bytes.Contains(line, m) {
			return true
		}
	}
	return false
}

// matches reports whether the allowlist matches a finding of rule with the
// given secret, redacted-free match text and line, at the slash path p.
func (a *Allowlist) matches(rule, p, secret, match, line, commit string) bool {
	if len(a.TargetRules) > 0 && !contains(a.TargetRules, rule) {
		return false
	}
	and := strings.EqualFold(a.Condition, "AND")
	var results []bool
	if len(a.Commits) > 0 {
		ok := false
		for _, c := range a.Commits {
			if commit != "" && strings.EqualFold(c, commit) {
				ok = true
			}
		}
		results = append(results, ok)
	}
	if len(a.Paths) > 0 {
		ok := false
		for _, re := range a.Paths {
			if re.MatchString(p) {
				ok = true
				break
			}
		}
		results = append(results, ok)
	}
	if len(a.Globs) > 0 {
		results = append(results, globMatch(a.Globs, p))
	}
	if len(a.Regexes) > 0 {
		target := secret
		switch a.RegexTarget {
		case "match":
			target = match
		case "line":
			target = line
		}
		ok := false
		for _, re := range a.Regexes {
			if target != "" && re.MatchString(target) { // an empty target (a path-only finding) matches no regex, as in gitleaks
				ok = true
				break
			}
		}
		results = append(results, ok)
	}
	if len(a.Values) > 0 {
		results = append(results, contains(a.Values, secret))
	}
	if len(a.Stopwords) > 0 {
		ls := strings.ToLower(secret)
		ok := false
		for _, w := range a.Stopwords {
			if w != "" && strings.Contains(ls, strings.ToLower(w)) {
				ok = true
				break
			}
		}
		results = append(results, ok)
	}
	if len(results) == 0 {
		return false
	}
	for _, r := range results {
		if r && !and {
			return true
		}
		if !r && and {
			return false
		}
	}
	return and
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// globMatch matches a slash path against doublestar globs. A glob without
// a slash also matches the base name, and "dir/**" matches dir itself.
func globMatch(globs []string, p string) bool {
	base := path.Base(p)
	for _, g := range globs {
		g = strings.TrimPrefix(g, "./")
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
		if !strings.Contains(g, "/") {
			if ok, _ := doublestar.Match(g, base); ok {
				return true
			}
		}
	}
	return false
}

// ParseOriginalAllowlist reads the allowlist-file format of
// scan_secrets.py: one entry per line, blank lines and lines starting with
// '#' ignored. An entry is a path pattern if it contains '/', ends with
// "/**", starts with "**/" or ends with .py, .json or .yaml; it is matched
// with fnmatch semantics ('*' crosses '/') against the repo-relative path
// and against the base name. Any other entry is a content pattern, matched
// as a substring of the finding's line, and also as a regular expression
// when it starts with '^' or ends with '$'.
//
// Unlike scan_secrets.py, path patterns see repo-relative paths (so tests/**
// works) and a bad regular expression is an error, not silently skipped.
// The result holds at most two allowlists: one for paths, one for content.
func ParseOriginalAllowlist(name string, r io.Reader) ([]Allowlist, error) {
	var paths, content []*regexp.Regexp
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		e := strings.TrimSpace(sc.Text())
		if e == "" || strings.HasPrefix(e, "#") {
			continue
		}
		if !utf8.ValidString(e) {
			return nil, &ConfigError{File: name, Line: n, Field: "allowlist entry", Err: errors.New("not valid UTF-8")}
		}
		if isOriginalPathEntry(e) {
			re, err := fnmatchRegexp(e)
			if err != nil {
				return nil, &ConfigError{File: name, Line: n, Field: "allowlist path entry", Err: err}
			}
			paths = append(paths, re)
			continue
		}
		content = append(content, regexp.MustCompile(regexp.QuoteMeta(e)))
		if strings.HasPrefix(e, "^") || strings.HasSuffix(e, "$") {
			re, err := regexp.Compile(e)
			if err != nil {
				return nil, &ConfigError{File: name, Line: n, Field: "allowlist entry", Err: err}
			}
			content = append(content, re)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("secrets: read allowlist %s: %w", name, err)
	}
	var out []Allowlist
	if len(paths) > 0 {
		out = append(out, Allowlist{Description: name + " (paths)", Paths: paths})
	}
	if len(content) > 0 {
		out = append(out, Allowlist{Description: name + " (content)", Regexes: content, RegexTarget: "line"})
	}
	return out, nil
}

func isOriginalPathEntry(e string) bool {
	return strings.Contains(e, "/") || strings.HasSuffix(e, "/**") || strings.HasPrefix(e, "**/") ||
		strings.HasSuffix(e, ".py") || strings.HasSuffix(e, ".json") || strings.HasSuffix(e, ".yaml")
}

// fnmatchRegexp translates a Python fnmatch pattern into a regular
// expression that matches the whole path or its base name.
func fnmatchRegexp(pat string) (*regexp.Regexp, error) {
	var sb strings.Builder
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch c {
		case '*':
			sb.WriteString(".*")
		case '?':
			sb.WriteString(".")
		case '[':
			j := strings.IndexByte(pat[i+1:], ']')
			if j < 0 {
				sb.WriteString(`\[`)
				continue
			}
			cls := pat[i+1 : i+1+j]
			if strings.HasPrefix(cls, "!") {
				cls = "^" + cls[1:]
			}
			sb.WriteString("[" + strings.ReplaceAll(cls, `\`, `\\`) + "]")
			i += j + 1
		default:
			sb.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	body := sb.String()
	return regexp.Compile(`(?s)^(?:` + body + `)$|(?:^|/)(?:` + body + `)$`)
}

// A Baseline is a set of accepted fingerprints.
type Baseline map[string]bool

// ReadBaseline reads a baseline: either a JSON report written by
// [Report.Write] with [FormatJSON] (its findings' fingerprints are taken),
// or text with one fingerprint per line ('#' starts a comment).
func ReadBaseline(name string) (Baseline, error) {
	data, err := configfile.Read(name, configfile.MaxBaseline)
	if err != nil {
		return nil, fmt.Errorf("secrets: baseline: %w", err)
	}
	return ParseBaseline(name, data)
}

// ParseBaseline parses baseline data; see [ReadBaseline].
func ParseBaseline(name string, data []byte) (Baseline, error) {
	b := Baseline{}
	trim := bytes.TrimSpace(data)
	if len(trim) > 0 && trim[0] == '{' {
		var rep struct {
			Findings []struct {
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			ce := &ConfigError{File: name, Field: "baseline", Err: err}
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			switch {
			case errors.As(err, &se):
				ce.Line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte{'\n'})
			case errors.As(err, &te):
				ce.Line = 1 + bytes.Count(data[:min(int(te.Offset), len(data))], []byte{'\n'})
			}
			return nil, ce
		}
		for _, f := range rep.Findings {
			if f.Fingerprint != "" {
				b[f.Fingerprint] = true
			}
		}
		return b, nil
	}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = strings.TrimSpace(line[:k])
		}
		if line == "" {
			continue
		}
		if len(line) != 32 || !isHex(line) {
			// The line is not echoed: it may be a secret pasted by mistake.
			return nil, &ConfigError{File: name, Line: i + 1, Field: "baseline", Err: errNotFingerprint}
		}
		b[line] = true
	}
	return b, nil
}

var errNotFingerprint = errors.New("not a fingerprint (32 hex digits)")

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !clsHex[s[i]] {
			return false
		}
	}
	return true
}

// A ConfigError reports a bad value in a configuration, allowlist or
// baseline file.
type ConfigError struct {
	File  string
	Line  int // 0 when unknown
	Field string
	Err   error
}

// Error returns "secrets: file:line: field: err".
func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("secrets: %s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
	}
	return fmt.Sprintf("secrets: %s: %s: %v", e.File, e.Field, e.Err)
}

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

func validGlob(g string) bool { return doublestar.ValidatePattern(g) }
