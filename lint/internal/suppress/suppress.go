package suppress

import (
	"path"
	"regexp"
	"strings"
)

// A Directive is one parsed lint-ok comment.
type Directive struct {
	File      string   // file name as given to the parser
	Line, Col int      // position of the comment, 1-based
	Rules     []string // rule patterns, as written
	Reason    string   // text after "--", trimmed
	FileLevel bool     // lint-ok-file, or a legacy whole-file marker
	From, To  int      // lines covered (inclusive); ignored when FileLevel
}

// A Key identifies a directive across analyzers.
type Key struct {
	File      string
	Line, Col int
}

// Key returns the directive's identity.
func (d *Directive) Key() Key { return Key{d.File, d.Line, d.Col} }

// A Result lists the directives an analyzer used. It is the result type of
// every soakkit analyzer, so a driver can report unused suppressions.
type Result struct {
	Used []Key
}

var directiveRe = regexp.MustCompile(`(?:^|[\s/#])(lint-ok-file|lint-ok|test-ok):[ \t]*([A-Za-z0-9_*./, \t-]*?)[ \t]*(?:--[ \t]*(.*?))?[ \t]*$`)

// A Parsed is one directive found in a comment by [ParseAll].
type Parsed struct {
	Offset    int // byte offset of the marker in the comment text
	Rules     []string
	Reason    string
	FileLevel bool
}

var markerRe = regexp.MustCompile(`(?:^|[\s/#])(lint-ok-file|lint-ok|test-ok):`)

// ParseAll parses every directive in a comment; a comment may hold several,
// each reason ending where the next marker starts. The first directive's
// Offset is 0 (the comment's position), later ones point at their marker.
func ParseAll(text string) []Parsed {
	locs := markerRe.FindAllStringIndex(text, -1)
	var out []Parsed
	for i, loc := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		part := text[loc[0]:end]
		part = strings.TrimRight(strings.TrimSpace(part), "/#")
		if rules, reason, fileLevel, ok := ParseComment(part); ok {
			off := loc[0]
			if len(out) == 0 {
				off = 0
			} else if text[off] == ' ' || text[off] == '\t' {
				off++
			}
			out = append(out, Parsed{Offset: off, Rules: rules, Reason: strings.TrimSpace(reason), FileLevel: fileLevel})
		}
	}
	return out
}

// ParseComment parses the text of a comment (markers such as // or # may be
// included). It reports ok=false when the comment is not a directive.
func ParseComment(text string) (rules []string, reason string, fileLevel, ok bool) {
	text = strings.TrimRight(text, "\r\n")
	m := directiveRe.FindStringSubmatch(text)
	if m == nil {
		return nil, "", false, false
	}
	list := m[2]
	// "--" is the reason separator; a rule list cannot end in '-'.
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		rules = append(rules, f)
	}
	if len(rules) == 0 {
		return nil, "", false, false
	}
	// test-ok is the legacy marker of lint_json_writer.py; its rule names
	// ("raw-json") are resolved like any other through aliases.
	return rules, strings.TrimSpace(m[3]), m[1] == "lint-ok-file", true
}

// aliases maps legacy rule names to rule patterns.
var aliases = map[string][]string{
	"json-write":    {"atomicwrite/*", "py-jsonwrite/*"},
	"raw-json":      {"atomicwrite/*", "py-jsonwrite/*"},
	"metric-label":  {"metriclabels/not-allowed", "py-metriclabels/not-allowed", "exposition/not-allowed"},
	"metric-labels": {"metriclabels/not-allowed", "py-metriclabels/not-allowed", "exposition/not-allowed"},
	"ascii":         {"asciilogs/*", "py-asciilogs/*"},
	"ascii-log":     {"asciilogs/*", "py-asciilogs/*"},
}

// Expand returns the patterns a written rule stands for.
func Expand(rule string) []string {
	if a, ok := aliases[rule]; ok {
		return a
	}
	return []string{rule}
}

// MatchRule reports whether the written pattern covers the rule ID
// ("analyzer/rule").
func MatchRule(pattern, id string) bool {
	an, rule, _ := strings.Cut(id, "/")
	for _, p := range Expand(pattern) {
		switch {
		case p == "*" || p == id || p == an:
			return true
		case !strings.Contains(p, "/"):
			if p == rule {
				return true
			}
		default:
			if ok, _ := path.Match(p, id); ok {
				return true
			}
		}
	}
	return false
}

// Relevant reports whether the pattern could match a rule of one of the
// analyzers, so that its not being used means it is stale.
func Relevant(pattern string, analyzers []string) bool {
	for _, p := range Expand(pattern) {
		if p == "*" {
			return true
		}
		an, _, hasSlash := strings.Cut(p, "/")
		if !hasSlash {
			// an analyzer name or a bare rule name: relevant when it names
			// a running analyzer; bare rule names are treated as relevant.
			return true
		}
		for _, a := range analyzers {
			if ok, _ := path.Match(an, a); ok {
				return true
			}
		}
	}
	return false
}

// Covers reports whether the directive applies to a finding of rule id on line.
func (d *Directive) Covers(line int, id string) bool {
	if !d.FileLevel && (line < d.From || line > d.To) {
		return false
	}
	for _, r := range d.Rules {
		if MatchRule(r, id) {
			return true
		}
	}
	return false
}

// A Set holds the directives of one file and records which were used.
type Set struct {
	Dirs []*Directive
	used map[*Directive]bool
}

// Suppressed reports whether a finding of rule id on line is suppressed,
// and marks every directive that covers it as used.
func (s *Set) Suppressed(line int, id string) bool {
	if s == nil {
		return false
	}
	hit := false
	for _, d := range s.Dirs {
		if d.Covers(line, id) {
			if s.used == nil {
				s.used = map[*Directive]bool{}
			}
			s.used[d] = true
			hit = true
		}
	}
	return hit
}

// Used returns the keys of the used directives.
func (s *Set) Used() []Key {
	if s == nil {
		return nil
	}
	var ks []Key
	for _, d := range s.Dirs {
		if s.used[d] {
			ks = append(ks, d.Key())
		}
	}
	return ks
}
