package secrets

import (
	"bytes"
	"regexp"
	"regexp/syntax"
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
// at most lines newlines and bytes bytes (both capped at maxReach).
type reach struct{ lines, bytes int }

// reachOf computes the reach of re. A regex that cannot match a newline
// has lines == 0: its window is the keyword's line.
func reachOf(re *regexp.Regexp) reach {
	p, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return reach{maxReach, maxReach} // cannot happen for a compiled regex; be generous
	}
	nl, n := maxNewlines(p), maxBytes(p)
	return reach{min(nl, maxReach), min(n, maxReach)}
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
// r.lines lines on either side that are within r.bytes bytes of it.
// end is the offset of the last line's newline (or len(b)).
func (r reach) window(b []byte, kStart, kEnd int) (start, end int) {
	// Backwards: stop after r.lines newlines, or at the byte bound, then
	// round out to the start of that line.
	lo := max(0, kStart-r.bytes)
	start = kStart
	for n := 0; ; n++ {
		i := bytes.LastIndexByte(b[lo:start], '\n')
		if i < 0 {
			start = bytes.LastIndexByte(b[:lo], '\n') + 1
			break
		}
		if n == r.lines {
			start = lo + i + 1
			break
		}
		start = lo + i
	}
	hi := min(len(b), kEnd+r.bytes)
	end = kEnd
	for n := 0; ; n++ {
		i := bytes.IndexByte(b[end:hi], '\n')
		if i < 0 {
			if j := bytes.IndexByte(b[hi:], '\n'); j >= 0 {
				end = hi + j
			} else {
				end = len(b)
			}
			break
		}
		if n == r.lines {
			end += i
			break
		}
		end += i + 1
	}
	return start, end
}

// A lineRegex is a rule's Regex prepared for windowed matching. A config
// prepares it once at load time (it costs a second compilation), so that
// scans with the same rules do not repeat the work.
type lineRegex struct {
	src   *regexp.Regexp // the Rule.Regex it was made from
	re    *regexp.Regexp // src with (?m)
	reach reach
}

func newLineRegex(re *regexp.Regexp) *lineRegex {
	return &lineRegex{src: re, re: lineAnchored(re), reach: reachOf(re)}
}

// lineRegexOf returns r's prepared regex, preparing it unless a config
// already did for the same Regex.
func lineRegexOf(r *Rule) *lineRegex {
	if r.line != nil && r.line.src == r.Regex {
		return r.line
	}
	return newLineRegex(r.Regex)
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
