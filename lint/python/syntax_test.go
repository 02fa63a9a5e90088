package python

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var syntaxTests = []struct {
	name, src string
	want      *SyntaxError // nil: valid
}{
	{"valid", "def f(x):\n    return (x,\n            [1, {2: 3}])\n", nil},
	{"valid one-line block", "if x: pass\nclass A: ...\n", nil},
	{"valid comment after colon", "for i in x:  # loop\n    # body\n    pass\n", nil},
	{"valid dict across lines", "d = {\n    'a':\n        1,\n}\n", nil},
	{"valid f-string", "x = f\"{d['k']:>10}\"\n", nil},
	{"valid continuation", "x = 1 + \\\n    2\n", nil},
	{"unclosed paren", "print(1,\n      2\n", &SyntaxError{Line: 1, Col: 6, Msg: "'(' was never closed"}},
	{"unclosed bracket in def", "def f(a, b:\n    pass\n", &SyntaxError{Line: 1, Col: 6, Msg: "'(' was never closed"}},
	{"unterminated triple quote", "x = 1\ns = \"\"\"doc\nmore\n", &SyntaxError{Line: 2, Col: 5, Msg: "unterminated triple-quoted string literal"}},
	{"unterminated string", "s = 'abc\nx = 1\n", &SyntaxError{Line: 1, Col: 5, Msg: "unterminated string literal"}},
	{"unterminated prefixed", "s = rb\"abc\n", &SyntaxError{Line: 1, Col: 5, Msg: "unterminated string literal"}},
	{"unmatched close", "x = 1)\n", &SyntaxError{Line: 1, Col: 6, Msg: "unmatched ')'"}},
	{"mismatched", "x = [1, 2)\n", &SyntaxError{Line: 1, Col: 10, Msg: "closing parenthesis ')' does not match opening parenthesis '[' on line 1"}},
	{"invalid character", "x = 1 $ 2\n", &SyntaxError{Line: 1, Col: 7, Msg: `invalid character "$"`}},
	{"unexpected indent", "x = 1\n    y = 2\n", &SyntaxError{Line: 2, Col: 1, Msg: "unexpected indent"}},
	{"expected block", "def f():\nreturn 1\n", &SyntaxError{Line: 2, Col: 1, Msg: "expected an indented block after line 1"}},
	{"expected block at end", "if x:\n", &SyntaxError{Line: 2, Col: 1, Msg: "expected an indented block after line 1"}},
}

func TestSyntax(t *testing.T) {
	for _, tt := range syntaxTests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Syntax([]byte(tt.src))); diff != "" {
				t.Errorf("Syntax(%q) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// TestSyntaxAgainstCPython checks every case against CPython's compiler
// when python3 is on PATH: what we reject, CPython rejects too, and what
// CPython accepts, we accept. The fixtures of the rules must be valid.
func TestSyntaxAgainstCPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	dir := t.TempDir()
	compiles := func(src []byte) bool {
		p := filepath.Join(dir, "case.py")
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(py, "-c", "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')", p)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		return cmd.Run() == nil
	}
	for _, tt := range syntaxTests {
		if got := compiles([]byte(tt.src)); got != (tt.want == nil) {
			t.Errorf("%s: CPython compiles %q: %v; the test expects a syntax error: %v", tt.name, tt.src, got, tt.want != nil)
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.py"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if e := Syntax(src); e != nil && compiles(src) {
			t.Errorf("Syntax(%s) = %v, but CPython compiles it", f, e)
		}
	}
}

func FuzzSyntax(f *testing.F) {
	for _, tt := range syntaxTests {
		f.Add([]byte(tt.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		e := Syntax(src)
		if e != nil && (e.Line < 1 || e.Col < 1) {
			t.Errorf("Syntax(%q) = %v: position out of range", src, e)
		}
	})
}
