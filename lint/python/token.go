package python

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Kind is a token kind, named as in CPython's token module.
type Kind int

// Token kinds.
const (
	ENDMARKER Kind = iota
	NAME
	NUMBER
	STRING // any string literal, f-strings included, prefix and quotes included
	OP
	COMMENT
	NEWLINE // end of a logical line
	NL      // a line break inside a logical line, or a blank/comment line
	INDENT
	DEDENT
	ERRORTOKEN // an unterminated string or a stray character
)

var kindNames = [...]string{"ENDMARKER", "NAME", "NUMBER", "STRING", "OP", "COMMENT", "NEWLINE", "NL", "INDENT", "DEDENT", "ERRORTOKEN"}

// String returns the CPython name of the kind, e.g. "NAME".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// A Token is one lexical token. Lines are 1-based; columns are 0-based
// byte offsets within the line, as in CPython but in bytes.
type Token struct {
	Kind      Kind
	Text      string
	Off       int // byte offset in the source
	Line, Col int
	EndLine   int
	EndCol    int
}

// Tokenize splits Python 3 source into tokens. It never fails: text it
// cannot make sense of becomes ERRORTOKEN, and an unterminated string runs
// to the end of its line (or of the file, for a triple-quoted one).
//
// f-strings are single STRING tokens (as in CPython up to 3.11), but their
// replacement fields are scanned as code, so PEP 701 nesting such as
// f"{d["k"]}" and quotes or '}' inside nested strings end nothing early.
func Tokenize(src []byte) []Token {
	t := &tokenizer{src: string(src), line: 1, indents: []int{0}, atLineStart: true}
	t.run()
	return t.toks
}

type tokenizer struct {
	src         string
	pos         int
	line        int
	lineStart   int
	depth       int // bracket depth
	indents     []int
	atLineStart bool
	toks        []Token
	lastLogical bool // a token other than NL/COMMENT was emitted on this logical line
}

func (t *tokenizer) emit(k Kind, start, startLine, startCol int) {
	t.toks = append(t.toks, Token{Kind: k, Text: t.src[start:t.pos], Off: start, Line: startLine, Col: startCol,
		EndLine: t.line, EndCol: t.pos - t.lineStart})
}

func (t *tokenizer) newline(at int) {
	t.line++
	t.lineStart = at
}

func (t *tokenizer) run() {
	for t.pos < len(t.src) {
		if t.atLineStart {
			if t.indentation() {
				continue
			}
		}
		c := t.src[t.pos]
		start, sl, sc := t.pos, t.line, t.pos-t.lineStart
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			t.pos++
		case c == '\r' || c == '\n':
			t.pos++
			if c == '\r' && t.pos < len(t.src) && t.src[t.pos] == '\n' {
				t.pos++
			}
			if t.depth > 0 || !t.lastLogical {
				t.emit(NL, start, sl, sc)
			} else {
				t.emit(NEWLINE, start, sl, sc)
			}
			t.toks[len(t.toks)-1].EndLine, t.toks[len(t.toks)-1].EndCol = sl, sc+(t.pos-start)
			t.newline(t.pos)
			if t.depth == 0 {
				t.atLineStart = true
				t.lastLogical = false
			}
		case c == '\\' && t.pos+1 < len(t.src) && (t.src[t.pos+1] == '\n' || t.src[t.pos+1] == '\r'):
			t.pos++
			if t.src[t.pos] == '\r' && t.pos+1 < len(t.src) && t.src[t.pos+1] == '\n' {
				t.pos++
			}
			t.pos++
			t.newline(t.pos)
		case c == '#':
			for t.pos < len(t.src) && t.src[t.pos] != '\n' && t.src[t.pos] != '\r' {
				t.pos++
			}
			t.emit(COMMENT, start, sl, sc)
		case c >= '0' && c <= '9' || c == '.' && t.pos+1 < len(t.src) && isDigit(t.src[t.pos+1]):
			t.number()
			t.emit(NUMBER, start, sl, sc)
			t.lastLogical = true
		case isNameStart(t.src[t.pos:]):
			if q, ok := t.stringPrefix(); ok {
				t.pos = q
				kind := t.str(start)
				t.emit(kind, start, sl, sc)
				t.lastLogical = true
				continue
			}
			_, n0 := utf8.DecodeRuneInString(t.src[t.pos:])
			t.pos += n0 // the start character, already checked
			for t.pos < len(t.src) {
				r, n := utf8.DecodeRuneInString(t.src[t.pos:])
				if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || r > 0x7f && unicode.In(r, unicode.Nl, unicode.Other_ID_Start, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue)) {
					break
				}
				t.pos += n
			}
			t.emit(NAME, start, sl, sc)
			t.lastLogical = true
		case c == '"' || c == '\'':
			kind := t.str(start)
			t.emit(kind, start, sl, sc)
			t.lastLogical = true
		default:
			if n := opLen(t.src[t.pos:]); n > 0 {
				t.pos += n
				switch c {
				case '(', '[', '{':
					t.depth++
				case ')', ']', '}':
					if t.depth > 0 {
						t.depth--
					}
				}
				t.emit(OP, start, sl, sc)
			} else {
				_, n := utf8.DecodeRuneInString(t.src[t.pos:])
				t.pos += n
				t.emit(ERRORTOKEN, start, sl, sc)
			}
			t.lastLogical = true
		}
	}
	// End of input: close the logical line, the blocks, the stream.
	if t.lastLogical {
		t.toks = append(t.toks, Token{Kind: NEWLINE, Off: t.pos, Line: t.line, Col: t.pos - t.lineStart, EndLine: t.line, EndCol: t.pos - t.lineStart + 1})
		t.newline(t.pos)
	} else if t.pos > t.lineStart {
		t.newline(t.pos)
	}
	for len(t.indents) > 1 {
		t.indents = t.indents[:len(t.indents)-1]
		t.toks = append(t.toks, Token{Kind: DEDENT, Off: t.pos, Line: t.line, EndLine: t.line})
	}
	t.toks = append(t.toks, Token{Kind: ENDMARKER, Off: t.pos, Line: t.line, EndLine: t.line})
}

