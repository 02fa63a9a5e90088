package secrets

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// Multi-line matching.
//
// A configured regex runs over windows of whole lines around the keyword
// hits of its rule, not over the whole chunk: that keeps the cost of a
// rule proportional to its keywords' frequency. A regex that can match a
// newline (`\s`, `[\s\S]`, `(?s:.)`, a literal "\n") needs more than the
// keyword's line: its window extends as many lines before and after as a
// match can span, and no further than a match can be long, so the value on
// the line after its key (an XML element, a YAML block scalar, a curl
// command continued with "\") is found. The bound is what makes it a
// window: a regex whose newlines are unbounded (`[\s\S]*`) reaches at most
// maxReach bytes, which the chunk overlap guarantees to be seen whole.
//
// Windows start and end at real line boundaries, and the regex runs with
// "^" and "$" matching at every line boundary, so both anchors mean a real
// line's start and end wherever a window or a chunk is cut.

// maxReach bounds how far a window reaches beyond its keyword, in bytes.
// It is half the chunk overlap: a match of a keyword in a chunk's owned
// part then lies wholly in that chunk.
const maxReach = chunkOverlap / 2

// A reach is how far a regex's match may extend from a keyword inside it:
// at most lines newlines and bytes bytes (both capped at maxReach). back
// is the newlines a window needs before its keyword's line: lines, or 0
// when every match holds a keyword on its first line (the identifier of
// a "name = value" rule), whose window then covers the whole match.
type reach struct{ lines, bytes, back int }

// reachOf computes the reach of re for a rule with the given (lower-case)
// keywords. A regex that cannot match a newline has lines == 0: its window
// is the keyword's line.
func reachOf(re *regexp.Regexp, keywords []string) reach {
	p, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return reach{maxReach, maxReach, maxReach} // cannot happen for a compiled regex; be generous
	}
	nl, n := min(maxNewlines(p), maxReach), min(maxBytes(p), maxReach)
	back := nl
	if nl > 0 && keywordOnFirstLine(p, keywords) {
		back = 0
	}
	return reach{nl, n, back}
}

// keywordOnFirstLine reports whether every match of re holds one of the
// keywords before its first newline: some element of re's top-level
// sequence, before any element that can match a newline, matches only
// strings (few enough to list) that each contain a keyword.
func keywordOnFirstLine(re *syntax.Regexp, keywords []string) bool {
	if len(keywords) == 0 {
		return false
	}
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	seq := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		seq = re.Sub
	}
	for _, e := range seq {
		if strs, ok := finiteStrings(e, 256); ok && len(strs) > 0 && !slices.ContainsFunc(strs, func(s string) bool {
			s = strings.ToLower(s)
			return !slices.ContainsFunc(keywords, func(k string) bool { return strings.Contains(s, k) })
		}) {
			return true
		}
		if maxNewlines(e) > 0 {
			return false
		}
	}
	return false
}

// finiteStrings lists the strings re matches, if there are at most limit
// of them (ok false otherwise). Case-folded literals are listed once, as
// written: callers compare case-insensitively.
func finiteStrings(re *syntax.Regexp, limit int) (_ []string, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) >= limit {
					return nil, false
				}
				out = append(out, string(r))
			}
		}
		return out, true
	case syntax.OpCapture:
		return finiteStrings(re.Sub[0], limit)
	case syntax.OpQuest:
		sub, ok := finiteStrings(re.Sub[0], limit-1)
		return append(sub, ""), ok
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			sub, ok := finiteStrings(s, limit-len(out))
			if !ok {
				return nil, false
			}
			out = append(out, sub...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			sub, ok := finiteStrings(s, limit)
			if !ok || len(out)*len(sub) > limit {
				return nil, false
			}
			next := make([]string, 0, len(out)*len(sub))
			for _, a := range out {
				for _, b := range sub {
					next = append(next, a+b)
				}
			}
			out = next
		}
		return out, true
	}
	return nil, false
}

// unbounded stands for "no limit" in the saturating sums below.
const unbounded = 1 << 30

func satAdd(a, b int) int { return min(a+b, unbounded) }

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= unbounded/b {
		return unbounded
	}
	return a * b
}

// repeat is the saturated bound of sub repeated at most max times (-1: any
// number of times).
func repeat(sub, max int) int {
	if max < 0 {
		if sub == 0 {
			return 0
		}
		return unbounded
	}
	return satMul(sub, max)
}

