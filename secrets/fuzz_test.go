package secrets

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/secrets/internal/gen"
)

func fuzzSeeds(f *testing.F) {
	r := rand.New(rand.NewPCG(99, 99))
	for _, k := range gen.Kinds {
		f.Add(k.Name + "=" + k.Gen(r) + "\n")
	}
	for _, d := range gen.Decoys(r) {
		f.Add(d)
	}
	for _, k := range gen.Kinds[:8] { // tokens hex-encoded, alone and after a key
		v := hex.EncodeToString([]byte(k.Gen(r)))
		f.Add("blob " + v + "\n")
		f.Add("payload=" + strings.ToUpper(v) + "\n")
	}
	f.Add("password = \"a\\\"b\\\"c123456\"")
	f.Add("-----BEGIN RSA PRIVATE KEY-----\\nAAAA")
	f.Add("<token>" + strings.Repeat("Ab1", 10) + "</token>")
	// Regressions of the invariant itself: a secret that is also part of
	// the rule ID ("database-uri-password"), and one that recurs as other
	// text in the match. Split so the self-scan does not flag this file.
	f.Add("postgres://:" + "sswo@0")
	f.Add("A://:RcPWp" + "@RcPWp")
	f.Add("sswo://:" + "sswo@0")
}

// FuzzRedact checks the redaction invariant: no secret the scanner finds in
// s survives Redact(s) or the streaming writer.
func FuzzRedact(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		var buf bytes.Buffer
		w := (&Redactor{MaxHold: 1024}).NewWriter(&buf)
		for rest := s; len(rest) > 0; {
			k := min(len(rest), 1+len(rest)%97)
			w.Write([]byte(rest[:k]))
			rest = rest[k:]
		}
		w.Close()
		if want := (&Redactor{MaxHold: 1024}).Redact(s); buf.String() != want {
			t.Errorf("writer output %q differs from Redact %q", buf.String(), want)
		}
		for _, fd := range ScanString(s) {
			if fd.Secret == "" || elsewhere(s, fd.Secret) || before(s, fd) {
				continue
			}
			if strings.Contains(out, fd.Secret) {
				t.Errorf("Redact leaks %s secret %q: %q", fd.RuleID, fd.Secret, out)
			}
			// The location and rule ID are not secret: a short secret such
			// as "sswo" may occur in "database-uri-password".
			text := strings.TrimPrefix(fd.String(), fd.Location()+": "+fd.RuleID+": ")
			if strings.Contains(fd.Match, fd.Secret) || strings.Contains(text, fd.Secret) {
				t.Errorf("finding text leaks its secret %q: %q", fd.Secret, fd.Match)
			}
		}
		for _, fd := range ScanString(s + "\n") {
			if fd.RuleID != "private-key" && !strings.Contains(fd.Secret, "\n") && !elsewhere(s, fd.Secret) && !before(s, fd) && len(s) < 1000 && strings.Contains(buf.String(), fd.Secret) {
				t.Errorf("writer leaks %s secret %q: %q", fd.RuleID, fd.Secret, buf.String())
			}
		}
	})
}

// before reports whether fd's secret also occurs in s before the line it
// was found on: a redactor masks a secret where it is found and wherever
// it recurs later, but a stream cannot take back what it has written.
func before(s string, fd Finding) bool {
	ls := 0
	for n := 1; n < fd.Line; n++ {
		i := strings.IndexByte(s[ls:], '\n')
		if i < 0 {
			break
		}
		ls += i + 1
	}
	i := strings.Index(s, fd.Secret)
	return i >= 0 && i < ls
}

// elsewhere reports whether a secret no longer than Mask also occurs in s
// as other text (a URI scheme, a user name). Redact masks every occurrence
// of a longer secret, but a short one only where it was found.
func elsewhere(s, secret string) bool {
	return len(secret) <= len(Mask) && strings.Count(s, secret) > 1
}

