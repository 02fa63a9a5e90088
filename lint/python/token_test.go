package python

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func kinds(toks []Token) []string {
	var out []string
	for _, t := range toks {
		if t.Kind == NL || t.Kind == NEWLINE || t.Kind == ENDMARKER || t.Kind == INDENT || t.Kind == DEDENT {
			out = append(out, t.Kind.String())
			continue
		}
		out = append(out, t.Kind.String()+" "+t.Text)
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		give string
		want []string
	}{
		{"call", "x.labels(env='a')\n", []string{"NAME x", "OP .", "NAME labels", "OP (", "NAME env", "OP =", "STRING 'a'", "OP )", "NEWLINE", "ENDMARKER"}},
		{"comment", "a = 1  # labels(user=1)\n", []string{"NAME a", "OP =", "NUMBER 1", "COMMENT # labels(user=1)", "NEWLINE", "ENDMARKER"}},
		{"triple", "s = '''a\n'b'\n''' + \"\"\"x\"\"\"\n", []string{"NAME s", "OP =", "STRING '''a\n'b'\n'''", "OP +", `STRING """x"""`, "NEWLINE", "ENDMARKER"}},
		{"prefixes", "rb'\\'' Rf\"{x}\" u'a' B'b'\n", []string{`STRING rb'\''`, `STRING Rf"{x}"`, "STRING u'a'", "STRING B'b'", "NEWLINE", "ENDMARKER"}},
		{"fstring-nested-quotes", "f\"{d[\"k\"]} and {g(\"}\")}\"\n", []string{`STRING f"{d["k"]} and {g("}")}"`, "NEWLINE", "ENDMARKER"}},
		{"fstring-spec", "f'{x:{w}.{p}f}' f'{{literal}}'\n", []string{"STRING f'{x:{w}.{p}f}'", "STRING f'{{literal}}'", "NEWLINE", "ENDMARKER"}},
		{"fstring-nested-f", "f'{f\"{y!r}\"}'\n", []string{`STRING f'{f"{y!r}"}'`, "NEWLINE", "ENDMARKER"}},
		{"continuation", "x = 1 + \\\n    2\n", []string{"NAME x", "OP =", "NUMBER 1", "OP +", "NUMBER 2", "NEWLINE", "ENDMARKER"}},
		{"brackets", "f(a,\n  b)\n", []string{"NAME f", "OP (", "NAME a", "OP ,", "NL", "NAME b", "OP )", "NEWLINE", "ENDMARKER"}},
		{"indent", "def f():\n    return 1\n\nx\n", []string{"NAME def", "NAME f", "OP (", "OP )", "OP :", "NEWLINE", "INDENT", "NAME return", "NUMBER 1", "NEWLINE", "NL", "DEDENT", "NAME x", "NEWLINE", "ENDMARKER"}},
		{"unterminated", "x = 'abc\ny\n", []string{"NAME x", "OP =", "ERRORTOKEN 'abc", "NEWLINE", "NAME y", "NEWLINE", "ENDMARKER"}},
		{"numbers", "1_000 0x_ff 1.5e-3 3j .5\n", []string{"NUMBER 1_000", "NUMBER 0x_ff", "NUMBER 1.5e-3", "NUMBER 3j", "NUMBER .5", "NEWLINE", "ENDMARKER"}},
		{"ops", "a **= b // c -> d := e != f ...\n", []string{"NAME a", "OP **=", "NAME b", "OP //", "NAME c", "OP ->", "NAME d", "OP :=", "NAME e", "OP !=", "NAME f", "OP ...", "NEWLINE", "ENDMARKER"}},
		{"unicode-name", "größe = 'ü'\n", []string{"NAME größe", "OP =", "STRING 'ü'", "NEWLINE", "ENDMARKER"}},
		{"no-final-newline", "x", []string{"NAME x", "NEWLINE", "ENDMARKER"}},
		{"crlf", "a = (1,\r\n 2)\r\n", []string{"NAME a", "OP =", "OP (", "NUMBER 1", "OP ,", "NL", "NUMBER 2", "OP )", "NEWLINE", "ENDMARKER"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kinds(Tokenize([]byte(tt.give)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Tokenize(%q) mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

func TestTokenPositions(t *testing.T) {
	src := "x = '''a\nb''' ; y\n"
	toks := Tokenize([]byte(src))
	type pos struct{ Line, Col, EndLine, EndCol int }
	var got []pos
	for _, tk := range toks[:5] {
		got = append(got, pos{tk.Line, tk.Col, tk.EndLine, tk.EndCol})
	}
	want := []pos{{1, 0, 1, 1}, {1, 2, 1, 3}, {1, 4, 2, 4}, {2, 5, 2, 6}, {2, 7, 2, 8}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions of %q mismatch (-want +got):\n%s", src, diff)
	}
}

// FuzzTokenize checks invariants on arbitrary input: no panic, tokens in
// order and within bounds, texts equal to their source spans, one
// ENDMARKER at the end, and balanced INDENT/DEDENT.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"x.labels(env='a')\n", "f\"{d[\"k\"]}\"", "'''\n", "def f():\n\tif x:\n  y\n", "\\\n", "f'{", "#", "\r\n\r", "0x", "a\\\rb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize([]byte(s))
		if len(toks) == 0 || toks[len(toks)-1].Kind != ENDMARKER {
			t.Fatalf("Tokenize(%q): no final ENDMARKER", s)
		}
		off, depth := 0, 0
		for _, tk := range toks {
			if tk.Off < off || tk.Off+len(tk.Text) > len(s) {
				t.Fatalf("Tokenize(%q): token %v out of order or bounds (prev end %d)", s, tk, off)
			}
			if tk.Kind != INDENT && s[tk.Off:tk.Off+len(tk.Text)] != tk.Text {
				t.Fatalf("Tokenize(%q): token text %q differs from source", s, tk.Text)
			}
			if tk.Line < 1 || tk.EndLine < tk.Line {
				t.Fatalf("Tokenize(%q): bad lines in %v", s, tk)
			}
			if tk.Kind != INDENT {
				off = tk.Off + len(tk.Text)
			}
			switch tk.Kind {
			case INDENT:
				depth++
			case DEDENT:
				depth--
			}
			if depth < 0 {
				t.Fatalf("Tokenize(%q): DEDENT without INDENT", s)
			}
		}
		if depth != 0 {
			t.Fatalf("Tokenize(%q): %d unclosed INDENTs", s, depth)
		}
	})
}

// cpythonTokens runs CPython's tokenize on path. ok is false when CPython
// rejects the file.
func cpythonTokens(t *testing.T, py, path string) (toks [][]any, ok bool) {
	t.Helper()
	cmd := exec.Command(py, filepath.Join("testdata", "pytokens.py"), path)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			return nil, false
		}
		t.Fatalf("%s: %v\n%s", py, err, stderr.String())
	}
	if err := json.Unmarshal(out.Bytes(), &toks); err != nil {
		t.Fatal(err)
	}
	return toks, true
}

// ours renders our tokens like pytokens.py, columns in code points.
func ours(src []byte) [][]any {
	lines := bytes.SplitAfter(src, []byte("\n"))
	col := func(line, c int) int {
		if line-1 < len(lines) && c <= len(lines[line-1]) {
			return utf8.RuneCount(lines[line-1][:c])
		}
		return c
	}
	var out [][]any
	for _, t := range Tokenize(src) {
		out = append(out, []any{t.Kind.String(), t.Text, float64(t.Line), float64(col(t.Line, t.Col))})
	}
	return out
}

// TestDifferentialCPython compares our tokens with CPython's tokenize on
// the fixtures and on a sample of the Python standard library, when
// python3 is on PATH. Compared: kind, text and start position of every
// token except the synthetic end-of-file NEWLINE, DEDENT and ENDMARKER.
func TestDifferentialCPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.py"))
	more, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.py"))
	files = append(files, more...)
	out, err := exec.Command(py, "-c", "import os, tokenize; print(os.path.dirname(tokenize.__file__))").Output()
	if err == nil {
		stdlib := strings.TrimSpace(string(out))
		for _, name := range []string{"tokenize.py", "argparse.py", "json/encoder.py", "string.py", "textwrap.py", "dataclasses.py", "ast.py", "logging/__init__.py"} {
			if _, err := os.Stat(filepath.Join(stdlib, name)); err == nil {
				files = append(files, filepath.Join(stdlib, name))
			}
		}
	}
	if testing.Short() {
		files = files[:min(len(files), 3)]
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := cpythonTokens(t, py, path)
			if !ok {
				t.Skip("CPython rejects the file")
			}
			got := ours(src)
			trim := func(ts [][]any) [][]any {
				var out [][]any
				for _, tk := range ts {
					k := tk[0].(string)
					if k == "ENDMARKER" {
						continue
					}
					if k == "NEWLINE" && tk[1] == "" {
						continue // synthetic newline at EOF
					}
					out = append(out, tk[:4])
				}
				return out
			}
			w, g := trim(want), trim(got)
			if len(w) < 5 {
				t.Fatalf("%s: CPython gave only %d tokens", path, len(w))
			}
			for i := range min(len(w), len(g)) {
				if fmt.Sprint(w[i]) != fmt.Sprint(g[i]) {
					t.Fatalf("%s: token %d: CPython %v, ours %v", path, i, w[i], g[i])
				}
			}
			if len(w) != len(g) {
				t.Fatalf("%s: CPython has %d tokens, ours %d", path, len(w), len(g))
			}
		})
	}
}
