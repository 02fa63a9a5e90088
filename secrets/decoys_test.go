package secrets

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// Per-rule look-alikes that are not secrets: placeholders, wrong lengths,
// missing structure. Each row names the rule it is a decoy for; no rule
// may report it. (A token of a checksummed format with the exact shape is
// reported whatever it looks like, but suppressed if its checksum fails:
// see TestChecksumMismatchDecoys.)
func TestRuleDecoys(t *testing.T) {
	tests := []struct {
		rule string
		give string
	}{
		{"aws-access-key-id", "AKIAXXXXXXXXXXXXXXXX"},
		{"aws-access-key-id", "Asia/Tokyo AKIA0123"},
		{"aws-access-key-id", "AKIA0189ABCDEF0189AB"}, // 0, 1, 8, 9 are not base32
		{"aws-secret-access-key", "aws_secret_access_key = " + strings.Repeat("A", 40)},
		{"github-pat", "ghp_short"},
		{"github-pat", "ghp_" + strings.Repeat("x", 37)},       // one character too many
		{"github-pat", "ghp_" + strings.Repeat("x", 35) + "-"}, // not base62
		{"npm-token", "npm_" + strings.Repeat("x", 35)},
		{"grafana-service-account-token", "glsa_" + strings.Repeat("x", 32) + "_XXXXXXXX"}, // checksum not hex
		{"age-secret-key", "AGE-SECRET-KEY-1" + strings.Repeat("B", 58)},                   // B is not bech32
		{"age-secret-key", "AGE-SECRET-KEY-1" + strings.Repeat("Q", 57)},
		{"github-fine-grained-pat", "github_pat_" + strings.Repeat("x", 82)},
		{"gitlab-token", "glpat-xxxxxxxxxxxxxxxxxxxx"},
		{"gitlab-token", "glpat-<your-token>"},
		{"slack-token", "xoxb-not-a-real-token-here-at-all"},
		{"slack-webhook-url", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"},
		{"stripe-secret-key", "sk_live_0000000000000000000000000000"},
		{"stripe-secret-key", "pk_live_51HqLyjWDarjtT1zdp7dcXhyG0Ik0fUPaDl5"}, // publishable, not secret
		{"google-api-key", "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"},
		{"openai-api-key", "sk-T3BlbkFJ"},
		{"anthropic-api-key", "sk-ant-api03-tooshortAA"},
		{"sendgrid-api-key", "msg.SetHeader(x)"},
		{"sendgrid-api-key", "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{"telegram-bot-token", "12:AAbc mac ff:aa:bb:cc"},
		{"telegram-bot-token", "123456789:AAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"},
		{"telegram-bot-token", `telegram_api_token = "0005:Au-sa3vcnocatl6ofu9_4-hz0z5k0rtpebo"`},              // bot ID with a leading zero
		{"telegram-bot-token", `telegram_bot_token = "98765432101234567:A7Kq2-mZx9_Lp4Vb8Nc3Rt6Yw1Hd5Fg0Jsw"`}, // a 17-digit bot ID
		{"slack-token", `"token": "xoxp-572370529330-573807301142-572331691188-####################"`},
		{"generic-secret", `<input type="hidden" name="authenticity_token" value="7SWa-Fo1_hsC6oovfBsJFLGPUl2EhkSWPbJhWANwgaJW" />`},
		{"generic-secret", `csrf-token=Mj2qykJO5rELyHgezQ69nzUX0i3OH67V7+V4eUrLfpuy`},
		{"generic-secret", `publicToken = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"`},
		{"generic-secret", `notes = "Maven - io.jsonwebtoken:jjwt-jackson-0.11.2"`},
		{"generic-secret", `secret_key => "sk_abcdefghijklmnopqrstuvwxyz123"`},
		{"jwt", "eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl"}, // header has no "alg"
		{"private-key", "-----BEGIN OPENSSH PRIVATE KEY-----\n<redacted>\n-----END OPENSSH PRIVATE KEY-----"},
		{"private-key", "-----BEGIN CERTIFICATE-----\n" + strings.Repeat("MIIB", 40) + "\n-----END CERTIFICATE-----"},
		{"database-uri-password", "postgres://user:pass@localhost/db"},
		{"database-uri-password", "mysql://root:${MYSQL_ROOT_PASSWORD}@db:3306/app"},
		{"uri-basic-auth", "https://user:password@example.com/path"},
		{"azure-storage-account-key", "AccountKey=<your-account-key>;"},
		{"generic-password", `password: "********"`},
		{"generic-password", `if (password.length < 8) {`},
		{"generic-password", `PASSWORD_MIN_LENGTH=12`},
		{"generic-secret", `secret_name = "prod-db-credentials"`},
		{"generic-secret", `api_key: 550e8400-e29b-41d4-a716-446655440000`},
		{"generic-secret", `token_endpoint: "https://auth.example.com/oauth/token"`},
	}
	for _, tt := range tests {
		if fs := ScanString(tt.give + "\n"); len(fs) > 0 {
			t.Errorf("%s decoy %q: got %v", tt.rule, tt.give, fs)
		}
	}
}

// TestChecksumMismatchDecoys checks the tokens of checksummed formats
// whose checksum fails, random or typed (a placeholder of the exact shape
// is judged by its checksum too, not by how it looks): each is one finding
// of its rule, suppressed as [ChecksumMismatch], so it does not fail a
// default scan but fails a strict one; no generic rule reports it instead,
// even under a secret-like name; and no report format shows it.
func TestChecksumMismatchDecoys(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	glsa := "glsa_" + gen.Str(r, aAlnum, 32)
	ageData := make([]byte, 52)
	for i := range ageData {
		ageData[i] = byte(r.IntN(32))
	}
	age := bech32Encode("age-secret-key-", ageData)
	last := "Q" // any other last character breaks the checksum
	if strings.HasSuffix(age, last) {
		last = "P"
	}
	tests := []struct {
		rule, give string
	}{
		{"github-pat", "ghp_" + gen.Str(r, aAlnum, 36)},
		{"github-pat", "ghs_" + gen.Str(r, aAlnum, 36)},
		{"npm-token", "npm_" + gen.Str(r, aAlnum, 36)},
		{"grafana-service-account-token", glsa + "_" + grafanaChecksum(glsa+"x")},
		{"age-secret-key", age[:len(age)-1] + last},
		{"github-pat", "ghp_" + strings.Repeat("a1B2", 9)},
		{"github-pat", "gho_" + strings.Repeat("x", 36)},
		{"npm-token", "npm_" + strings.Repeat("Ab3", 12)},
		{"npm-token", "npm_" + strings.Repeat("0", 36)},
		{"grafana-service-account-token", "glsa_" + strings.Repeat("x", 32) + "_00000000"},
		{"age-secret-key", "AGE-SECRET-KEY-1" + strings.Repeat("Q", 58)},
	}
	for _, tt := range tests {
		for _, line := range []string{tt.give, `api_token = "` + tt.give + `"`, "export SECRET_TOKEN=" + tt.give} {
			rep, err := (&Scanner{}).ScanReader(t.Context(), "cfg.env", strings.NewReader(line+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) != 1 || rep.Findings[0].RuleID != tt.rule || rep.Findings[0].Suppressed != ChecksumMismatch {
				t.Errorf("%s: scan of %q = %v, want one %s finding suppressed as %q", tt.rule, line, rep.Findings, tt.rule, ChecksumMismatch)
				continue
			}
			if got := rep.Result(); got != Clean {
				t.Errorf("%s: default scan of %q: Result() = %s, want %s", tt.rule, line, got, Clean)
			}
			rep.Strict = true
			if got := rep.Result(); got != AllowlistedStrict {
				t.Errorf("%s: strict scan of %q: Result() = %s, want %s", tt.rule, line, got, AllowlistedStrict)
			}
			for _, format := range Formats {
				var sb strings.Builder
				if err := rep.Write(&sb, format); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(sb.String(), tt.give[len(tt.give)-20:]) {
					t.Errorf("%s: %s report of %q shows the token:\n%s", tt.rule, format, line, sb.String())
				}
			}
		}
	}
}
