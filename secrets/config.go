package secrets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/soakkit/soakkit/internal/configfile"

	"github.com/BurntSushi/toml"
	"golang.org/x/mod/semver"
)

// A Config is a rule set and global allowlists loaded from a file.
type Config struct {
	Title      string
	Rules      []Rule
	Allowlists []Allowlist
	// MinVersion is the newest gitleaks release the file (or a file it
	// extends) says it needs, as a semantic version with a leading "v";
	// empty when none says. See [Config.Newer].
	MinVersion string
}

// GitleaksVersion is the gitleaks release whose configuration semantics
// [LoadConfig] implements.
const GitleaksVersion = "v8.30.1"

// Newer reports whether the config asks for a gitleaks release later than
// [GitleaksVersion]: its rules may rely on behaviour soakkit does not
// have, and a caller should say so. (Fields unknown to soakkit are an
// error already.)
func (c *Config) Newer() bool {
	return c.MinVersion != "" && semver.Compare(c.MinVersion, GitleaksVersion) > 0
}

// Apply sets the Scanner's rules (nil Rules: the built-in ones) and
// appends the config's allowlists.
func (c *Config) Apply(s *Scanner) {
	s.Rules = c.Rules
	s.Allowlists = append(s.Allowlists, c.Allowlists...)
}

// LoadConfig reads a TOML configuration in gitleaks' format, so a gitleaks
// user's .gitleaks.toml works unchanged:
//
//	title = "…"
//	[extend]
//	useDefault = true            # start from the built-in rules
//	path = "base.toml"           # or from another file (depth ≤ 2)
//	disabledRules = ["generic-secret"]
//	[[rules]]
//	id = "…"  regex = '''…'''  secretGroup = 1  entropy = 3.5
//	keywords = ["…"]  path = '''…'''  tags = ["…"]
//	skipReport = true            # only serves composite rules
//	[[rules.required]]           # composite: report only near a finding of
//	id = "…"  withinLines = 5     # each required rule
//	withinColumns = 40
//	[[rules.allowlists]]         # also the older [rules.allowlist]
//	condition = "OR"  paths = ['''…''']  regexes = ['''…''']
//	regexTarget = "secret"  stopwords = ["…"]  commits = ["…"]
//	[[allowlists]]               # global; also the older [allowlist]
//	targetRules = ["…"]  …
//
// The semantics are gitleaks' (v8.30.1):
//
//   - A rule's regex runs where one of its keywords occurs; one without
//     keywords runs everywhere. A regex that can match a newline matches
//     across lines, within a window of as many lines as it can span (see
//     [Rule]). The secret is the secretGroup (else the first non-empty
//     group, else the whole match), and it is dropped when its Shannon
//     entropy is at most the rule's entropy. A rule with only a path
//     reports the files it matches; with both, the path limits the regex.
//
//   - A finding is allowlisted when any allowlist of its rule, or any
//     global one ([[allowlists]], or the older [allowlist]) matches it. An
//     allowlist matches when any of its checks does (condition OR, the
//     default) or all of them do (AND): commits; paths (regexes on the
//     slash path relative to the scan root); regexes on the secret, the
//     whole match or the lines of the match (regexTarget secret, match or
//     line); stopwords, case-insensitive substrings of the secret. A global
//     allowlist with targetRules applies to those rules only.
//
//   - [extend] useDefault starts from soakkit's built-in rules, path from
//     another file. disabledRules drops rules of that base. A rule of the
//     base's id extends it: the fields it sets override, its keywords, tags
//     and allowlists are appended. A gitleaks rule id the built-in rules
//     cover under another name (generic-api-key, aws-access-token, ...)
//     stands for those rules in a rule without a regex and in targetRules.
//
//   - A finding of a rule whose id contains "generic" is dropped when a
//     finding of a rule whose id does not, on the same line, has a secret
//     containing its secret and is not allowlisted (an allowlisted
//     specific finding leaves the generic one standing).
//
//   - A composite rule lists [[rules.required]] tables (id, and
//     optionally withinLines and withinColumns): its finding is reported
//     only when each required rule has a finding near it (see
//     [Required]). A rule with skipReport = true only serves composite
//     rules; its own findings are not reported.
//
// Errors name the file, line and field: unknown keys, a bad regex, a
// secretGroup the regex does not have, an allowlist with no check, a
// targetRules id with no rule, a rule id defined twice in one file, both
// forms of an allowlist table in one place, and a [[rules.required]]
// without an id, naming no rule or the rule itself, or with a negative
// distance.
//
// minVersion, the gitleaks release a file needs, must be a version
// ("8.25.0" or "v8.25.0"); see [Config.Newer].
//
// soakkit adds two allowlist fields: globs (doublestar path globs) and
// values (exact secrets). A file with neither [extend] nor [[rules]] keeps
// the built-in rules.
//
// A file whose name does not end in ".toml" is read in the
// scan_secrets.py allowlist format instead (see [ParseOriginalAllowlist]),
// with the built-in rules; so --config can name either kind of file.
func LoadConfig(path string) (*Config, error) {
	if !strings.EqualFold(filepath.Ext(path), ".toml") {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("secrets: config: %w", err)
		}
		defer f.Close()
		als, err := ParseOriginalAllowlist(path, f)
		if err != nil {
			return nil, err
		}
		return &Config{Allowlists: als}, nil
	}
	return loadConfig(path, 0)
}

