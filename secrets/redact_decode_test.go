package secrets

import (
	"bytes"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// genKind returns a generated value of the first kind for rule id.
func genKind(t testing.TB, r *rand.Rand, id string) string {
	t.Helper()
	for _, k := range gen.Kinds {
		if k.Rule == id {
			return k.Gen(r)
		}
	}
	t.Fatalf("no generator for %s", id)
	return ""
}

// pctEncode percent-encodes every byte of s that is not unreserved.
func pctEncode(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			sb.WriteByte(c)
		} else {
			sb.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return sb.String()
}

func TestRedactEscapedTokens(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	slack := genKind(t, r, "slack-token")
	akia := genKind(t, r, "aws-access-key-id")
	ghp := genKind(t, r, "github-pat")
	aws := "wJalr/" + gen.Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 30) + "+K9z"
	pw := gen.Str(r, "abcdefghijkmnopqrstuvwxyz", 6) + "7#Q9x!"
	tests := []struct {
		name    string
		give    string
		secrets []string
	}{
		{"json newline", `{"msg":"first\n` + slack + `","k":"x\t` + akia + `"}`, []string{slack, akia}},
		{"json unicode", `{"msg":"a\u000a` + ghp + `"}`, []string{ghp}},
		{"percent", "url?token%3D" + ghp + "%26next=1", []string{ghp}},
		{"percent assignment", "q=aws_secret_access_key%3D" + pctEncode(aws) + "%26x=1", []string{aws, pctEncode(aws)}},
		{"percent password", "form: db_password%3D" + pctEncode(pw) + "%26user=ci", []string{pw, pctEncode(pw)}},
		{"escaped key", `{"log":"ok\npassword=` + pw + `\n"}`, []string{pw}},
		{"escaped quote", `{"cmd":"run --token \"` + ghp + `\""}`, []string{ghp}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, rd := range []*Redactor{{}, {RulesOnly: true}} {
				got := rd.Redact(tt.give)
				for _, s := range tt.secrets {
					if strings.Contains(got, s) {
						t.Errorf("Redact(%q) (RulesOnly=%v) = %q: %q survives", tt.give, rd.RulesOnly, got, s)
					}
				}
			}
			if len(ScanString(tt.give)) == 0 {
				t.Errorf("ScanString(%q) found nothing", tt.give)
			}
		})
	}
}

func TestEscapedFindingTags(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	pw := gen.Str(r, "abcdefghijkmnopqrstuvwxyz", 6) + "7#Q9x!"
	fs := ScanString("x db_password%3D" + pctEncode(pw) + "%26")
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %v", len(fs), fs)
	}
	if !strings.HasPrefix(fs[0].Secret, pw) || !cmp.Equal(fs[0].Tags, []string{"decoded:escape"}) {
		t.Errorf("finding secret %q tags %v, want the decoded secret and decoded:escape", fs[0].Secret, fs[0].Tags)
	}
	if strings.Contains(fs[0].Match, pctEncode(pw)) {
		t.Errorf("Match %q shows the secret", fs[0].Match)
	}
}

func TestRedactGitHubByShape(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	bad := "ghp_" + gen.Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36)
	in := "clone with " + bad + " now"
	if got := (&Redactor{RulesOnly: true}).Redact(in); strings.Contains(got, bad) {
		t.Errorf("Redact(%q) = %q: a token with a bad checksum survives", in, got)
	}
	fs := ScanString(in)
	if len(fs) != 1 || fs[0].RuleID != "github-pat" || fs[0].Suppressed != ChecksumMismatch {
		t.Errorf("ScanString(%q) = %v, want one github-pat finding suppressed as %q", in, fs, ChecksumMismatch)
	}
	for _, f := range fs {
		if strings.Contains(f.String(), bad[4:]) || strings.Contains(f.Match, bad[4:]) {
			t.Errorf("finding %v shows the token", f)
		}
	}
}

