package boundary

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

type upper struct{}

func (upper) Redact(s string) string              { return strings.ToUpper(s) }
func (upper) RedactArgv(a []string) []string      { return []string{strings.ToUpper(strings.Join(a, " "))} }
func (upper) RedactEnv(name, value string) string { return name + ":" + value }
func (upper) NewWriter(w io.Writer) io.WriteCloser {
	return nopCloser{writerFunc(func(p []byte) (int, error) { return w.Write(bytes.ToUpper(p)) })}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestBoundary(t *testing.T) {
	old := Set(nil)
	t.Cleanup(func() { Set(old) })
	if String("a") != "a" || Env("K", "v") != "v" || Argv([]string{"x"})[0] != "x" {
		t.Errorf("with no redactor, text must pass unchanged")
	}
	Set(upper{})
	if got := String("a"); got != "A" {
		t.Errorf("String = %q", got)
	}
	if got := Env("K", "v"); got != "K:v" {
		t.Errorf("Env = %q", got)
	}
	if got := Argv([]string{"a", "b"}); len(got) != 1 || got[0] != "A B" {
		t.Errorf("Argv = %q", got)
	}
	var buf bytes.Buffer
	w := Writer(&buf)
	io.WriteString(w, "abc")
	w.Close()
	if buf.String() != "ABC" {
		t.Errorf("Writer wrote %q", buf.String())
	}
}
