package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
)

// builtinRules are the core rules followed by the provider rules. Rule IDs
// are unique across both.
var builtinRules = slices.Concat(coreRules, providerRules)

// A span is a candidate produced by an anchored matcher: the match shown
// (redacted) in reports and the secret inside it, as offsets into the chunk.
type span struct {
	start, end   int // the match
	sStart, sEnd int // the secret, within the match
}

// A matcher verifies a keyword hit at b[i:j] (the keyword as found, any
// case) and returns the token around it. It reads only the bytes of the
// token it checks, so its cost is O(token), not O(chunk).
type matcher func(b []byte, i, j int) (span, bool)

func whole(s, e int) span { return span{s, e, s, e} }

// prefixed returns a matcher for tokens that start with a fixed,
// case-sensitive prefix (the keyword) followed by a body of class c whose
// length is in [min, max]. The token must not continue a word on the left
// or the body class on the right. check, if not nil, sees the body.
func prefixed(prefix string, c *class, min, max int, check func(body string) bool) matcher {
	return func(b []byte, i, j int) (span, bool) {
		if !bytes.Equal(b[i:j], []byte(prefix)) || contBefore(b, i, clsWord) {
			return span{}, false
		}
		e := run(b, j, c, max+1)
		if n := e - j; n < min || n > max || c[at(b, e)] {
			return span{}, false
		}
		if check != nil && !check(string(b[j:e])) {
			return span{}, false
		}
		return whole(i, e), true
	}
}

// notPlaceholder rejects bodies typed rather than random: few distinct
// bytes, a run of one byte, or a run up the alphabet (see hasSequence).
func notPlaceholder(body string) bool {
	return distinct(body) >= 8 && !hasRun(body, 6) && !hasSequence(body, 12)
}

// hasRun reports whether s has n equal bytes in a row (xxxxxx, 000000).
func hasRun(s string, n int) bool {
	r := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			r++
			if r >= n {
				return true
			}
		} else {
			r = 1
		}
	}
	return false
}

func matchGitHubClassic(b []byte, i, j int) (span, bool) {
	// ghp_, gho_, ghu_, ghs_, ghr_: 30 random base62 characters and a
	// 6-character base62 CRC-32 of them. Any token of that exact shape is
	// a match; the rule's checksum alone judges it (see crc32Checksum).
	if i+4 > len(b) || b[i] != 'g' || b[i+1] != 'h' || b[i+3] != '_' || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, i+4, clsAlnum, 37)
	if e-(i+4) != 36 || clsWord[at(b, e)] {
		return span{}, false
	}
	return whole(i, e), true
}

func matchGitHubFine(b []byte, i, j int) (span, bool) {
	// github_pat_ + 82 characters of [A-Za-z0-9_]: GitHub issues 22, "_"
	// and 59, but documents only the prefix and the alphabet, so the
	// position of the inner "_" is not checked.
	if string(b[i:j]) != "github_pat_" || contBefore(b, i, clsAlnum) {
		return span{}, false
	}
	e := run(b, j, clsWord, 83)
	body := b[j:e]
	if len(body) != 82 || clsWord[at(b, e)] {
		return span{}, false
	}
	if !notPlaceholder(string(body)) {
		return span{}, false
	}
	return whole(i, e), true
}

func matchGitLab(b []byte, i, j int) (span, bool) {
	// glpat-, gldt-, glrt-, glptt-, glcbt-, glsoat-, glffct-, gloas-, glimt-:
	// at least 20 characters of [A-Za-z0-9_-], optionally with a routable
	// ".01.xxxxxxxxx" suffix.
	if contBefore(b, i, clsWord) || !bytes.HasPrefix(b[i:], []byte("gl")) {
		return span{}, false
	}
	e := run(b, j, clsGitLab, 300)
	for e > j && b[e-1] == '.' {
		e--
	}
	body := string(b[j:e])
	if len(body) < 20 || len(body) > 256 || !notPlaceholder(body) || entropy(body) < 3 {
		return span{}, false
	}
	return whole(i, e), true
}

func matchSlackToken(b []byte, i, j int) (span, bool) {
	// xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe- and xapp-: dash-separated
	// groups that start with a numeric id.
	if contBefore(b, i, clsWord) || b[i] != 'x' {
		return span{}, false
	}
	e := run(b, j, clsSlackTok, 300)
	body := string(b[j:e])
	if len(body) < 20 || !clsDigit[at(b, j)] || strings.Count(body, "-") < 2 {
		return span{}, false
	}
	digits := 0
	for k := 0; k < len(body); k++ {
		if clsDigit[body[k]] {
			digits++
		}
	}
	// The last group is the random part; one cut short by a placeholder
	// (xoxp-…-####) is no token.
	last := body[strings.LastIndexByte(body, '-')+1:]
	if digits < 8 || len(last) < 8 || !notPlaceholder(body) || at(b, e) == '#' || at(b, e) == '*' {
		return span{}, false
	}
	// The numeric groups are a workspace's and a user's or a bot's IDs;
	// when they are all the same (xoxp-1234-1234-1234-…) they were typed.
	if ids := strings.Split(body, "-"); len(ids) >= 3 {
		ids = ids[:len(ids)-1]
		same := true
		for _, id := range ids[1:] {
			same = same && id == ids[0]
		}
		if same {
			return span{}, false
		}
	}
	return whole(i, e), true
}

