package gen

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strings"
)

const (
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lower  = "abcdefghijklmnopqrstuvwxyz"
	digits = "0123456789"
	alnum  = upper + lower + digits
	b64url = alnum + "-_"
	b64std = alnum + "+/"
	hexd   = "0123456789abcdef"
	b62    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// Str returns n bytes drawn uniformly from alphabet.
func Str(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// CRC62 returns the 6-character base62 CRC-32 checksum of s.
func CRC62(s string) string {
	v := crc32.ChecksumIEEE([]byte(s))
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = b62[v%62]
		v /= 62
	}
	return string(out[:])
}

func checksummed(r *rand.Rand, prefix string, valid bool) string {
	body := Str(r, alnum, 30)
	sum := CRC62(body)
	if !valid {
		// Change one checksum character to a different one.
		c := sum[5]
		for c == sum[5] {
			c = alnum[r.IntN(len(alnum))]
		}
		sum = sum[:5] + string(c)
	}
	return prefix + body + sum
}

// A Kind is one kind of generated secret; Rule is the built-in rule id
// expected to find it.
type Kind struct {
	Rule string
	Gen  func(r *rand.Rand) string // the secret as it appears in text
	Name string                    // a variable name a developer would use
}

func pem(r *rand.Rand, label string, lines int) string {
	var sb strings.Builder
	sb.WriteString("-----BEGIN " + label + "PRIVATE KEY-----\n")
	for i := 0; i < lines; i++ {
		sb.WriteString(Str(r, b64std, 64) + "\n")
	}
	sb.WriteString(Str(r, b64std, 20) + "==\n")
	sb.WriteString("-----END " + label + "PRIVATE KEY-----")
	return sb.String()
}

// PEM returns a fake private key block with the given label ("RSA", "EC",
// "OPENSSH", or "" for PKCS#8) and about lines*48 bytes of key material.
func PEM(r *rand.Rand, label string, lines int) string {
	if label != "" {
		label += " "
	}
	return pem(r, label, lines)
}

func jwt(r *rand.Rand) string {
	hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%d","name":"%s","iat":%d}`, r.IntN(1e9), Str(r, lower, 8), 1.6e9+r.IntN(1e8))))
	return hdr + "." + payload + "." + Str(r, b64url, 43)
}

// Kinds lists one generator per built-in rule (several for some rules).
var Kinds = []Kind{
	{"aws-access-key-id", func(r *rand.Rand) string { return "AKIA" + Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) }, "aws_access_key_id"},
	{"aws-access-key-id", func(r *rand.Rand) string { return "ASIA" + Str(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) }, "AWS_ACCESS_KEY_ID"},
	{"aws-secret-access-key", func(r *rand.Rand) string { return Str(r, b64std, 40) }, "aws_secret_access_key"},
	{"github-pat", func(r *rand.Rand) string { return checksummed(r, "ghp_", true) }, "GITHUB_TOKEN"},
	{"github-pat", func(r *rand.Rand) string { return checksummed(r, "gho_", true) }, "gh_oauth"},
	{"github-pat", func(r *rand.Rand) string { return checksummed(r, "ghs_", true) }, "installation"},
	{"github-fine-grained-pat", func(r *rand.Rand) string {
		return "github_pat_" + Str(r, alnum, 22) + "_" + Str(r, alnum, 59)
	}, "GH_PAT"},
	{"gitlab-token", func(r *rand.Rand) string { return "glpat-" + Str(r, b64url, 20) }, "GITLAB_TOKEN"},
	{"slack-token", func(r *rand.Rand) string {
		return "xoxb-" + Str(r, digits, 12) + "-" + Str(r, digits, 13) + "-" + Str(r, alnum, 24)
	}, "SLACK_BOT_TOKEN"},
	{"slack-token", func(r *rand.Rand) string {
		return "xoxp-" + Str(r, digits, 12) + "-" + Str(r, digits, 12) + "-" + Str(r, digits, 13) + "-" + Str(r, hexd, 32)
	}, "slack_user"},
	{"slack-webhook-url", func(r *rand.Rand) string {
		return "https://hooks.slack.com/services/T" + Str(r, upper+digits, 10) + "/B" + Str(r, upper+digits, 10) + "/" + Str(r, alnum, 24)
	}, "webhook"},
	{"stripe-secret-key", func(r *rand.Rand) string { return "sk_live_" + Str(r, alnum, 24+r.IntN(76)) }, "STRIPE_KEY"},
	{"stripe-secret-key", func(r *rand.Rand) string { return "rk_test_" + Str(r, alnum, 24+r.IntN(76)) }, "stripe"},
	{"google-api-key", func(r *rand.Rand) string { return "AIza" + Str(r, b64url, 35) }, "GOOGLE_API_KEY"},
	{"openai-api-key", func(r *rand.Rand) string { return "sk-" + Str(r, alnum, 20) + "T3BlbkFJ" + Str(r, alnum, 20) }, "OPENAI_API_KEY"},
	{"openai-api-key", func(r *rand.Rand) string {
		return "sk-proj-" + Str(r, b64url, 74) + "T3BlbkFJ" + Str(r, b64url, 74)
	}, "openai"},
	{"anthropic-api-key", func(r *rand.Rand) string { return "sk-ant-api03-" + Str(r, b64url, 93) + "AA" }, "ANTHROPIC_API_KEY"},
	{"npm-token", func(r *rand.Rand) string { return checksummed(r, "npm_", true) }, "NPM_TOKEN"},
	{"sendgrid-api-key", func(r *rand.Rand) string { return "SG." + Str(r, b64url, 22) + "." + Str(r, b64url, 43) }, "SENDGRID_API_KEY"},
	{"telegram-bot-token", func(r *rand.Rand) string {
		return fmt.Sprint(1e8+r.IntN(9e8)) + ":AA" + Str(r, b64url, 33)
	}, "bot"},
	{"jwt", jwt, "id_token"},
	{"private-key", func(r *rand.Rand) string { return PEM(r, "RSA", 12+r.IntN(12)) }, "private_key"},
	{"private-key", func(r *rand.Rand) string { return PEM(r, "OPENSSH", 6+r.IntN(6)) }, "ssh_key"},
	{"private-key", func(r *rand.Rand) string { return PEM(r, "", 8) }, "key"},
	{"database-uri-password", func(r *rand.Rand) string {
		return []string{"postgres", "mysql", "mongodb+srv", "redis", "amqp"}[r.IntN(5)] + "://" + Str(r, lower, 6) + ":" + Str(r, alnum+"!*-_", 16) + "@db" + Str(r, digits, 2) + ".internal.corp:5432/app"
	}, "DATABASE_URL"},
	{"azure-storage-account-key", func(r *rand.Rand) string {
		return "DefaultEndpointsProtocol=https;AccountName=" + Str(r, lower, 10) + ";AccountKey=" + Str(r, b64std, 86) + "==;EndpointSuffix=core.windows.net"
	}, "AZURE_STORAGE_CONNECTION_STRING"},
	{"generic-password", func(r *rand.Rand) string { return Str(r, alnum, 8) + Str(r, "!@#%^&*", 2) + Str(r, alnum, 4) }, "db_password"},
	{"generic-secret", func(r *rand.Rand) string { return Str(r, alnum, 32) }, "client_secret"},
	{"generic-secret", func(r *rand.Rand) string { return Str(r, hexd, 40) }, "api_key"},
}

