package secrets

import (
	"regexp"
	"slices"
	"strings"
)

// A Rule detects one kind of secret.
//
// Built-in rules verify each keyword hit with a hand-written, anchored
// matcher. Rules loaded from a configuration file carry a Regex instead,
// which runs only on the lines where one of the rule's keywords occurs (or
// on the whole chunk when the rule has no keywords). A Regex that can
// match a newline runs on a window around those lines: as many lines
// before and after as one match can span, at most 8 KiB away, so a value
// on the line after its key is found; its finding is located on the line
// where the secret starts. In a Regex, "^" and "$" match at line
// boundaries, and only at real ones, wherever a window or a chunk ends.
type Rule struct {
	ID          string         // unique; required
	Description string         // one line
	Keywords    []string       // prefilter words, matched case-insensitively
	Regex       *regexp.Regexp // nil for built-in rules
	SecretGroup int            // capture group holding the secret; default: first non-empty group
	Entropy     float64        // a secret with Shannon entropy <= Entropy is dropped; 0: no floor
	Path        *regexp.Regexp // optional: the rule applies only to matching paths; alone, a path-only rule
	Tags        []string
	Allowlists  []Allowlist // findings of this rule matching any of these are allowlisted
	// Required makes the rule composite: a finding of it is reported only
	// when each of these rules has a finding near it (see [Required]).
	Required []Required
	// SkipReport runs the rule only for the composite rules that require
	// it: its own findings are never reported.
	SkipReport bool

	match matcher // built-in anchored matcher
	// checksum, if set, verifies the secret of a built-in match: one
	// that fails is reported suppressed as [ChecksumMismatch].
	checksum func(secret string) bool
	line     *lineRegex // Regex prepared for windows, if a config did it
	generic  bool       // yields to a specific rule's finding on the same span
	prefix   int        // bytes of the token that are a public prefix, kept in redacted output
}

// A Required names a rule whose finding must accompany a composite rule's
// finding: in the same fragment (the file of a directory scan, the run of
// added or removed lines of a git scan), and, when set, at most
// WithinLines lines above or below it and WithinColumns columns left or
// right of it (comparing where each finding starts). Set both and the
// area is a rectangle; set neither and anywhere in the fragment will do.
//
// A finding that an allowlist, an inline allow comment or a
// .gitleaksignore entry suppresses does not count; a composite rule's own
// requirements play no part when it is required by another. RuleID may be
// a gitleaks rule id the built-in rules cover under another name (as in
// [Allowlist].TargetRules): a finding of any of those rules counts.
type Required struct {
	RuleID        string
	WithinLines   *int // nil: any line of the fragment
	WithinColumns *int // nil: any column
}

// An Allowlist suppresses findings. A finding is allowlisted when the
// allowlist matches it: with Condition "AND", every populated field must
// match; otherwise any one suffices. Paths are matched against the
// slash-separated path relative to the scan root.
type Allowlist struct {
	Description string
	Condition   string           // "OR" (default) or "AND"
	Paths       []*regexp.Regexp // path regular expressions (gitleaks semantics)
	Globs       []string         // path globs, doublestar semantics
	Regexes     []*regexp.Regexp // tested against RegexTarget
	RegexTarget string           // "secret" (default), "match" or "line"
	Values      []string         // exact secret values
	Stopwords   []string         // case-insensitive substrings of the secret
	Commits     []string         // commit SHAs (git scopes)
	TargetRules []string         // for a global allowlist: apply only to these rules
}

