package python

import (
	"fmt"
	"strings"
)

// A SyntaxError is a lexical error in a Python source: an unterminated
// string, an unclosed or mismatched bracket, an invalid character, or an
// indentation that does not fit the block structure. Line and Col are
// 1-based; Col counts bytes.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

// Error returns "line:col: msg".
func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Syntax returns the first syntax error in src, or nil. It checks what a
// tokenizer can see (strings, brackets, characters, indentation), not the
// whole grammar: "def f(:" passes here and fails in CPython. It never
// reports an error for a file CPython compiles.
func Syntax(src []byte) *SyntaxError {
	var code []Token // tokens other than COMMENT and NL
	for _, t := range Tokenize(src) {
		if t.Kind != COMMENT && t.Kind != NL {
			code = append(code, t)
		}
	}
	type open struct {
		c         byte
		line, col int
	}
	var stack []open
	at := func(t Token, format string, args ...any) *SyntaxError {
		return &SyntaxError{Line: t.Line, Col: t.Col + 1, Msg: fmt.Sprintf(format, args...)}
	}
	colon := func(i int) bool { return i >= 0 && code[i].Kind == OP && code[i].Text == ":" }
	for i, t := range code {
		switch t.Kind {
		case ERRORTOKEN:
			switch {
			case isStringStart(t.Text, `"""`) || isStringStart(t.Text, `'''`):
				return at(t, "unterminated triple-quoted string literal")
			case isStringStart(t.Text, `"`) || isStringStart(t.Text, `'`):
				return at(t, "unterminated string literal")
			}
			return at(t, "invalid character %q", t.Text)
		case OP:
			switch t.Text {
			case "(", "[", "{":
				stack = append(stack, open{t.Text[0], t.Line, t.Col + 1})
			case ")", "]", "}":
				if len(stack) == 0 {
					return at(t, "unmatched '%s'", t.Text)
				}
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if closing(o.c) != t.Text[0] {
					return at(t, "closing parenthesis '%s' does not match opening parenthesis '%c' on line %d", t.Text, o.c, o.line)
				}
			}
		case INDENT:
			if i < 2 || code[i-1].Kind != NEWLINE || !colon(i-2) {
				return &SyntaxError{Line: t.Line, Col: 1, Msg: "unexpected indent"}
			}
		case NEWLINE:
			if colon(i-1) && (i+1 >= len(code) || code[i+1].Kind != INDENT) {
				next := code[min(i+1, len(code)-1)]
				return &SyntaxError{Line: next.Line, Col: next.Col + 1, Msg: fmt.Sprintf("expected an indented block after line %d", code[i-1].Line)}
			}
		case ENDMARKER:
			if len(stack) > 0 {
				o := stack[len(stack)-1]
				return &SyntaxError{Line: o.line, Col: o.col, Msg: fmt.Sprintf("'%c' was never closed", o.c)}
			}
		}
	}
	return nil
}

func closing(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// isStringStart reports whether an ERRORTOKEN's text is a string opened
// by quote, after an optional prefix such as rb or f.
func isStringStart(text, quote string) bool {
	i := strings.IndexAny(text, `"'`)
	if i < 0 || i > 2 {
		return false
	}
	return strings.HasPrefix(text[i:], quote)
}