func matchSlackWebhook(b []byte, i, j int) (span, bool) {
	// https://hooks.slack.com/services/T…/B…/<24 alnum> or /workflows/….
	s := i
	if bytes.HasSuffix(b[:i], []byte("https://")) {
		s = i - 8
	} else if bytes.HasSuffix(b[:i], []byte("http://")) {
		s = i - 7
	}
	rest := b[j:]
	var k int
	switch {
	case bytes.HasPrefix(rest, []byte("services/")):
		k = j + 9
	case bytes.HasPrefix(rest, []byte("workflows/")), bytes.HasPrefix(rest, []byte("triggers/")):
		k = j + bytes.IndexByte(rest, '/') + 1
	default:
		return span{}, false
	}
	e := run(b, k, mkAlnumSlash, 200)
	path := string(b[k:e])
	parts := strings.Split(path, "/")
	last := parts[len(parts)-1]
	switch {
	case len(parts) >= 3 && len(last) >= 20 && notPlaceholder(last):
		// T<team>/B<hook>/<secret>, as Slack issues them.
	case len(parts) == 1 && len(last) >= 32 && notPlaceholder(last) && entropy(last) >= 4:
		// The whole path after /services/ is the secret (Slack: "your
		// webhook URL contains a secret"); one random segment is taken too.
	default:
		return span{}, false
	}
	return span{s, e, s, e}, true
}

var mkAlnumSlash = mkclass("a-zA-Z0-9/")

func matchStripe(b []byte, i, j int) (span, bool) {
	if contBefore(b, i, clsWord) {
		return span{}, false
	}
	p := string(b[i:j])
	if p != "sk_live_" && p != "sk_test_" && p != "rk_live_" && p != "rk_test_" {
		return span{}, false
	}
	e := run(b, j, clsAlnum, 248)
	body := string(b[j:e])
	if len(body) < 24 || len(body) > 247 || clsWord[at(b, e)] || !notPlaceholder(body) || entropy(body) < 3.5 {
		return span{}, false
	}
	return whole(i, e), true
}

func matchOpenAI(b []byte, i, j int) (span, bool) {
	// The marker T3BlbkFJ ("OpenAI" in base64) sits inside every OpenAI
	// key; the key starts with "sk-" at the beginning of the run.
	if string(b[i:j]) != "T3BlbkFJ" {
		return span{}, false
	}
	s := runBack(b, i, clsB64URL, 200)
	e := run(b, j, clsB64URL, 200)
	if !bytes.HasPrefix(b[s:], []byte("sk-")) || e-s < 40 || i-s < 10 || e-j < 10 {
		return span{}, false
	}
	return whole(s, e), true
}

func matchAnthropic(b []byte, i, j int) (span, bool) {
	// sk-ant-api03-<93>AA, sk-ant-admin01-<93>AA.
	if string(b[i:j]) != "sk-ant-" || contBefore(b, i, clsB64URL) {
		return span{}, false
	}
	k := run(b, j, mkclass("a-z"), 10)
	k2 := run(b, k, clsDigit, 3)
	if k == j || k2-k != 2 || at(b, k2) != '-' {
		return span{}, false
	}
	e := run(b, k2+1, clsB64URL, 200)
	body := string(b[k2+1 : e])
	if len(body) != 95 || !strings.HasSuffix(body, "AA") || !notPlaceholder(body) {
		return span{}, false
	}
	return whole(i, e), true
}

func matchNpm(b []byte, i, j int) (span, bool) {
	// npm_ + 30 base62 characters and their 6-character base62 CRC-32,
	// judged by the rule's checksum (see crc32Checksum).
	if string(b[i:j]) != "npm_" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsAlnum, 37)
	if e-j != 36 || clsWord[at(b, e)] {
		return span{}, false
	}
	return whole(i, e), true
}

// Checksums of whole tokens, for [Rule].checksum.
//
// The matchers of checksummed formats (GitHub classic, npm, Grafana
// service account, age) check the exact shape only: prefix, alphabet,
// length and boundaries. Whether a token of that shape counts is then
// decided by its checksum alone, never by how its characters look: one
// that verifies is a finding, and one that fails (a placeholder such as
// ghp_ and 36 x's, or a real token mistyped or cut) is a finding
// suppressed as [ChecksumMismatch], listed and failing only a strict scan.
// The placeholder heuristics would otherwise drop a bad-checksum token
// silently, and a typed token whose checksum happens to verify would be
// lost too.