// ParseConfig parses configuration data; name is used in errors and to
// resolve [extend] path relative to it.
func ParseConfig(name string, data []byte) (*Config, error) {
	return parseConfig(name, data, 0)
}

func loadConfig(path string, depth int) (*Config, error) {
	data, err := configfile.Read(path, configfile.MaxConfig)
	if err != nil {
		return nil, fmt.Errorf("secrets: config: %w", err)
	}
	return parseConfig(path, data, depth)
}

type tomlAllow struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	Globs       []string `toml:"globs"`
	Regexes     []string `toml:"regexes"`
	RegexTarget string   `toml:"regexTarget"`
	Values      []string `toml:"values"`
	Stopwords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`
}

type tomlRule struct {
	ID          string         `toml:"id"`
	Description string         `toml:"description"`
	Regex       string         `toml:"regex"`
	SecretGroup int            `toml:"secretGroup"`
	Entropy     float64        `toml:"entropy"`
	Path        string         `toml:"path"`
	Keywords    []string       `toml:"keywords"`
	Tags        []string       `toml:"tags"`
	SkipReport  bool           `toml:"skipReport"`
	Allowlist   *tomlAllow     `toml:"allowlist"`
	Allowlists  []tomlAllow    `toml:"allowlists"`
	Required    []tomlRequired `toml:"required"`
}

type tomlRequired struct {
	ID            string `toml:"id"`
	WithinLines   *int   `toml:"withinLines"`
	WithinColumns *int   `toml:"withinColumns"`
}

type tomlConfig struct {
	Title      string `toml:"title"`
	MinVersion string `toml:"minVersion"`
	Extend     struct {
		UseDefault    bool     `toml:"useDefault"`
		Path          string   `toml:"path"`
		DisabledRules []string `toml:"disabledRules"`
	} `toml:"extend"`
	Rules      []tomlRule  `toml:"rules"`
	Allowlist  *tomlAllow  `toml:"allowlist"`
	Allowlists []tomlAllow `toml:"allowlists"`
}

// tomlTypeErr parses the text of toml's errors for a value of the wrong
// type.
var tomlTypeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]+)"\): (.*)$`)