// Decoys returns values that resemble secrets but are not: placeholders,
// masked values, documentation examples, tokens with a bad checksum,
// public keys, and UUIDs and hashes under key-like names. Each is a whole
// line of text.
func Decoys(r *rand.Rand) []string {
	uuid := func() string {
		return Str(r, hexd, 8) + "-" + Str(r, hexd, 4) + "-4" + Str(r, hexd, 3) + "-a" + Str(r, hexd, 3) + "-" + Str(r, hexd, 12)
	}
	return []string{
		`GITHUB_TOKEN=` + checksummed(r, "ghp_", false),
		`npm_token: ` + checksummed(r, "npm_", false),
		`aws_access_key_id = AKIAIOSFODNN7EXAMPLE`,
		`aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
		`password = "${DB_PASSWORD}"`,
		`api_key: "{{ .Values.apiKey }}"`,
		`token: <your-token-here>`,
		`SLACK_BOT_TOKEN=xoxb-your-slack-bot-token`,
		`client_secret = "********************************"`,
		`stripe_key = "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"`,
		`password: changeme`,
		`password = os.environ["DB_PASSWORD"]`,
		`token = self.session_token`,
		`request_id = "` + uuid() + `"`,
		`api_key_id: ` + uuid(),
		`session_token = "` + uuid() + `"`,
		`cache_key = "` + Str(r, hexd, 64) + `"`,
		`commit_sha: ` + Str(r, hexd, 40),
		`"integrity": "sha512-` + Str(r, b64std, 86) + `=="`,
		`-----BEGIN PUBLIC KEY-----`,
		`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI` + Str(r, b64std, 43) + ` user@host`,
		`-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----`,
		`DATABASE_URL=postgres://user:password@localhost:5432/app`,
		`url = "https://user:${PASSWORD}@example.com/"`,
		`const tokenizer = newTokenizer(secretsManager, passwordPolicy)`,
		`max_tokens: 4096`,
		`password_file: /run/secrets/db_password`,
		`eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`,
		`"key": "ctrl+shift+down"`,
		`AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==`,
	}
}
