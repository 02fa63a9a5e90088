package secrets

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// The unit tests of redact.py (tests/test_redact_unit.py and
// tests/test_redact_extended.py), as recorded in the seed inventory.
func TestRedactOriginalSemantics(t *testing.T) {
	tests := []struct {
		give        string
		contains    []string
		notContains []string
	}{
		{give: "bybit_api_key=abc123def456789012345", contains: []string{"bybit_api_key=****"}, notContains: []string{"abc123def456789012345"}}, // soakkit:allow: test fixture, not a credential
		{give: "api_secret=SeCrEt1234567890abcdefXYZ", contains: []string{"api_secret="}, notContains: []string{"SeCrEt1234567890abcdefXYZ"}},   // soakkit:allow: test fixture, not a credential
		{give: "key AKIAIOSFODNN7EXAMPLE here", contains: []string{"key **** here"}},
		{give: "hash deadbeefdeadbeefdeadbeef01", contains: []string{"hash ****"}},
		{give: "mail me: someone@example.com", contains: []string{"mail me: ****"}},
		{give: "public 203.0.113.42 end", contains: []string{"public **** end"}},
		{give: `{"orderId":"1234567890abcdef1234"}`, notContains: []string{"1234567890abcdef1234"}},
		{give: "local 127.0.0.1 lan 192.168.1.1 ten 10.0.0.1 b 172.16.0.1", contains: []string{"127.0.0.1", "192.168.1.1", "10.0.0.1", "172.16.0.1"}},
		{give: "line1\r\nline2\n", contains: []string{"line1\r\nline2\n"}},
	}
	for _, tt := range tests {
		got := Redact(tt.give)
		for _, c := range tt.contains {
			if !strings.Contains(got, c) {
				t.Errorf("Redact(%q) = %q, want it to contain %q", tt.give, got, c)
			}
		}
		for _, c := range tt.notContains {
			if strings.Contains(got, c) {
				t.Errorf("Redact(%q) = %q, want no %q", tt.give, got, c)
			}
		}
	}
}