func TestRedactFlagsAndURLs(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	v := gen.Str(r, "abcdefghijkmnopqrstuvwxyz23456789", 14)
	tests := []struct{ give, want string }{
		{"svc --token " + v + " --port 8080", "svc --token **** --port 8080"},
		{"svc --api-key=" + v + " -v", "svc --api-key=**** -v"},
		{`svc --password "` + v + `" x`, `svc --password "****" x`},
		{"PASSWORD=" + v + " ./run", "PASSWORD=**** ./run"},
		{"CALLBACK=https://deploy:" + v + "@example.com/x", "CALLBACK=https://deploy:****@example.com/x"},
		{"svc --token --verbose", "svc --token --verbose"},
		{"artifact_bytes=1234567 trace=4bf92f3577b34da6a3ce929d0e0e4736", "artifact_bytes=1234567 trace=4bf92f3577b34da6a3ce929d0e0e4736"},
		{"--password-file /etc/pw", "--password-file /etc/pw"},
		{"fatal: password: AbcDefGhIjKlMn and more", "fatal: password: **** and more"},
		{`{"k":"x\tapi_token: AbcDefGhIjKlMn"}`, `{"k":"x\tapi_token: ****"}`},
		{"GET /cb?a=1&url%3Dhttps%3A%2F%2Fdeploy%3A" + v + "%40h.internal%2Fx%26b=2", "GET /cb?a=1&url%3Dhttps%3A%2F%2Fdeploy%3A****%40h.internal%2Fx%26b=2"},
		{"--- PASS: TestToken (0.01s)", "--- PASS: TestToken (0.01s)"},
	}
	rd := &Redactor{RulesOnly: true}
	for _, tt := range tests {
		if got := rd.Redact(tt.give); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestRedactArgv(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	v := gen.Str(r, "abcdefghijkmnopqrstuvwxyz23456789", 14)
	ghp := genKind(t, r, "github-pat")
	give := []string{"svc", "--token", v, "--secret=" + v, "-e", "DB_PASSWORD=" + v, "--url", "https://u:" + v + "@h.example/x", "--name", "plain", ghp, "--client-secret", "--next"}
	want := []string{"svc", "--token", Mask, "--secret=" + Mask, "-e", "DB_PASSWORD=" + Mask, "--url", "https://u:" + Mask + "@h.example/x", "--name", "plain", Mask, "--client-secret", "--next"}
	got := RedactArgv(give)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RedactArgv mismatch (-want +got):\n%s", diff)
	}
	if RedactArgv(nil) != nil {
		t.Errorf("RedactArgv(nil) != nil")
	}
}

func TestRedactEnvURL(t *testing.T) {
	if got := RedactEnv("CALLBACK", "https://deploy:Pw0rd-canary@example.com/x"); strings.Contains(got, "Pw0rd-canary") {
		t.Errorf("RedactEnv(CALLBACK) = %q", got)
	}
}

// Lines longer than MaxHold are cut; a cut must never separate a key from
// its value. Every offset of the key in a window around the 64 KiB
// boundary, every value kind.
func TestWriterLongLineKeyAtEveryOffset(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	aws := gen.Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 38) + "/+"
	pw := gen.Str(r, "abcdefghijkmnopqrstuvwxyz", 6) + "7#Q9x!"
	tok := gen.Str(r, "abcdefghijkmnopqrstuvwxyz23456789", 16)
	keys := []struct{ prefix, value string }{
		{"password: ", pw},
		{"aws_secret_access_key: ", aws},
		{"--token ", tok},
	}
	const limit = 64 << 10
	var rd Redactor
	rd.RulesOnly = true
	for _, k := range keys {
		for off := limit - len(k.prefix) - 24; off <= limit+8; off++ {
			filler := strings.Repeat("ab ", off/3+1)[:off-1] + " "
			in := filler + k.prefix + k.value + " " + strings.Repeat("tail ", 4000) + "\nnext line\n"
			want := rd.Redact(in)
			if strings.Contains(want, k.value) {
				t.Fatalf("Redact leaks %q with the key at offset %d", k.value, off)
			}
			for _, n := range []int{4096, 65535, 1 << 20} {
				if got := writeChunked(t, &rd, in, n); got != want {
					t.Fatalf("offset %d, %d-byte writes: writer output differs from Redact", off, n)
				}
			}
		}
	}
}