// maxNewlines returns the largest number of newlines a match of re can hold.
func maxNewlines(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if r == '\n' {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return 1
			}
		}
		return 0
	case syntax.OpAnyChar:
		return 1
	case syntax.OpCapture, syntax.OpQuest:
		return maxNewlines(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return repeat(maxNewlines(re.Sub[0]), -1)
	case syntax.OpRepeat:
		return repeat(maxNewlines(re.Sub[0]), re.Max)
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n = satAdd(n, maxNewlines(s))
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			n = max(n, maxNewlines(s))
		}
		return n
	}
	return 0 // empty matches, anchors, word boundaries, AnyCharNotNL
}

// maxBytes returns the longest a match of re can be, in bytes.
func maxBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += utf8.RuneLen(r)
		}
		if re.Flags&syntax.FoldCase != 0 {
			n *= 2 // a case fold may change the UTF-8 length (k, K, U+212A)
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return repeat(maxBytes(re.Sub[0]), -1)
	case syntax.OpRepeat:
		return repeat(maxBytes(re.Sub[0]), re.Max)
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n = satAdd(n, maxBytes(s))
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			n = max(n, maxBytes(s))
		}
		return n
	}
	return 0
}

// window returns the stretch of whole lines of b that a match holding the
// keyword b[kStart:kEnd] can lie in: the keyword's lines, plus up to
// r.back lines before and r.lines after it that are within r.bytes bytes
// of it. end is the offset of the last line's newline (or len(b)).
func (r reach) window(b []byte, kStart, kEnd int) (start, end int) {
	return r.edge(b, kStart, r.back, false) + 1, r.edge(b, kEnd, r.lines, true)
}

// edge returns the newline that bounds a window on one side of b[at]:
// going forward (or backward), the (n+1)th newline from at; or, when
// r.bytes bytes from at come first, the newline that ends (starts) the
// line holding that byte bound. Past the end of b it is len(b), before its
// start -1.
func (r reach) edge(b []byte, at, n int, forward bool) int {
	bound, outside := max(0, at-r.bytes), -1
	if forward {
		bound, outside = min(len(b), at+r.bytes), len(b)
	}
	for ; ; n-- {
		i := nearestNewline(b, at, bound, forward)
		if i < 0 { // the byte bound: only finish its line
			if i = nearestNewline(b, bound, outside, forward); i < 0 {
				i = outside
			}
			return i
		}
		if n == 0 {
			return i
		}
		at = i // backward: b[bound:at] no longer holds it
		if forward {
			at = i + 1
		}
	}
}

// nearestNewline returns the offset of the newline between from and to
// (b[from:to] forward, b[to:from] backward) nearest from, or -1; to may be
// -1 or len(b) for "to the end".
func nearestNewline(b []byte, from, to int, forward bool) int {
	if forward {
		if i := bytes.IndexByte(b[from:to], '\n'); i >= 0 {
			return from + i
		}
		return -1
	}
	to = max(to, 0)
	if i := bytes.LastIndexByte(b[to:from], '\n'); i >= 0 {
		return to + i
	}
	return -1
}

// A lineRegex is a rule's Regex prepared for windowed matching. A config
// prepares it once at load time (it costs a second compilation), so that
// scans with the same rules do not repeat the work.
type lineRegex struct {
	src      *regexp.Regexp // the Rule.Regex it was made from
	keywords []string       // and the Rule.Keywords
	re       *regexp.Regexp // src with (?m)
	reach    reach
}

func newLineRegex(r *Rule) *lineRegex {
	kw := lowerAll(r.Keywords)
	return &lineRegex{src: r.Regex, keywords: kw, re: lineAnchored(r.Regex), reach: reachOf(r.Regex, kw)}
}

// prepared reports whether l was made from r's current Regex and Keywords.
func (l *lineRegex) prepared(r *Rule) bool {
	return l != nil && l.src == r.Regex && slices.EqualFunc(l.keywords, r.Keywords, strings.EqualFold)
}

// lineRegexOf returns r's prepared regex, preparing it unless a config
// already did for the same Regex and Keywords.
func lineRegexOf(r *Rule) *lineRegex {
	if r.line.prepared(r) {
		return r.line
	}
	return newLineRegex(r)
}

// lineAnchored returns re with "^" and "$" matching at line boundaries
// (the (?m) flag), so that they mean real line starts and ends anywhere in
// a window. Capture groups keep their numbers.
func lineAnchored(re *regexp.Regexp) *regexp.Regexp {
	m, err := regexp.Compile("(?m:" + re.String() + ")")
	if err != nil {
		return re
	}
	return m
}