// coreRules are the rules for the most common credentials and the generic
// rules; builtinRules appends the provider rules to them.
var coreRules = []Rule{
	{ID: "aws-access-key-id", Description: "AWS access key ID", Keywords: []string{"akia", "asia", "abia", "acca", "a3t"}, match: matchAWSKeyID, prefix: 4},
	{ID: "aws-secret-access-key", Description: "AWS secret access key in an assignment", Keywords: []string{"secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret", "awssecret"}, match: matchAWSSecret},
	{ID: "github-pat", Description: "GitHub classic token (personal, OAuth, user-to-server, server-to-server, refresh), checksum verified", Keywords: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, match: matchGitHubClassic, checksum: crc32Checksum, prefix: 4},
	{ID: "github-fine-grained-pat", Description: "GitHub fine-grained personal access token", Keywords: []string{"github_pat_"}, match: matchGitHubFine, prefix: 11},
	{ID: "gitlab-token", Description: "GitLab token (personal, deploy, runner, trigger, OAuth, feed)", Keywords: []string{"glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glsoat-", "glffct-", "gloas-", "glimt-"}, match: matchGitLab},
	{ID: "slack-token", Description: "Slack bot, user, app or configuration token", Keywords: []string{"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-"}, match: matchSlackToken, prefix: 5},
	{ID: "slack-webhook-url", Description: "Slack incoming webhook URL", Keywords: []string{"hooks.slack.com/"}, match: matchSlackWebhook},
	{ID: "stripe-secret-key", Description: "Stripe secret or restricted key", Keywords: []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_"}, match: matchStripe, prefix: 8},
	{ID: "google-api-key", Description: "Google API key", Keywords: []string{"aiza"}, match: matchGoogle, prefix: 4},
	{ID: "openai-api-key", Description: "OpenAI API key", Keywords: []string{"t3blbkfj"}, match: matchOpenAI, prefix: 3},
	{ID: "anthropic-api-key", Description: "Anthropic API key", Keywords: []string{"sk-ant-"}, match: matchAnthropic, prefix: 7},
	{ID: "npm-token", Description: "npm access token, checksum verified", Keywords: []string{"npm_"}, match: matchNpm, checksum: crc32Checksum, prefix: 4},
	{ID: "sendgrid-api-key", Description: "SendGrid API key", Keywords: []string{"sg."}, match: matchSendGrid, prefix: 3},
	{ID: "telegram-bot-token", Description: "Telegram bot token", Keywords: []string{":aa", "telegram"}, match: either(matchTelegram, named(telegramNamed), near(telegramNamed))},
	{ID: "jwt", Description: "JSON Web Token", Keywords: []string{"eyj"}, match: matchJWT},
	{ID: "private-key", Description: "Private key in PEM or OpenSSH form", Keywords: []string{"-----begin "}, match: matchPEM},
	{ID: "database-uri-password", Description: "Password in a database connection URI", Keywords: []string{"://", "jdbc:oracle:thin:"}, match: matchURI(true)},
	{ID: "uri-basic-auth", Description: "Password in a URI's user information", Keywords: []string{"://"}, match: matchURI(false)},
	{ID: "azure-storage-account-key", Description: "Azure storage account key in a connection string", Keywords: []string{"accountkey="}, match: matchAzureStorage},
	// A PKCS#12 bundle (.p12, .pfx) holds a private key with its
	// certificates; its password is often empty or weak, so the file's
	// presence in a tree or a history is the finding, whatever it holds.
	{ID: "pkcs12-file", Description: "PKCS#12 file (a private key with its certificates)", Path: regexp.MustCompile(`(?i)(?:^|/)[^/]+\.p(?:12|fx)$`)},
	{ID: "generic-password", Description: "Password assigned to a password-like name", Keywords: []string{"pass", "pwd"}, match: matchGeneric(keyPassword), generic: true},
	{ID: "generic-secret", Description: "High-entropy value assigned to a secret-, token- or key-like name", Keywords: genericSecretKeywords(), match: matchGeneric(keySecret), generic: true},
}

func genericSecretKeywords() []string {
	// "auth" alone also covers authkey, auth_key, …: a key ending in the
	// word auth may hold a base64 user:password pair.
	kw := []string{"secret", "token", "credential", "creds", "auth"}
	for _, p := range []string{"api", "access", "private", "master", "signing", "encryption", "client"} {
		for _, sep := range []string{"", "_", "-", "."} {
			kw = append(kw, p+sep+"key")
		}
	}
	return kw
}

// DefaultRules returns the built-in rules, in a fresh slice the caller may
// modify. Their IDs are stable and are part of each finding's fingerprint.
func DefaultRules() []Rule {
	out := make([]Rule, len(builtinRules))
	for i, r := range builtinRules {
		r.Keywords = slices.Clone(r.Keywords)
		r.Tags = slices.Clone(r.Tags)
		out[i] = r
	}
	return out
}

// redactMatch returns the match text with the secret masked; the public
// prefix of a token (ghp_, AKIA, …) is kept so a reader can tell the kind.
// Like [Redactor.Redact], it also masks other occurrences of a secret
// longer than the mask, such as a database URI's user name when it is the
// same as the password.
func redactMatch(r *Rule, match string, sOff, sLen int) string {
	keep := 0
	if sOff == 0 && sLen == len(match) && r.prefix > 0 && r.prefix < sLen {
		keep = r.prefix
	}
	before, after := match[:sOff+keep], match[sOff+sLen:]
	if secret := match[sOff : sOff+sLen]; len(secret) > len(Mask) {
		before = strings.ReplaceAll(before, secret, Mask)
		after = strings.ReplaceAll(after, secret, Mask)
	}
	return truncate(before+Mask+after, 200)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