func TestRedactPatternsExact(t *testing.T) {
	tests := []struct{ give, want string }{
		{"x AKIA0123456789ABCDEF y", "x **** y"},            // soakkit:allow: test fixture, not a credential
		{"x " + strings.Repeat("a", 40) + " y", "x **** y"}, // 40-run (and base64ish)
		{"=" + strings.Repeat("Ab", 20), "=****"},           // pattern 3 refuses after '=', pattern 5 masks
		{"short abcdef0123 ok", "short abcdef0123 ok"},      // under 20
		{"v1.2.3.4 and 300.1.2.3", "v**** and ****"},        // digits only bounded by digits
		{"10.1.2.3.4", "10.****"},                           // as redact.py does: a match later in the run
		{"172.32.0.1 vs 172.31.0.1", "**** vs 172.31.0.1"},
		{"test_api_key_for_ci_only", "****"},                 // BASE64ISH noise, as in redact.py
		{"password = 'hunter2hunter2'", "password = '****'"}, // soakkit:allow: test fixture, not a credential
		{"TOKEN: \"abc def ghi\"", `TOKEN: "****"`},
		{"orderLinkId=0123456789abcdef", "****"},
		{"orderLinkId=0123456789abcdef0123", "orderLinkId=****"}, // LONG_HEX runs first, as in redact.py
	}
	for _, tt := range tests {
		if got := redactOriginal(tt.give); got != tt.want {
			t.Errorf("redactOriginal(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestRedactMasksEveryRule(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, k := range gen.Kinds {
		v := k.Gen(r)
		in := "before " + k.Name + "=" + v + " after\n"
		got := Redact(in)
		if strings.Contains(got, v) {
			t.Errorf("Redact(%q) = %q: secret survives", in, got)
		}
		if !strings.HasPrefix(got, "before ") || !strings.HasSuffix(got, " after\n") {
			t.Errorf("Redact(%q) = %q: surrounding text lost", in, got)
		}
	}
}

func TestRedactEnv(t *testing.T) {
	if got := RedactEnv("DB_PASSWORD", "hunter2"); got != Mask { // soakkit:allow: fixture
		t.Errorf("RedactEnv(DB_PASSWORD) = %q, want %q", got, Mask)
	}
	if got := RedactEnv("HOME", "/home/ci"); got != "/home/ci" {
		t.Errorf("RedactEnv(HOME) = %q, want unchanged", got)
	}
}

// writeChunked writes s to a redacting writer in pieces of n bytes.
func writeChunked(t *testing.T, r *Redactor, s string, n int) string {
	t.Helper()
	var out bytes.Buffer
	w := r.NewWriter(&out)
	for len(s) > 0 {
		k := min(n, len(s))
		if _, err := w.Write([]byte(s[:k])); err != nil {
			t.Fatalf("Write: %v", err)
		}
		s = s[k:]
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return out.String()
}

func TestWriterMatchesRedact(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var sb strings.Builder
	for i := 0; i < 200; i++ {
		k := gen.Kinds[r.IntN(len(gen.Kinds))]
		sb.WriteString("log line " + gen.Str(r, "abcdefgh ", 30) + " " + k.Name + "=" + k.Gen(r) + " 127.0.0.1\n")
	}
	in := sb.String()
	want := Redact(in)
	for _, n := range []int{1, 7, 64, 4096, len(in)} {
		var rd Redactor
		if diff := cmp.Diff(want, writeChunked(t, &rd, in, n)); diff != "" {
			t.Errorf("writer with %d-byte writes differs from Redact (-want +got):\n%s", n, diff)
		}
	}
}

func TestWriterPEMAcrossWrites(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	key := gen.PEM(r, "RSA", 40)
	in := "start\n" + key + "\nend\n"
	for _, n := range []int{1, 13, 100} {
		var rd Redactor
		got := writeChunked(t, &rd, in, n)
		for _, line := range strings.Split(key, "\n") {
			if len(line) > 8 && strings.Contains(got, line) && !strings.HasPrefix(line, "-----") {
				t.Fatalf("n=%d: key line %q survives in %q", n, line, got)
			}
		}
		if !strings.HasPrefix(got, "start\n") || !strings.HasSuffix(got, "\nend\n") {
			t.Errorf("n=%d: got %q", n, got)
		}
	}
}

func TestWriterBoundedMemory(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	rd := &Redactor{MaxHold: 4096}
	// A private key far longer than MaxHold, and a line with no newline.
	key := gen.PEM(r, "RSA", 400)
	tok := gen.Kinds[3].Gen(r)
	long := strings.Repeat("word ", 10000) + "token=" + tok + " " + strings.Repeat("z", 20000)
	for _, in := range []string{"a\n" + key + "\nb\n", long} {
		var out bytes.Buffer
		w := rd.NewWriter(&out).(*redactWriter)
		peak := 0
		for s := in; len(s) > 0; {
			k := min(1000, len(s))
			w.Write([]byte(s[:k]))
			s = s[k:]
			peak = max(peak, len(w.buf))
		}
		w.Close()
		if peak > 3*4096+4096 {
			t.Errorf("buffer peaked at %d bytes, want <= %d", peak, 4*4096)
		}
		for _, line := range strings.Split(key, "\n")[1:5] {
			if strings.Contains(out.String(), line) {
				t.Errorf("key line %q survives", line)
			}
		}
		if strings.Contains(out.String(), tok) {
			t.Errorf("token %q in an over-long line survives", tok)
		}
	}
}

func TestWriterHalfWriter(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	in := "token: ghp_notarealtoken and password=Sup3rS3cret!x\n" // soakkit:allow: test fixture, not a credential
	if _, err := io.Copy(w, iotest.OneByteReader(strings.NewReader(in))); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if strings.Contains(out.String(), "Sup3rS3cret!x") {
		t.Errorf("got %q", out.String())
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Errorf("Write after Close succeeded")
	}
}

func TestRedactorRulesOnly(t *testing.T) {
	rd := &Redactor{RulesOnly: true, Values: []string{"hunter22"}}
	in := `{"Test":"TestSomethingWithAVeryLongName","Output":"ip 203.0.113.7 pw hunter22 token=ghp_` + "x\"}"
	r := rand.New(rand.NewPCG(5, 5))
	tok := gen.Kinds[3].Gen(r)
	in = strings.Replace(in, "ghp_x", tok, 1)
	want := `{"Test":"TestSomethingWithAVeryLongName","Output":"ip 203.0.113.7 pw **** token=****"}`
	if got := rd.Redact(in); got != want {
		t.Errorf("Redact(%q) = %q, want %q", in, got, want)
	}
}
