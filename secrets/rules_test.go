package secrets

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// syntaxes embed a name and a value the way source and config files do.
var syntaxes = []struct {
	name string
	fmt  func(k, v string) string
}{
	{"env", func(k, v string) string { return k + "=" + v }},
	{"yaml", func(k, v string) string { return "  " + k + ": " + v }},
	{"yaml-quoted", func(k, v string) string { return "  " + k + ": '" + v + "'" }},
	{"json", func(k, v string) string { return `{"` + k + `": "` + v + `", "x": 1}` }},
	{"go", func(k, v string) string { return "\t" + k + ` := "` + v + `"` }},
	{"python", func(k, v string) string { return k + ` = "` + v + `"  # config` }},
	{"toml", func(k, v string) string { return k + ` = "` + v + `"` }},
	{"xml", func(k, v string) string { return "<" + k + ">" + v + "</" + k + ">" }},
	{"escaped-json", func(k, v string) string { return `"{\"` + k + `\":\"` + v + `\"}"` }},
	{"shell", func(k, v string) string { return "export " + k + "=\"" + v + "\"" }},
}

func TestBuiltinRulesTruePositives(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range gen.Kinds {
		for _, sx := range syntaxes {
			if strings.Contains(k.Rule, "private-key") && sx.name != "env" {
				continue // covered by TestPrivateKeyEmbeddings
			}
			for n := 0; n < 5; n++ {
				v := k.Gen(r)
				text := "line one\n" + sx.fmt(k.Name, v) + "\nline three\n"
				fs := ScanString(text)
				found := false
				for _, f := range fs {
					if f.RuleID == k.Rule && strings.Contains(v, f.Secret) && f.Line == 2 {
						found = true
					}
				}
				if !found {
					t.Errorf("%s/%s: ScanString(%q) = %v, want a %s finding on line 2", k.Rule, sx.name, text, fs, k.Rule)
					break
				}
			}
		}
	}
}

// TestBuiltinRulesDecoys checks that the corpus' decoys do not fail a
// default scan: none yields a finding, except tokens of a checksummed
// format whose checksum fails, which are listed suppressed as such.
func TestBuiltinRulesDecoys(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20; i++ {
		for _, d := range gen.Decoys(r) {
			for _, f := range ScanString(d + "\n") {
				if f.Suppressed != ChecksumMismatch {
					t.Errorf("ScanString(%q) finds %v (suppressed: %q), want no finding or one suppressed as %q", d, f, f.Suppressed, ChecksumMismatch)
				}
			}
		}
	}
}

func TestPrivateKeyEmbeddings(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	key := gen.PEM(r, "RSA", 20)
	esc := strings.ReplaceAll(key, "\n", `\n`)
	yaml := "tls.key: |\n    " + strings.ReplaceAll(key, "\n", "\n    ") + "\n"
	tests := []struct{ name, give string }{
		{"raw", "x\n" + key + "\ny\n"},
		{"json-escaped", `{"private_key": "` + esc + `\n"}`},
		{"yaml-block", yaml},
		{"heredoc", "cat <<EOF > id_rsa\n" + key + "\nEOF\n"},
		{"go-raw-string", "const k = `" + key + "`\n"},
		{"concatenated", `key = "` + strings.ReplaceAll(key, "\n", `\n" +`+"\n"+`  "`) + `"`},
		{"base64", "data:\n  tls.key: " + b64(key) + "\n"},
		{"truncated", "x\n" + key[:len(key)/2]},
	}
	for _, tt := range tests {
		fs := ScanString(tt.give)
		n := 0
		for _, f := range fs {
			if f.RuleID == "private-key" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: got %d private-key findings, want 1: %v", tt.name, n, fs)
		}
	}
}