func TestHandler(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	ghp := genKind(t, r, "github-pat")
	v := gen.Str(r, "abcdefghijkmnopqrstuvwxyz23456789", 14)
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil), nil)).With("auth", "token="+ghp)
	log.Info("service started token "+ghp, "argv", []string{"svc", "--password", v}, "artifact_bytes", 1234567,
		"test", "TestAVeryLongTestNameThatIsNotASecretAtAll", "err", errString("dial https://u:"+v+"@db.internal"),
		slog.Group("g", "k", ghp))
	out := buf.String()
	for _, s := range []string{ghp, v} {
		if strings.Contains(out, s) {
			t.Errorf("log line leaks %q: %s", s, out)
		}
	}
	for _, s := range []string{"artifact_bytes=1234567", "TestAVeryLongTestNameThatIsNotASecretAtAll", "argv=\"[svc --password ****]\""} {
		if !strings.Contains(out, s) {
			t.Errorf("log line lost %q: %s", s, out)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// A secret found once is masked where it recurs later, without context,
// by Redact and by the writer alike.
func TestRedactRecurringSecret(t *testing.T) {
	const v = "q8Zr4mWv2Lp7Nx" // generated test value, not a credential
	in := "echo " + v + "\nexport API_TOKEN=" + v + "\ncurl -H 'X-Auth: " + v + "'\n"
	want := "echo " + v + "\nexport API_TOKEN=****\ncurl -H 'X-Auth: ****'\n"
	rd := &Redactor{RulesOnly: true}
	if got := rd.Redact(in); got != want {
		t.Errorf("Redact(%q) = %q, want %q", in, got, want)
	}
	if got := writeChunked(t, rd, in, 3); got != want {
		t.Errorf("writer: %q, want %q", got, want)
	}
}

// TestHexEncodedTokens: a run of hex digits that decodes to text is read
// again, as base64 is; a finding is reported at the encoded run, tagged
// decoded:hex, and redacted there. Hashes, ids and runs of letters are
// not text and are left alone.
func TestHexEncodedTokens(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	ghp := genKind(t, r, "github-pat")
	slack := genKind(t, r, "slack-token")
	enc := hex.EncodeToString([]byte(ghp))
	tests := []struct {
		name string
		give string
		want []string // rule ids found, tagged decoded:hex
	}{
		{"bare", "blob " + enc + " end", []string{"github-pat"}},
		{"upper case", "blob " + strings.ToUpper(enc) + " end", []string{"github-pat"}},
		{"after a key", "token=" + enc, []string{"github-pat"}},
		{"assignment inside", "payload: " + hex.EncodeToString([]byte("export SLACK_TOKEN="+slack+"\n")), []string{"slack-token"}},
		{"sha256", "sum " + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", nil},
		{"git sha", "commit 4bf92f3577b34da6a3ce929d0e0e4736deadbeef", nil},
		{"odd length", "blob " + enc + "a end", nil},
		{"too short", "blob " + hex.EncodeToString([]byte("ghp_short")) + " end", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range ScanString(tt.give) {
				if !cmp.Equal(f.Tags, []string{"decoded:hex", "decode-depth:1"}) {
					t.Errorf("finding %s: tags %v, want decoded:hex at depth 1", f.RuleID, f.Tags)
				}
				if f.Match != Mask {
					t.Errorf("finding %s: Match %q, want %q", f.RuleID, f.Match, Mask)
				}
				got = append(got, f.RuleID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ScanString(%q) rules (-want +got):\n%s", tt.give, diff)
			}
			if len(tt.want) > 0 {
				red := (&Redactor{RulesOnly: true}).Redact(tt.give)
				if strings.Contains(strings.ToLower(red), enc[:40]) {
					t.Errorf("Redact(%q) = %q: the encoded token survives", tt.give, red)
				}
			}
		})
	}
}