// indentation measures the indentation of a new line and emits INDENT or
// DEDENT tokens. It returns true when it consumed a blank or comment-only
// line (whose indentation does not count).
func (t *tokenizer) indentation() bool {
	col := 0
	p := t.pos
	for p < len(t.src) {
		switch t.src[p] {
		case ' ':
			col++
		case '\t':
			col = (col/8 + 1) * 8
		case '\f':
			col = 0
		default:
			goto done
		}
		p++
	}
done:
	t.atLineStart = false
	if p >= len(t.src) {
		t.pos = p
		return true
	}
	switch t.src[p] {
	case '#', '\n', '\r':
		// Blank or comment-only line: no indentation change; the newline
		// becomes NL because nothing logical was emitted.
		t.pos = p
		return true
	case '\\':
		if p+1 < len(t.src) && (t.src[p+1] == '\n' || t.src[p+1] == '\r') {
			t.pos = p
			return true
		}
	}
	t.pos = p
	cur := t.indents[len(t.indents)-1]
	switch {
	case col > cur:
		t.indents = append(t.indents, col)
		t.toks = append(t.toks, Token{Kind: INDENT, Text: t.src[t.lineStart:p], Off: t.lineStart, Line: t.line, Col: 0, EndLine: t.line, EndCol: p - t.lineStart})
	case col < cur:
		for len(t.indents) > 1 && col < t.indents[len(t.indents)-1] {
			t.indents = t.indents[:len(t.indents)-1]
			t.toks = append(t.toks, Token{Kind: DEDENT, Off: p, Line: t.line, Col: p - t.lineStart, EndLine: t.line, EndCol: p - t.lineStart})
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isNameStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r) || r > 0x7f && unicode.In(r, unicode.Nl, unicode.Other_ID_Start)
}

// stringPrefix reports whether a string prefix (r, b, u, f and their
// combinations) followed by a quote starts at t.pos, and returns the
// position of the quote.
func (t *tokenizer) stringPrefix() (int, bool) {
	p := t.pos
	for p < len(t.src) && p-t.pos < 3 && strings.IndexByte("rRbBuUfF", t.src[p]) >= 0 {
		p++
	}
	if p == t.pos || p >= len(t.src) || (t.src[p] != '"' && t.src[p] != '\'') {
		return 0, false
	}
	switch strings.ToLower(t.src[t.pos:p]) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf":
		return p, true
	}
	return 0, false
}

// str scans a string literal whose prefix starts at start and whose quote
// is at t.pos, and returns STRING, or ERRORTOKEN if it is unterminated.
func (t *tokenizer) str(start int) Kind {
	prefix := strings.ToLower(t.src[start:t.pos])
	raw := strings.Contains(prefix, "r")
	fstr := strings.Contains(prefix, "f")
	if t.scanString(raw, fstr) {
		return STRING
	}
	return ERRORTOKEN
}