func TestChecksum(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	body := gen.Str(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 30)
	if got, want := base62CRC(body), gen.CRC62(body); got != want {
		t.Fatalf("base62CRC(%q) = %q, want %q", body, got, want)
	}
	if !checksumOK(body + gen.CRC62(body)) {
		t.Errorf("checksumOK rejects a valid body")
	}
	if checksumOK(body+"000000") && gen.CRC62(body) != "000000" {
		t.Errorf("checksumOK accepts a wrong checksum")
	}
}

func TestGenericLexerKeys(t *testing.T) {
	tests := []struct {
		give string
		want string // rule id or ""
	}{
		{`password = "Tr0ub4dor&3x"`, "generic-password"}, // soakkit:allow: test fixture, not a credential
		{`DB_PASS=Tr0ub4dor&3x`, "generic-password"},      // soakkit:allow: test fixture, not a credential
		{`dbPass: Tr0ub4dor&3x`, "generic-password"},      // soakkit:allow: test fixture, not a credential
		{`bypass = "Tr0ub4dor&3x"`, ""},
		{`compass: Tr0ub4dor&3x`, ""},
		{`-Dspring.datasource.password=Tr0ub4dor&3x`, "generic-password"}, // soakkit:allow: test fixture, not a credential
		{`"clientSecret": "q8Zk2LmP0vN7xR4tW9yB"`, "generic-secret"},      // soakkit:allow: test fixture, not a credential
		{`<apiKey>q8Zk2LmP0vN7xR4tW9yB</apiKey>`, "generic-secret"},       // soakkit:allow: test fixture, not a credential
		{`token_url = "q8Zk2LmP0vN7xR4tW9yB"`, ""},
		{`if password == "Tr0ub4dor&3x" {`, ""},
		{`bybit_api_key=abc123def456789012345`, "generic-secret"}, // soakkit:allow: test fixture, not a credential
	}
	for _, tt := range tests {
		fs := ScanString(tt.give)
		got := ""
		if len(fs) > 0 {
			got = fs[0].RuleID
		}
		if got != tt.want {
			t.Errorf("ScanString(%q) rule = %q, want %q (%v)", tt.give, got, tt.want, fs)
		}
	}
}

func b64(s string) string { return stdB64(s) }

// Lines from Go's own source tree that are not secrets.
func TestGenericLexerCodeShapes(t *testing.T) {
	for _, s := range []string{
		`cmd.Env = append(os.Environ(), "PWD="+cmd.Dir, "GOROOT="+build.Default.GOROOT)`,
		`// 	groupname:password:GID:user_list`,
		`			Password: password16,`,
		`	encodeUserPassword:   "encodeUserPassword",`,
		`		"PASS:\x61\x62\x63\xff\x00\x64",`,
		`--- PASS: TestFuzzThing (0.00s)`,
		`		privKey.PrivateKey = MarshalPKCS1PrivateKey(k)`,
		`		PrivateKey:  testP256PrivateKey,`,
		`	"encryptionKey": "encryptionKey1024",`,
	} {
		if fs := ScanString(s); len(fs) > 0 {
			t.Errorf("ScanString(%q) = %v, want nothing", s, fs)
		}
	}
	for _, s := range []string{`PASS=Tr0ub4dor&3x`, `password: secr3tW0rd`, `SECRET_KEY = 'q8Zk2LmP0vN7xR4tW9yB',`} { // soakkit:allow: test fixture, not a credential
		if fs := ScanString(s); len(fs) != 1 {
			t.Errorf("ScanString(%q) = %v, want one finding", s, fs)
		}
	}
}

func TestGenericBareRandomLetters(t *testing.T) {
	if fs := ScanString("client_secret=eFxoLOJEIWctDiMMIvMewcHVUfvqkasz\n"); len(fs) != 1 { // soakkit:allow: test fixture, not a credential
		t.Errorf("random letters not found: %v", fs)
	}
	if fs := ScanString("client_secret=getClientSecretFromVaultOrEnv\n"); len(fs) != 0 { // soakkit:allow: test fixture, not a credential
		t.Errorf("identifier reported: %v", fs)
	}
}
