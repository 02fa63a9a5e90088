package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
)

// A Suppression says why a finding does not fail a scan.
type Suppression string

const (
	NotSuppressed  Suppression = ""                // the finding counts
	Allowlisted    Suppression = "allowlist"       // matched a configured allowlist
	InlineAllowed  Suppression = "inline"          // its line carries soakkit:allow (or gitleaks:allow)
	TestCredential Suppression = "test-credential" // its line holds one of scan_secrets.py's known CI test credentials
	Baselined      Suppression = "baseline"        // its fingerprint is in the baseline
	// ChecksumMismatch marks a token of a format that carries a checksum
	// (GitHub classic and npm tokens, Grafana service-account tokens, age
	// keys) whose checksum does not verify, however random or typed it
	// looks: no issuer produced it, so it does not fail a default scan,
	// but it is listed and fails a strict one, since a token mistyped or
	// cut while copying is still worth a look.
	ChecksumMismatch Suppression = "checksum-mismatch"
	// Published marks a key that its issuer publishes in its own SDKs'
	// open sources (a key-format test, a demo project's configuration):
	// everyone can read it there, so it guards nothing, but it is listed
	// and fails a strict scan, since a test key shipped in an application
	// is still a bug.
	Published Suppression = "published"
)

// A Finding is a secret found by a [Scanner].
//
// Secret holds the raw match and must not be written anywhere; it is left
// out of JSON, and String and LogValue redact. Match is the matched text
// with the secret already replaced by [Mask]. Fingerprint identifies the
// finding across runs (it hashes rule, secret and path, not the line, so it
// survives code moving) and is what a baseline stores.
type Finding struct {
	RuleID      string      `json:"rule_id"`
	Description string      `json:"description"`
	File        string      `json:"file"`   // slash-separated, relative to the scan root when under it
	Line        int         `json:"line"`   // 1-based
	Column      int         `json:"column"` // 1-based, in Unicode code points
	EndLine     int         `json:"end_line"`
	EndColumn   int         `json:"end_column"` // exclusive
	Match       string      `json:"match"`      // redacted
	Secret      string      `json:"-"`
	Fingerprint string      `json:"fingerprint"`
	Entropy     float64     `json:"entropy"`
	Tags        []string    `json:"tags,omitempty"` // e.g. "decoded:base64"
	Commit      string      `json:"commit,omitempty"`
	Author      string      `json:"author,omitempty"`  // history scans: the commit's author name
	Email       string      `json:"email,omitempty"`   // history scans: the commit's author email
	Date        string      `json:"date,omitempty"`    // history scans: the commit's author date, RFC 3339
	Commits     int         `json:"commits,omitempty"` // history scans: how many scanned commits carry the secret
	Suppressed  Suppression `json:"suppressed,omitempty"`
	Critical    bool        `json:"critical,omitempty"` // under the artifacts directory; never suppressed
}

var _ slog.LogValuer = Finding{}
var _ fmt.Stringer = Finding{}
var _ fmt.GoStringer = Finding{}

// Fingerprint returns the stable fingerprint of a secret found by rule in
// path: the first 16 bytes of SHA-256 over the three, hex-encoded.
func Fingerprint(ruleID, secret, path string) string {
	h := sha256.New()
	h.Write([]byte(ruleID))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	h.Write([]byte{0})
	h.Write([]byte(path))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Location returns "file:line:col".
func (f Finding) Location() string { return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column) }

// String returns "file:line:col: rule-id: redacted match", the text
// format, followed by " (commit abcdef012345)" when the finding has one.
func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s: %s", f.Location(), f.RuleID, f.Match)
	if f.Commit != "" {
		s += " (commit " + shortCommit(f.Commit) + ")"
	}
	return s
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// GitleaksFingerprint returns the finding's fingerprint in gitleaks'
// .gitleaksignore form: "commit:file:rule:line", or "file:rule:line" when
// it has no commit.
func (f Finding) GitleaksFingerprint() string {
	s := fmt.Sprintf("%s:%s:%d", f.File, f.RuleID, f.Line)
	if f.Commit != "" {
		s = f.Commit + ":" + s
	}
	return s
}

// GoString returns the finding in Go syntax with Secret replaced by
// [Mask], so that %#v, which bypasses String, does not print it either.
func (f Finding) GoString() string {
	type finding Finding // no methods: %#v of it does not recurse here
	g := finding(f)
	if g.Secret != "" {
		g.Secret = Mask
	}
	return strings.Replace(fmt.Sprintf("%#v", g), "secrets.finding{", "secrets.Finding{", 1)
}

// LogValue returns the finding's fields without the secret.
func (f Finding) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("rule_id", f.RuleID),
		slog.String("file", f.File),
		slog.Int("line", f.Line),
		slog.Int("column", f.Column),
		slog.String("match", f.Match),
		slog.String("fingerprint", f.Fingerprint),
	}
	if f.Commit != "" {
		attrs = append(attrs, slog.String("commit", f.Commit))
	}
	if f.Suppressed != "" {
		attrs = append(attrs, slog.String("suppressed", string(f.Suppressed)))
	}
	if f.Critical {
		attrs = append(attrs, slog.Bool("critical", true))
	}
	return slog.GroupValue(attrs...)
}

// Counts reports whether the finding fails a scan: it is critical, or it is
// not suppressed, or strict is set and it is suppressed by anything but the
// baseline.
func (f Finding) Counts(strict bool) bool {
	switch {
	case f.Critical, f.Suppressed == NotSuppressed:
		return true
	case f.Suppressed == Baselined:
		return false
	}
	return strict
}