// FuzzDetect checks that the rule engine never panics and that spans stay
// in range.
func FuzzDetect(f *testing.F) {
	fuzzSeeds(f)
	det := defaultDetector()
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		for _, c := range det.detect(b, det.newScratch(), nil, 0) {
			sp := c.sp
			if sp.start < 0 || sp.end > len(b) || sp.start > sp.sStart || sp.sEnd > sp.end || sp.sStart >= sp.sEnd {
				t.Fatalf("bad span %+v for input of %d bytes", sp, len(b))
			}
		}
		_ = ScanString(s)
	})
}

// FuzzParseConfig checks that any TOML input yields a config or an error.
func FuzzParseConfig(f *testing.F) {
	f.Add(`[extend]
useDefault = true
[[rules]]
id = "x"
regex = '''x-[a-z]{8}'''
keywords = ["x-"]
[[allowlists]]
paths = ['''^vendor/''']
globs = ["**/testdata/**"]
stopwords = ["dummy"]
`)
	f.Add("title = 1")
	f.Add("[[rules]]\nid = \"a\"\nregex = \"(\"")
	f.Add("[[rules]]\nid = \"a\"\nregex = \"a\"\n[[rules.required]]\nid = \"b\"\nwithinLines = 2\n[[rules]]\nid = \"b\"\nregex = \"b\"\nskipReport = true\n")
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := ParseConfig("fuzz.toml", []byte(s))
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
		if err == nil {
			if _, err := (&Scanner{Rules: cfg.Rules, Allowlists: cfg.Allowlists}).compile(); err != nil && len(cfg.Rules) > 0 {
				var ce *ConfigError
				if errors.As(err, &ce) && strings.Contains(ce.Field, "required") {
					t.Errorf("ParseConfig accepted requirements the Scanner rejects: %v", err)
				}
			}
		}
	})
}

// FuzzParseOriginalAllowlist checks the scan_secrets.py allowlist parser and the
// baseline parser on arbitrary input.
func FuzzParseOriginalAllowlist(f *testing.F) {
	f.Add("# c\n****\n^X{4,}$\ntests/**\n[a-\n")
	f.Add("0123456789abcdef0123456789abcdef\n")
	f.Fuzz(func(t *testing.T, s string) {
		als, err := ParseOriginalAllowlist("a", strings.NewReader(s))
		if err == nil {
			for i := range als {
				als[i].matches("r", "p/q.py", "secret", "m", s, "")
			}
		}
		ParseBaseline("b", []byte(s))
	})
}

// FuzzWriterSplits writes generated log text with planted secrets (private
// key blocks included) through the streaming writer in fuzzed piece sizes,
// and checks that no secret survives and that text without key blocks
// comes out exactly as Redact makes it.
func FuzzWriterSplits(f *testing.F) {
	f.Add(uint64(1), uint16(1), false)
	f.Add(uint64(2), uint16(4095), true)
	f.Fuzz(func(t *testing.T, seed uint64, piece uint16, keys bool) {
		r := rand.New(rand.NewPCG(seed, 7))
		var sb strings.Builder
		var secrets []string
		for i := 0; i < 30; i++ {
			k := gen.Kinds[r.IntN(len(gen.Kinds))]
			if strings.Contains(k.Rule, "private-key") && !keys {
				continue
			}
			v := k.Gen(r)
			secrets = append(secrets, v)
			sb.WriteString(gen.Str(r, "abc =:\"", 10) + " " + k.Name + "=" + v + "\n")
		}
		in := sb.String()
		var out bytes.Buffer
		w := (&Redactor{MaxHold: 2048}).NewWriter(&out)
		n := int(piece)%5000 + 1
		for s := in; len(s) > 0; {
			k := min(n, len(s))
			w.Write([]byte(s[:k]))
			s = s[k:]
		}
		w.Close()
		got := out.String()
		for _, v := range secrets {
			for _, line := range strings.Split(v, "\n") {
				if len(line) > 8 && !strings.HasPrefix(line, "-----") && strings.Contains(got, line) {
					t.Fatalf("secret %q survives in %q", line, got)
				}
			}
		}
		if !keys && got != Redact(in) {
			t.Errorf("writer output differs from Redact for piece size %d", n)
		}
	})
}