// crc32Checksum checks a GitHub classic or npm token: a 4-byte prefix
// (ghp_, npm_, …), then 30 characters and their base62 CRC-32.
func crc32Checksum(tok string) bool { return len(tok) == 40 && checksumOK(tok[4:]) }

func matchSendGrid(b []byte, i, j int) (span, bool) {
	// SendGrid documents its API keys as 69 characters starting "SG.";
	// keys it issues are SG.<22 base64url>.<43 base64url>. A 69-character
	// key of base64 characters, dots and padding laid out otherwise is
	// taken too when it is random, since only the prefix and the length
	// are published.
	if string(b[i:j]) != "SG." || contBefore(b, i, clsAlnum) {
		return span{}, false
	}
	m := run(b, j, clsB64URL, 23)
	if m-j == 22 && at(b, m) == '.' {
		e := run(b, m+1, clsB64URL, 44)
		if e-(m+1) == 43 && !clsB64URL[at(b, e)] && notPlaceholder(string(b[m+1:e])) {
			return whole(i, e), true
		}
	}
	e := run(b, j, clsSendGrid, 67)
	body := string(b[j:e])
	if len(body) != 66 || clsSendGrid[at(b, e)] || !notPlaceholder(body) || entropy(body) < 4 {
		return span{}, false
	}
	return whole(i, e), true
}

var clsSendGrid = mkclass("a-zA-Z0-9_.=-")

func matchTelegram(b []byte, i, j int) (span, bool) {
	// <8–10 digit bot id>:AA<33 base64url>
	if string(b[i:j]) != ":AA" {
		return span{}, false
	}
	s := runBack(b, i, clsDigit, 11)
	if n := i - s; n < 8 || n > 10 {
		return span{}, false
	}
	if p := at(b, s-1); clsAlnum[p] && !bytes.HasSuffix(b[:s], []byte("bot")) {
		return span{}, false
	}
	e := run(b, i+1, clsB64URL, 36)
	if e-(i+1) != 35 || clsB64URL[at(b, e)] || !notPlaceholder(string(b[i+1:e])) {
		return span{}, false
	}
	return span{s, e, s, e}, true
}

// telegramNamed is a bot token assigned to a Telegram-named key, or
// following the name as a label ("telegram bot: 123…:A…"): there the
// looser form of the Bot API documentation counts, a bot ID of 5 to 16
// digits without a leading zero, ':', and 35 characters starting with 'A'
// (123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11). Without that context only
// the form of issued tokens (8 to 10 digits, then "AA") is matched.
var telegramNamed = valueSpec{c: mkclass("0-9a-zA-Z:_-"), min: 41, max: 52, raw: true, check: func(v string) bool {
	c := strings.IndexByte(v, ':')
	if c < 5 || c > 16 || v[0] == '0' || run([]byte(v), 0, clsDigit, c) != c {
		return false
	}
	sec := v[c+1:]
	return len(sec) == 35 && sec[0] == 'A' && run([]byte(sec), 0, clsB64URL, 35) == 35 && tokenish(sec)
}}

