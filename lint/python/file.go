package python

import (
	"sort"
	"strings"

	"github.com/soakkit/soakkit/lint/internal/suppress"
)

// file is a tokenized Python source with the structure the rules need.
type file struct {
	src       []byte
	toks      []Token // all tokens
	code      []Token // tokens without COMMENT and NL
	lines     []string
	lineStart []int
	aliases   map[string]string // local name → qualified name
	calls     []*call
	funcs     []funcRange
	logical   []logicalLine
}

type logicalLine struct {
	first, last int // physical lines
	start, end  int // code token indexes [start, end)
}

type funcRange struct {
	name       string
	start, end int // code token indexes: def keyword .. end of body
}

// A call is NAME(.NAME)*( … ) or expr.NAME( … ).
type call struct {
	idx      int      // code index of the first name token (or of the method name)
	name     []string // dotted name for plain calls; method name in name[0] for methods
	method   bool     // expr.NAME(…): name is the method, receiver the expression text
	receiver string   // dotted receiver text of a method call, if simple
	target   string   // assignment target when the call is the whole right-hand side
	nameTok  Token
	open     int // code index of "("
	close    int // code index of ")"
	args     []*argument
}

type argument struct {
	tokens []Token
	kw     *Token  // keyword name, if a keyword argument
	value  []Token // tokens of the value
	star   string  // "*" or "**"
}

func (c *call) kwarg(name string) *argument {
	for _, a := range c.args {
		if a.kw != nil && a.kw.Text == name {
			return a
		}
	}
	return nil
}

func (c *call) positional(n int) *argument {
	if n < 0 {
		return nil
	}
	i := 0
	for _, a := range c.args {
		if a.kw != nil || a.star != "" {
			continue
		}
		if i == n {
			return a
		}
		i++
	}
	return nil
}

func newFile(src []byte) *file {
	f := &file{src: src, toks: Tokenize(src), aliases: map[string]string{}}
	f.lines = strings.SplitAfter(string(src), "\n")
	off := 0
	for _, l := range f.lines {
		f.lineStart = append(f.lineStart, off)
		off += len(l)
	}
	for _, t := range f.toks {
		if t.Kind != COMMENT && t.Kind != NL {
			f.code = append(f.code, t)
		}
	}
	f.splitLogical()
	f.imports()
	f.findFuncs()
	f.findCalls()
	return f
}