// scanString scans from the opening quote at t.pos to after the closing
// quote. It reports false for an unterminated string.
func (t *tokenizer) scanString(raw, fstr bool) bool {
	q := t.src[t.pos]
	triple := strings.HasPrefix(t.src[t.pos:], strings.Repeat(string(q), 3))
	if triple {
		t.pos += 3
	} else {
		t.pos++
	}
	for t.pos < len(t.src) {
		c := t.src[t.pos]
		switch {
		case c == '\\':
			t.pos++
			if t.pos < len(t.src) {
				if t.src[t.pos] == '\r' && t.pos+1 < len(t.src) && t.src[t.pos+1] == '\n' {
					t.pos++
				}
				if t.src[t.pos] == '\n' || t.src[t.pos] == '\r' {
					t.pos++
					t.newline(t.pos)
					continue
				}
				t.pos++
			}
		case c == q:
			if !triple {
				t.pos++
				return true
			}
			if strings.HasPrefix(t.src[t.pos:], strings.Repeat(string(q), 3)) {
				t.pos += 3
				return true
			}
			t.pos++
		case c == '\n' || c == '\r':
			if !triple {
				return false // unterminated; the newline is not part of it
			}
			t.pos++
			if c == '\r' && t.pos < len(t.src) && t.src[t.pos] == '\n' {
				t.pos++
			}
			t.newline(t.pos)
		case fstr && c == '{':
			if strings.HasPrefix(t.src[t.pos:], "{{") {
				t.pos += 2
				continue
			}
			t.pos++
			if !t.replacementField(triple) {
				return false
			}
		default:
			t.pos++
		}
	}
	return false
}

// replacementField scans an f-string replacement field after its '{' up to
// and including the matching '}'. Nested strings may use any quotes.
func (t *tokenizer) replacementField(triple bool) bool {
	depth := 0
	for t.pos < len(t.src) {
		c := t.src[t.pos]
		switch {
		case c == '\n' || c == '\r':
			if !triple && depth == 0 {
				// PEP 701 allows newlines inside fields only within
				// brackets or triple-quoted f-strings.
				return false
			}
			t.pos++
			if c == '\r' && t.pos < len(t.src) && t.src[t.pos] == '\n' {
				t.pos++
			}
			t.newline(t.pos)
		case c == '(' || c == '[' || c == '{':
			depth++
			t.pos++
		case c == ')' || c == ']':
			if depth > 0 {
				depth--
			}
			t.pos++
		case c == '}':
			t.pos++
			if depth == 0 {
				return true
			}
			depth--
		case c == ':' && depth == 0:
			// Format spec: literal text with nested fields, up to '}'.
			t.pos++
			for t.pos < len(t.src) {
				d := t.src[t.pos]
				if d == '}' {
					t.pos++
					return true
				}
				if d == '{' {
					t.pos++
					if !t.replacementField(triple) {
						return false
					}
					continue
				}
				if d == '\n' || d == '\r' {
					if !triple {
						return false
					}
					t.pos++
					t.newline(t.pos)
					continue
				}
				t.pos++
			}
			return false
		case c == '"' || c == '\'':
			if !t.scanString(false, false) {
				return false
			}
		case c == '#':
			return false // comments are not allowed in single-line fields
		case isNameStart(t.src[t.pos:]):
			if q, ok := t.stringPrefix(); ok {
				pre := strings.ToLower(t.src[t.pos:q])
				t.pos = q
				if !t.scanString(strings.Contains(pre, "r"), strings.Contains(pre, "f")) {
					return false
				}
				continue
			}
			_, n := utf8.DecodeRuneInString(t.src[t.pos:])
			t.pos += n
		default:
			t.pos++
		}
	}
	return false
}

func (t *tokenizer) number() {
	s := t.src
	p := t.pos
	if s[p] == '0' && p+1 < len(s) && strings.IndexByte("xXoObB", s[p+1]) >= 0 {
		p += 2
		for p < len(s) && (isHex(s[p]) || s[p] == '_') {
			p++
		}
		t.pos = p
		return
	}
	digits := func() {
		for p < len(s) && (isDigit(s[p]) || s[p] == '_') {
			p++
		}
	}
	digits()
	if p < len(s) && s[p] == '.' {
		p++
		digits()
	}
	if p < len(s) && (s[p] == 'e' || s[p] == 'E') {
		q := p + 1
		if q < len(s) && (s[q] == '+' || s[q] == '-') {
			q++
		}
		if q < len(s) && isDigit(s[q]) {
			p = q
			digits()
		}
	}
	if p < len(s) && (s[p] == 'j' || s[p] == 'J') {
		p++
	}
	t.pos = p
}

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

var ops3 = []string{"**=", "//=", ">>=", "<<=", "...", "!="}
var ops2 = []string{"->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "<>"}

func opLen(s string) int {
	for _, o := range ops3 {
		if strings.HasPrefix(s, o) && len(o) == 3 {
			return 3
		}
	}
	for _, o := range ops2 {
		if strings.HasPrefix(s, o) {
			if o == "<>" {
				continue
			}
			return 2
		}
	}
	if strings.IndexByte("()[]{},:;.+-*/%&|^~<>=@!", s[0]) >= 0 {
		return 1
	}
	return 0
}