func parseConfig(name string, data []byte, depth int) (_ *Config, err error) {
	defer func() {
		if ce := (*ConfigError)(nil); errors.As(err, &ce) && ce.File == name && ce.Line == 0 {
			ce.Line = tomlLine(data, ce.Field)
		}
	}()
	var tc tomlConfig
	md, err := toml.Decode(string(data), &tc)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ConfigError{File: name, Line: pe.Position.Line, Field: "toml", Err: errors.New(pe.Message)}
		}
		// A value of the wrong type: toml reports it as text only,
		// `toml: line 9 (last key "rules.required.withinLines"): …`.
		if m := tomlTypeErr.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, &ConfigError{File: name, Line: line, Field: m[2], Err: errors.New(m[3])}
		}
		return nil, &ConfigError{File: name, Field: "toml", Err: err}
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, &ConfigError{File: name, Field: und[0].String(), Err: errors.New("unknown key")}
	}
	cfg := &Config{Title: tc.Title}
	if v := tc.MinVersion; v != "" {
		if !strings.HasPrefix(v, "v") {
			v = "v" + v
		}
		if !semver.IsValid(v) {
			return nil, &ConfigError{File: name, Field: "minVersion", Err: fmt.Errorf("%q is not a version such as v8.25.0", tc.MinVersion)}
		}
		cfg.MinVersion = semver.Canonical(v)
	}
	if tc.Extend.Path != "" && tc.Extend.UseDefault {
		return nil, &ConfigError{File: name, Field: "extend", Err: errors.New("path and useDefault are both set")}
	}
	switch {
	case tc.Extend.Path != "":
		if depth >= 2 {
			return nil, &ConfigError{File: name, Field: "extend.path", Err: errors.New("extends nested deeper than 2")}
		}
		p := tc.Extend.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(name), p)
		}
		base, err := loadConfig(p, depth+1)
		if err != nil {
			if ce := (*ConfigError)(nil); errors.As(err, &ce) {
				return nil, err // located in the extended file
			}
			return nil, &ConfigError{File: name, Field: "extend.path", Err: err}
		}
		cfg.Rules = base.Rules
		cfg.Allowlists = base.Allowlists
		if semver.Compare(base.MinVersion, cfg.MinVersion) > 0 {
			cfg.MinVersion = base.MinVersion
		}
	case tc.Extend.UseDefault || len(tc.Rules) == 0:
		cfg.Rules = DefaultRules()
	}
	if len(tc.Extend.DisabledRules) > 0 {
		cfg.Rules = slices.DeleteFunc(cfg.Rules, func(r Rule) bool { return slices.Contains(tc.Extend.DisabledRules, r.ID) })
	}
	defined := map[string]int{} // rule ids of this file -> index in tc.Rules
	type requirer struct{ rule, field, id string }
	var requires []requirer // [[rules.required]] ids, checked once every rule is known
	for i, tr := range tc.Rules {
		field := fmt.Sprintf("rules[%d]", i)
		if strings.TrimSpace(tr.ID) == "" {
			return nil, &ConfigError{File: name, Field: field + ".id", Err: errors.New("missing")}
		}
		if j, dup := defined[tr.ID]; dup {
			return nil, &ConfigError{File: name, Field: field + ".id", Err: fmt.Errorf("%q is already defined by rules[%d]", tr.ID, j)}
		}
		defined[tr.ID] = i
		r := Rule{ID: tr.ID, Description: tr.Description, SecretGroup: tr.SecretGroup, Entropy: tr.Entropy, Keywords: lowerAll(tr.Keywords), Tags: tr.Tags,
			SkipReport: tr.SkipReport, generic: strings.Contains(strings.ToLower(tr.ID), "generic")}
		for k, tq := range tr.Required {
			rf := fmt.Sprintf("%s.required[%d]", field, k)
			switch {
			case strings.TrimSpace(tq.ID) == "":
				return nil, &ConfigError{File: name, Field: rf + ".id", Err: errors.New("missing")}
			case tq.ID == tr.ID:
				return nil, &ConfigError{File: name, Field: rf + ".id", Err: fmt.Errorf("rule %q cannot require itself", tq.ID)}
			case tq.WithinLines != nil && *tq.WithinLines < 0:
				return nil, &ConfigError{File: name, Field: rf + ".withinLines", Err: fmt.Errorf("%d is negative", *tq.WithinLines)}
			case tq.WithinColumns != nil && *tq.WithinColumns < 0:
				return nil, &ConfigError{File: name, Field: rf + ".withinColumns", Err: fmt.Errorf("%d is negative", *tq.WithinColumns)}
			}
			r.Required = append(r.Required, Required{RuleID: tq.ID, WithinLines: tq.WithinLines, WithinColumns: tq.WithinColumns})
			requires = append(requires, requirer{rule: tr.ID, field: rf + ".id", id: tq.ID})
		}
		if tr.Regex != "" {
			if r.Regex, err = regexp.Compile(tr.Regex); err != nil {
				return nil, &ConfigError{File: name, Field: field + ".regex", Err: err}
			}
		}
		if tr.SecretGroup < 0 || r.Regex != nil && tr.SecretGroup > r.Regex.NumSubexp() {
			return nil, &ConfigError{File: name, Field: field + ".secretGroup", Err: fmt.Errorf("%d is not a group of the regex", tr.SecretGroup)}
		}
		if tr.Path != "" {
			if r.Path, err = regexp.Compile(tr.Path); err != nil {
				return nil, &ConfigError{File: name, Field: field + ".path", Err: err}
			}
		}
		if tr.Allowlist != nil && len(tr.Allowlists) > 0 {
			return nil, &ConfigError{File: name, Field: field + ".allowlist", Err: errors.New("[rules.allowlist] cannot be used alongside [[rules.allowlists]]")}
		}
		als := tr.Allowlists
		if tr.Allowlist != nil {
			als = []tomlAllow{*tr.Allowlist}
		}
		for k, ta := range als {
			a, err := ta.compile(name, fmt.Sprintf("%s.allowlists[%d]", field, k))
			if err != nil {
				return nil, err
			}
			r.Allowlists = append(r.Allowlists, a)
		}
		targets := []string{r.ID}
		if !slices.ContainsFunc(cfg.Rules, func(x Rule) bool { return x.ID == r.ID }) && r.Regex == nil && r.Path == nil {
			// A gitleaks rule id the built-in rules cover under another
			// name: its settings go to those rules.
			targets = builtinFor(cfg.Rules, r.ID)
		}
		merged := false
		for _, id := range targets {
			j := slices.IndexFunc(cfg.Rules, func(x Rule) bool { return x.ID == id })
			if j < 0 {
				continue
			}
			cfg.Rules[j] = extendRule(cfg.Rules[j], r, tr.SecretGroup != 0)
			merged = true
		}
		if merged {
			continue
		}
		if r.Regex == nil && r.Path == nil {
			return nil, &ConfigError{File: name, Field: field, Err: errors.New("rule needs a regex or a path")}
		}
		cfg.Rules = append(cfg.Rules, r)
	}
	for _, q := range requires {
		// Checked here, not in compile: the error can name the line.
		if !slices.ContainsFunc(cfg.Rules, func(x Rule) bool { return x.ID == q.id }) && len(builtinFor(cfg.Rules, q.id)) == 0 {
			return nil, &ConfigError{File: name, Field: q.field, Err: fmt.Errorf("rule %s requires %q, which is no rule", q.rule, q.id)}
		}
	}
	for i := range cfg.Rules {
		if r := &cfg.Rules[i]; r.Regex != nil && !r.line.prepared(r) {
			r.line = newLineRegex(r)
		}
	}
	if tc.Allowlist != nil && len(tc.Allowlists) > 0 {
		return nil, &ConfigError{File: name, Field: "allowlist", Err: errors.New("[allowlist] cannot be used alongside [[allowlists]]")}
	}
	globals := tc.Allowlists
	if tc.Allowlist != nil {
		globals = []tomlAllow{*tc.Allowlist}
	}
	for k, ta := range globals {
		field := fmt.Sprintf("allowlists[%d]", k)
		a, err := ta.compile(name, field)
		if err != nil {
			return nil, err
		}
		// Target rules must exist once the config is assembled; a gitleaks
		// rule id stands for the built-in rules that cover it.
		var targets []string
		for _, id := range a.TargetRules {
			if slices.ContainsFunc(cfg.Rules, func(x Rule) bool { return x.ID == id }) {
				targets = append(targets, id)
				continue
			}
			alias := builtinFor(cfg.Rules, id)
			if len(alias) == 0 {
				return nil, &ConfigError{File: name, Field: field + ".targetRules", Err: fmt.Errorf("no rule %q", id)}
			}
			targets = append(targets, alias...)
		}
		if len(a.TargetRules) > 0 {
			a.TargetRules = targets
		}
		cfg.Allowlists = append(cfg.Allowlists, a)
	}
	return cfg, nil
}