// position converts a byte offset to a 1-based line and byte column.
func (f *file) position(off int) (int, int) {
	i := sort.Search(len(f.lineStart), func(i int) bool { return f.lineStart[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - f.lineStart[i] + 1
}

func (f *file) splitLogical() {
	start := 0
	for i, t := range f.code {
		if t.Kind == NEWLINE || t.Kind == ENDMARKER {
			if i > start {
				ll := logicalLine{first: f.code[start].Line, last: t.Line, start: start, end: i}
				for start < i && (f.code[start].Kind == INDENT || f.code[start].Kind == DEDENT) {
					start++
					ll.start = start
					if start < i {
						ll.first = f.code[start].Line
					}
				}
				if ll.start < ll.end {
					f.logical = append(f.logical, ll)
				}
			}
			start = i + 1
		}
	}
}

func (f *file) isOp(i int, s string) bool {
	return i >= 0 && i < len(f.code) && f.code[i].Kind == OP && f.code[i].Text == s
}

func (f *file) isName(i int) bool { return i >= 0 && i < len(f.code) && f.code[i].Kind == NAME }

// imports records import aliases.
func (f *file) imports() {
	for _, ll := range f.logical {
		ts := f.code[ll.start:ll.end]
		if len(ts) < 2 || ts[0].Kind != NAME {
			continue
		}
		switch ts[0].Text {
		case "import":
			for _, part := range splitTop(ts[1:], ",") {
				names, alias := dottedAs(part)
				if len(names) == 0 {
					continue
				}
				if alias != "" {
					f.aliases[alias] = strings.Join(names, ".")
				} else {
					f.aliases[names[0]] = names[0]
				}
			}
		case "from":
			i := 1
			var mod []string
			for i < len(ts) && (ts[i].Kind == NAME && ts[i].Text != "import" || ts[i].Kind == OP && ts[i].Text == ".") {
				if ts[i].Kind == OP {
					mod = nil // relative imports are not resolved
					i++
					continue
				}
				mod = append(mod, ts[i].Text)
				i++
			}
			if i >= len(ts) || ts[i].Text != "import" || len(mod) == 0 {
				continue
			}
			rest := ts[i+1:]
			if len(rest) > 0 && rest[0].Text == "(" {
				rest = rest[1:]
				if len(rest) > 0 && rest[len(rest)-1].Text == ")" {
					rest = rest[:len(rest)-1]
				}
			}
			for _, part := range splitTop(rest, ",") {
				names, alias := dottedAs(part)
				if len(names) != 1 || names[0] == "*" {
					continue
				}
				local := names[0]
				if alias != "" {
					local = alias
				}
				f.aliases[local] = strings.Join(mod, ".") + "." + names[0]
			}
		}
	}
}

// dottedAs parses "a.b.c [as d]".
func dottedAs(ts []Token) ([]string, string) {
	var names []string
	alias := ""
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		switch {
		case t.Kind == NAME && t.Text == "as" && i+1 < len(ts):
			alias = ts[i+1].Text
			return names, alias
		case t.Kind == NAME:
			names = append(names, t.Text)
		case t.Kind == OP && t.Text == ".":
		default:
			return names, alias
		}
	}
	return names, alias
}

// splitTop splits tokens at top-level separators.
func splitTop(ts []Token, sep string) [][]Token {
	var out [][]Token
	depth, start := 0, 0
	for i, t := range ts {
		if t.Kind != OP {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case sep:
			if depth == 0 {
				out = append(out, ts[start:i])
				start = i + 1
			}
		}
	}
	if start < len(ts) {
		out = append(out, ts[start:])
	}
	return out
}

// resolve qualifies a dotted name through the import aliases.
func (f *file) resolve(name []string) string {
	if len(name) == 0 {
		return ""
	}
	head := name[0]
	if q, ok := f.aliases[head]; ok {
		head = q
	}
	return strings.Join(append([]string{head}, name[1:]...), ".")
}

// findFuncs records def bodies.
func (f *file) findFuncs() {
	for i := 0; i+1 < len(f.code); i++ {
		if !(f.code[i].Kind == NAME && f.code[i].Text == "def" && f.isName(i+1)) {
			continue
		}
		// Find the NEWLINE ending the def line; the body follows.
		j := i + 2
		for j < len(f.code) && f.code[j].Kind != NEWLINE && f.code[j].Kind != ENDMARKER {
			j++
		}
		end := j
		if j+1 < len(f.code) && f.code[j+1].Kind == INDENT {
			depth := 0
			for k := j + 1; k < len(f.code); k++ {
				switch f.code[k].Kind {
				case INDENT:
					depth++
				case DEDENT:
					depth--
				}
				if depth == 0 {
					end = k
					break
				}
				end = k
			}
		}
		f.funcs = append(f.funcs, funcRange{name: f.code[i+1].Text, start: i, end: end})
	}
}

// matching returns the index of the bracket closing the one at i.
func (f *file) matching(i int) int {
	depth := 0
	for j := i; j < len(f.code); j++ {
		t := f.code[j]
		if t.Kind == NEWLINE || t.Kind == ENDMARKER {
			return -1
		}
		if t.Kind != OP {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

func (f *file) findCalls() {
	for i := 0; i+1 < len(f.code); i++ {
		if !f.isName(i) || !f.isOp(i+1, "(") || isKeyword(f.code[i].Text) {
			continue
		}
		c := &call{idx: i, nameTok: f.code[i], open: i + 1}
		c.close = f.matching(i + 1)
		if c.close < 0 {
			continue
		}
		if f.isOp(i-1, ".") {
			c.method = true
			c.name = []string{f.code[i].Text}
			c.receiver = f.dottedBefore(i - 1)
		} else {
			c.name = []string{f.code[i].Text}
			c.idx = i
		}
		// A plain call's dotted name: walk back over NAME . NAME … when
		// the chain does not itself follow a '.', ')' or ']'.
		if c.method {
			if start, names := f.chainBefore(i); start >= 0 {
				c.method = false
				c.name = names
				c.idx = start
				c.nameTok = f.code[start]
			}
		}
		c.args = f.arguments(c.open, c.close)
		c.target = f.assignTarget(c.idx, c.close)
		f.calls = append(f.calls, c)
	}
}

// chainBefore returns the start and names of a pure dotted chain ending at
// the name at i (a.b.c), or -1 if the chain starts with an expression.
func (f *file) chainBefore(i int) (int, []string) {
	names := []string{f.code[i].Text}
	j := i
	for f.isOp(j-1, ".") && f.isName(j-2) {
		j -= 2
		names = append([]string{f.code[j].Text}, names...)
	}
	if f.isOp(j-1, ".") || f.isOp(j-1, ")") || f.isOp(j-1, "]") {
		return -1, nil
	}
	if j == i {
		return -1, nil
	}
	// A method call on a module-level name such as self.x.labels stays a
	// method call for labels; callers decide by resolving the chain.
	if names[len(names)-1] == "labels" || names[len(names)-1] == "write" || names[len(names)-1] == "write_text" || names[len(names)-1] == "write_bytes" {
		return -1, nil
	}
	return j, names
}

// dottedBefore returns the dotted receiver text ending at the '.' at i.
func (f *file) dottedBefore(dot int) string {
	j := dot - 1
	if !f.isName(j) {
		return ""
	}
	var names []string
	for f.isName(j) {
		names = append([]string{f.code[j].Text}, names...)
		if !f.isOp(j-1, ".") {
			break
		}
		j -= 2
	}
	if f.isOp(j-1, ".") || f.isOp(j-1, ")") || f.isOp(j-1, "]") {
		return ""
	}
	return strings.Join(names, ".")
}

// assignTarget returns "x" or "self.x" when the logical line is
// "TARGET = <call>" and the call spans the whole right-hand side.
func (f *file) assignTarget(start, close int) string {
	j := start - 1
	if !f.isOp(j, "=") {
		return ""
	}
	if !(close+1 < len(f.code) && (f.code[close+1].Kind == NEWLINE || f.code[close+1].Kind == ENDMARKER)) {
		return ""
	}
	var names []string
	j--
	for f.isName(j) {
		names = append([]string{f.code[j].Text}, names...)
		if !f.isOp(j-1, ".") {
			break
		}
		j -= 2
	}
	if len(names) == 0 {
		return ""
	}
	if j-1 >= 0 && f.code[j-1].Kind != NEWLINE && f.code[j-1].Kind != INDENT && f.code[j-1].Kind != DEDENT {
		return ""
	}
	return strings.Join(names, ".")
}

func (f *file) arguments(open, close int) []*argument {
	var out []*argument
	for _, part := range splitTop(f.code[open+1:close], ",") {
		if len(part) == 0 {
			continue
		}
		a := &argument{tokens: part, value: part}
		switch {
		case part[0].Kind == OP && (part[0].Text == "*" || part[0].Text == "**"):
			a.star = part[0].Text
			a.value = part[1:]
		case len(part) >= 3 && part[0].Kind == NAME && part[1].Kind == OP && part[1].Text == "=":
			kw := part[0]
			a.kw = &kw
			a.value = part[2:]
		}
		out = append(out, a)
	}
	return out
}

// dotted returns the text of a pure dotted name.
func (f *file) dotted(ts []Token) string {
	var names []string
	for i, t := range ts {
		if i%2 == 0 && t.Kind != NAME || i%2 == 1 && !(t.Kind == OP && t.Text == ".") {
			return ""
		}
		if t.Kind == NAME {
			names = append(names, t.Text)
		}
	}
	if len(ts)%2 == 0 {
		return ""
	}
	return strings.Join(names, ".")
}

// stringValue evaluates a single plain string literal (no f-strings, no
// escapes beyond quotes).
func (f *file) stringValue(ts []Token) (string, bool) {
	if len(ts) != 1 || ts[0].Kind != STRING {
		return "", false
	}
	return literal(ts[0].Text)
}

func literal(s string) (string, bool) {
	i := 0
	for i < len(s) && s[i] != '"' && s[i] != '\'' {
		i++
	}
	prefix := strings.ToLower(s[:i])
	if strings.ContainsAny(prefix, "fb") {
		return "", false
	}
	body := s[i:]
	for _, q := range []string{`"""`, `'''`, `"`, `'`} {
		if strings.HasPrefix(body, q) && strings.HasSuffix(body, q) && len(body) >= 2*len(q) {
			v := body[len(q) : len(body)-len(q)]
			if strings.Contains(v, `\`) && !strings.Contains(prefix, "r") {
				return "", false
			}
			return v, true
		}
	}
	return "", false
}

// stringList evaluates [..] / (..) of string literals, or a module-level
// name assigned such a list exactly once. It returns the names and the
// tokens to report them at.
func (f *file) stringList(ts []Token) ([]string, []Token, bool) {
	if len(ts) == 1 && ts[0].Kind == NAME {
		if def := f.moduleConst(ts[0].Text); def != nil {
			return f.stringList(def)
		}
		return nil, nil, false
	}
	if len(ts) < 2 || ts[0].Kind != OP || (ts[0].Text != "[" && ts[0].Text != "(") {
		// A single string is a one-label tuple in prometheus_client.
		if s, ok := f.stringValue(ts); ok {
			return []string{s}, ts, true
		}
		return nil, nil, false
	}
	var names []string
	var toks []Token
	ok := true
	for _, el := range splitTop(ts[1:len(ts)-1], ",") {
		if len(el) == 0 {
			continue
		}
		s, good := f.stringValue(el)
		if !good {
			ok = false
			continue
		}
		names = append(names, s)
		toks = append(toks, el[0])
	}
	return names, toks, ok
}

// moduleConst returns the value tokens of "NAME = value" when NAME is
// assigned exactly once at module level.
func (f *file) moduleConst(name string) []Token {
	var val []Token
	n := 0
	for _, ll := range f.logical {
		ts := f.code[ll.start:ll.end]
		if len(ts) >= 3 && ts[0].Kind == NAME && ts[0].Text == name && ts[1].Kind == OP && ts[1].Text == "=" {
			n++
			val = ts[2:]
		} else if len(ts) >= 2 && ts[0].Kind == NAME && ts[0].Text == name && ts[1].Kind == OP && strings.HasSuffix(ts[1].Text, "=") {
			n++ // augmented assignment
		}
	}
	if n != 1 {
		return nil
	}
	return val
}

func isKeyword(s string) bool {
	switch s {
	case "if", "elif", "while", "for", "in", "not", "and", "or", "return", "yield", "assert", "del", "lambda", "with", "as", "is", "await", "else", "from", "import", "raise", "except", "def", "class":
		return true
	}
	return false
}

// A pyDirective is a lint-ok comment with its source text.
type pyDirective struct {
	suppress.Directive
	Off  int
	text string
}

// directives parses the lint-ok comments and computes what each covers:
// a trailing comment covers its logical line, a comment on its own line
// the next logical line.
func (f *file) directives() []*pyDirective {
	var out []*pyDirective
	for i, t := range f.toks {
		if t.Kind != COMMENT || !strings.Contains(t.Text, "-ok") {
			continue
		}
		pds := suppress.ParseAll(t.Text)
		if len(pds) == 0 {
			continue
		}
		trailing := false
		for j := i - 1; j >= 0 && f.toks[j].EndLine >= t.Line; j-- {
			if k := f.toks[j].Kind; k != NL && k != NEWLINE && k != INDENT && k != DEDENT && k != COMMENT {
				trailing = true
				break
			}
		}
		from, to := t.Line+1, t.Line+1
		if trailing {
			from, to = t.Line, t.Line
			for _, ll := range f.logical {
				if ll.first <= t.Line && t.Line <= ll.last {
					from, to = ll.first, ll.last
					break
				}
			}
		} else {
			for _, ll := range f.logical {
				if ll.first > t.Line {
					from, to = ll.first, ll.last
					break
				}
			}
		}
		for _, pd := range pds {
			d := &pyDirective{Directive: suppress.Directive{Line: t.Line, Col: t.Col + 1 + pd.Offset, Rules: pd.Rules, Reason: pd.Reason,
				FileLevel: pd.FileLevel, From: from, To: to}, Off: t.Off + pd.Offset, text: t.Text[pd.Offset:]}
			out = append(out, d)
		}
	}
	return out
}