func matchGoogle(b []byte, i, j int) (span, bool) {
	if string(b[i:j]) != "AIza" || contBefore(b, i, clsB64URL) {
		return span{}, false
	}
	e := run(b, j, clsB64URL, 36)
	if e-j != 35 || clsB64URL[at(b, e)] || !notPlaceholder(string(b[j:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

// clsB32 is the RFC 4648 base32 alphabet, in which AWS writes the 16
// characters after an access key ID's prefix (they encode the account and
// a random part).
var clsB32 = mkclass("A-Z2-7")

func matchAWSKeyID(b []byte, i, j int) (span, bool) {
	p := string(b[i:j])
	if p == "A3T" && clsUpperNum[at(b, j)] {
		j++ // A3T + one character: the older four-character prefix
	} else if p != "AKIA" && p != "ASIA" && p != "ABIA" && p != "ACCA" {
		return span{}, false
	}
	if contBefore(b, i, clsAlnum) {
		return span{}, false
	}
	e := run(b, j, clsB32, 17)
	if e-j != 16 || clsAlnum[at(b, e)] || distinct(string(b[j:e])) < 6 {
		return span{}, false
	}
	return whole(i, e), true
}

func matchJWT(b []byte, i, j int) (span, bool) {
	// header.payload.signature in base64url (RFC 7519): the header and the
	// payload are JSON objects. The header's first member must be a
	// registered JOSE header parameter (alg, typ, kid, jwk, crit, enc, …),
	// a JWK parameter, or a claim replicated into the header; the rest of
	// the header is not parsed, so a header mangled after its first name
	// still counts. A header opening with another name counts when it and
	// the payload are both whole JSON objects and the signature is binary.
	// An unsecured
	// token (alg "none") has an empty signature and is reported too:
	// services that accept alg none take it as a credential.
	if string(b[i:j]) != "eyJ" || contBefore(b, i, clsB64URL) {
		return span{}, false
	}
	h := run(b, i, clsB64URL, 2048)
	if h-i < 10 || at(b, h) != '.' {
		return span{}, false
	}
	p := run(b, h+1, clsB64URL, 16384)
	if p-(h+1) < 10 || at(b, p) != '.' || !bytes.HasPrefix(b[h+1:], []byte("eyJ")) {
		return span{}, false
	}
	sig := run(b, p+1, clsB64URL, 1024)
	if clsB64URL[at(b, sig)] && at(b, sig) != '=' {
		return span{}, false
	}
	hdr, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(string(b[i:h]), "="))
	if err != nil || !joseHeader(hdr) && !(jsonObjects(hdr, b[h+1:p]) && binarySig(b[p+1:sig])) {
		return span{}, false
	}
	switch n := sig - (p + 1); {
	case n >= 16:
	case n == 0 && jwtAlgNone(hdr):
		sig++ // the final '.' is part of an unsecured token
	default:
		return span{}, false
	}
	return whole(i, sig), true
}

// joseNames are the names a JWT header may start with: the JOSE header
// parameters registered with IANA (RFC 7515, 7516, 7518, 7797, 8225, 8555,
// 9321), the JWK parameters (RFC 7517, 7518) some issuers put in the
// header, and the claims RFC 7519 allows to be replicated there.
var joseNames = map[string]bool{
	"alg": true, "jku": true, "jwk": true, "kid": true, "x5u": true, "x5c": true, "x5t": true,
	"x5t#S256": true, "typ": true, "cty": true, "crit": true, "enc": true, "zip": true, "epk": true,
	"apu": true, "apv": true, "iv": true, "tag": true, "p2s": true, "p2c": true, "b64": true,
	"ppt": true, "url": true, "nonce": true, "svt": true,
	"kty": true, "use": true, "key_ops": true, "crv": true,
	"iss": true, "sub": true, "aud": true, "exp": true, "nbf": true, "iat": true, "jti": true,
}

// joseHeader reports whether a decoded JWT header opens a JSON object with
// a JOSE name (see joseNames): {"alg":…, {"typ":…, {"kid":….
func joseHeader(hdr []byte) bool {
	hdr = bytes.TrimLeft(hdr, " \t\r\n")
	if !bytes.HasPrefix(hdr, []byte("{")) {
		return false
	}
	hdr = bytes.TrimLeft(hdr[1:], " \t\r\n")
	if len(hdr) < 2 || hdr[0] != '"' {
		return false
	}
	name, _, ok := bytes.Cut(hdr[1:], []byte(`"`))
	return ok && joseNames[string(name)]
}

// binarySig reports whether a base64url JWT signature decodes to bytes
// that are not all printable text, as the output of every JWS algorithm
// is: "c2lnbmF0dXJl" (base64 of "signature") is typed, not signed.
func binarySig(sig []byte) bool {
	d, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(string(sig), "="))
	if err != nil || len(d) < 16 {
		return false
	}
	for _, c := range d {
		if c < 0x20 || c >= 0x7f {
			return true
		}
	}
	return false
}

// jsonObjects reports whether the base64url header and payload of a JWT
// both decode to complete JSON objects. RFC 7515 lets a header carry
// private parameters ({"ver":"2"}), so a header that opens with no
// registered name is still a JWT header when both parts parse whole.
func jsonObjects(hdr []byte, payload []byte) bool {
	p, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(string(payload), "="))
	if err != nil {
		return false
	}
	for _, part := range [][]byte{hdr, p} {
		part = bytes.TrimSpace(part)
		if len(part) < 2 || part[0] != '{' || !json.Valid(part) {
			return false
		}
	}
	return true
}

// jwtAlgNone reports whether a JWT header declares an unsecured token.
func jwtAlgNone(hdr []byte) bool {
	var h struct{ Alg string }
	return json.Unmarshal(hdr, &h) == nil && strings.EqualFold(h.Alg, "none")
}

func matchAzureStorage(b []byte, i, j int) (span, bool) {
	// AccountKey=<base64 of a 64-byte key> in a connection string.
	if contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, mkclass("a-zA-Z0-9+/="), 100)
	v := string(b[j:e])
	if len(v) < 40 || !notPlaceholder(v) || entropy(v) < 4 {
		return span{}, false
	}
	return span{i, e, j, e}, true
}