// extendRule merges rule r of an extending config into base, the rule of
// the same id it extends, as gitleaks does: set fields override, keywords,
// tags and allowlists are appended. Requirements of composite rules are
// appended too and skipReport sticks once set, where gitleaks (v8.30.1)
// drops both from an extending rule. A regex replacing a built-in matcher
// also drops the built-in keywords, which were chosen for that matcher.
func extendRule(base, r Rule, setGroup bool) Rule {
	base.Keywords = slices.Clone(base.Keywords)
	if r.Regex != nil {
		if base.match != nil {
			base.Keywords = nil
			base.prefix = 0 // the built-in token's public prefix says nothing about this regex
		}
		base.Regex, base.match = r.Regex, nil
	}
	if setGroup || r.Regex != nil {
		base.SecretGroup = r.SecretGroup
	}
	if r.Description != "" {
		base.Description = r.Description
	}
	if r.Entropy != 0 {
		base.Entropy = r.Entropy
	}
	if r.Path != nil {
		base.Path = r.Path
	}
	base.Keywords = append(base.Keywords, r.Keywords...)
	base.Tags = append(slices.Clone(base.Tags), r.Tags...)
	base.Allowlists = append(slices.Clone(base.Allowlists), r.Allowlists...)
	base.Required = append(slices.Clone(base.Required), r.Required...)
	base.SkipReport = base.SkipReport || r.SkipReport
	return base
}

// builtinFor returns the ids of rules that cover the gitleaks rule id
// under another name (see gitleaksRules) and are in rules.
func builtinFor(rules []Rule, id string) []string {
	var out []string
	for _, b := range gitleaksRules[id] {
		if slices.ContainsFunc(rules, func(x Rule) bool { return x.ID == b }) {
			out = append(out, b)
		}
	}
	return out
}

func lowerAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = strings.ToLower(x)
	}
	return out
}

func (ta tomlAllow) compile(file, field string) (Allowlist, error) {
	a := Allowlist{Description: ta.Description, Condition: strings.ToUpper(ta.Condition), Commits: ta.Commits,
		Globs: ta.Globs, RegexTarget: ta.RegexTarget, Values: ta.Values, Stopwords: ta.Stopwords, TargetRules: ta.TargetRules}
	switch a.Condition {
	case "", "OR", "||":
		a.Condition = "OR"
	case "AND", "&&":
		a.Condition = "AND"
	default:
		return a, &ConfigError{File: file, Field: field + ".condition", Err: fmt.Errorf("%q is not OR or AND", ta.Condition)}
	}
	switch a.RegexTarget {
	case "", "secret", "match", "line":
	default:
		return a, &ConfigError{File: file, Field: field + ".regexTarget", Err: fmt.Errorf("%q is not secret, match or line", ta.RegexTarget)}
	}
	if len(ta.Commits)+len(ta.Paths)+len(ta.Globs)+len(ta.Regexes)+len(ta.Values)+len(ta.Stopwords) == 0 {
		return a, &ConfigError{File: file, Field: field, Err: errors.New("no check: set commits, paths, globs, regexes, values or stopwords")}
	}
	for _, g := range ta.Globs {
		if !validGlob(g) {
			return a, &ConfigError{File: file, Field: field + ".globs", Err: fmt.Errorf("bad glob %q", g)}
		}
	}
	for _, p := range ta.Paths {
		re, err := regexp.Compile(p)
		if err != nil {
			return a, &ConfigError{File: file, Field: field + ".paths", Err: err}
		}
		a.Paths = append(a.Paths, re)
	}
	for _, p := range ta.Regexes {
		re, err := regexp.Compile(p)
		if err != nil {
			return a, &ConfigError{File: file, Field: field + ".regexes", Err: err}
		}
		a.Regexes = append(a.Regexes, re)
	}
	return a, nil
}

// tomlLine returns the 1-based line of field in TOML data, or 0 when it
// cannot be found. field is a ConfigError field such as
// "rules[2].allowlists[0].regexes" (an index counts the occurrences of that
// array-of-tables header) or a dotted key from toml's Undecoded
// ("rules.colour", any occurrence). It understands the table-header form
// the LoadConfig documentation shows, not inline tables or dotted keys; it
// returns the line of the deepest table it found when the key itself is
// not on a line of its own.
func tomlLine(data []byte, field string) int {
	type seg struct {
		name string
		idx  int // -1: any occurrence
	}
	var segs []seg
	for _, part := range strings.Split(field, ".") {
		s := seg{name: part, idx: -1}
		if i := strings.IndexByte(part, '['); i > 0 && strings.HasSuffix(part, "]") {
			if n, err := strconv.Atoi(part[i+1 : len(part)-1]); err == nil {
				s = seg{name: part[:i], idx: n}
			}
		}
		segs = append(segs, s)
	}
	// Walk the lines, descending one table segment at a time.
	prefix, depth, count, best := "", 0, 0, 0
	inMulti := ""
	for n, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if inMulti != "" {
			if strings.Count(t, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		for _, q := range []string{`'''`, `"""`} {
			if strings.Count(t, q)%2 == 1 {
				inMulti = q
			}
		}
		if depth == len(segs) {
			break
		}
		want := segs[depth]
		if strings.HasPrefix(t, "[") {
			h := strings.Trim(t, "[] \t")
			if i := strings.IndexByte(h, ']'); i >= 0 {
				h = strings.TrimSpace(h[:i])
			}
			h = strings.ReplaceAll(h, " ", "")
			if depth > 0 && h == prefix && segs[depth-1].idx < 0 {
				continue // another element of an array where any one will do
			}
			if depth > 0 && !strings.HasPrefix(h, prefix+".") {
				break // left the table found so far, or started its next element
			}
			name := strings.TrimPrefix(h, prefix)
			name = strings.TrimPrefix(name, ".")
			if name == want.name || want.name == "allowlists" && name == "allowlist" {
				if want.idx < 0 || count == want.idx {
					prefix, depth, count, best = h, depth+1, 0, n+1
					continue
				}
				count++
			}
			continue
		}
		if depth == len(segs)-1 {
			if k, _, ok := strings.Cut(t, "="); ok && strings.Trim(strings.TrimSpace(k), `"'`) == want.name {
				return n + 1
			}
		}
	}
	return best
}
