package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
)

// Provider rules: one rule per kind of credential a service issues, written
// from the service's published token format. Two shapes cover them:
//
//   - A prefixed token (dop_v1_…, hf_…, shpat_…) is found by its prefix
//     alone: the prefix is the prefilter keyword, and the matcher checks the
//     body's alphabet and length and, where the format carries one, its
//     checksum or its embedded structure (a base64 JSON header, a macaroon,
//     a bech32 checksum).
//   - A token without a prefix (a 32-hex API key) is found only as the value
//     assigned to a name that contains the provider's name: the provider
//     name is the keyword, the assignment lexer of the generic rules reads
//     the key and the value, and the value must have the token's exact
//     shape. A provider's name in a comment or in prose is not enough.
//
// The rules are grouped by category in providers_*.go and appended to the
// core rules by [builtinRules].

// providerRules lists every provider rule, in a stable order. Keywords are
// written as the provider spells its prefix and stored in lower case, as
// the prefilter expects; matchers check the case themselves.
var providerRules = lowerKeywords(slices.Concat(cloudRules, devRules, chatRules, paymentRules, aiRules, saasRules, curlRules))

func lowerKeywords(rules []Rule) []Rule {
	for i := range rules {
		for k, kw := range rules[i].Keywords {
			rules[i].Keywords[k] = strings.ToLower(kw)
		}
	}
	return rules
}

// tok returns a matcher for a prefixed token: prefix (case-sensitive, also
// the keyword), then a body of class c with length in [min, max], on a
// boundary at both ends. check, if not nil, validates the body.
func tok(prefix string, c *class, min, max int, check func(body string) bool) matcher {
	if check == nil {
		check = tokenish
	}
	m := prefixed(prefix, c, min, max, check)
	return func(b []byte, i, j int) (span, bool) {
		if p := at(b, i-1); p == '.' || p == '/' {
			return span{}, false // part of a file name or a URL path: video_box.ico-…, /API-…
		}
		return m(b, i, j)
	}
}

// tokenish rejects bodies that are placeholders rather than random:
// too few distinct bytes for their length, long runs of one byte, or
// placeholder words.
func tokenish(body string) bool {
	want := min(8, len(body)/3+1)
	if distinct(body) < want || hasRun(body, 6) || hasSequence(body, 12) {
		return false
	}
	lb := strings.ToLower(body)
	for _, w := range []string{"xxxx", "example", "placeholder", "your", "redacted", "dummy"} {
		if strings.Contains(lb, w) {
			return false
		}
	}
	return true
}

// A valueSpec is the shape of a token without a prefix of its own, found as
// the value assigned to a provider-named key.
type valueSpec struct {
	c        *class
	min, max int
	keyAny   []string          // the normalised key must also contain one of these; nil: any key naming the provider
	keyNone  []string          // the normalised key must contain none of these
	check    func(string) bool // optional extra validation of the value
	minH     float64           // entropy floor of the value; 0: none
	raw      bool              // check alone judges the value; the placeholder gate is skipped
	word     bool              // the provider name must start a word of the key even in lower case (lob_key, not glob_key)
	wordEnd  bool              // the provider name must also end a word of the key (sumoToken, not sumObj)
}

// named returns a matcher for a value of shape v assigned to a key that
// contains the keyword hit (the provider's name): ADAFRUIT_KEY=…,
// "algolia_api_key": "…", <flickrSecret>…</flickrSecret>.
func named(v valueSpec) matcher {
	return func(b []byte, i, j int) (span, bool) {
		a, ok := lexAssign(b, i, j)
		if !ok || a.kStart > i || a.kEnd < j || !nameStarts(b[a.kStart:a.kEnd], i-a.kStart, v.word) || v.wordEnd && !nameEnds(b[a.kStart:a.kEnd], j-a.kStart) {
			return span{}, false
		}
		if !a.quoted && a.op != '>' {
			// A bare value ends where the token's own alphabet ends, even
			// at a byte that ends bare values in general (app|secret).
			if e := run(b, a.vStart, v.c, v.max+1); e > a.vEnd {
				a.vEnd = e
			}
		}
		if len(v.keyAny) > 0 || len(v.keyNone) > 0 {
			n := normKey(b[a.kStart:a.kEnd])
			if len(v.keyAny) > 0 && !containsAny(n, v.keyAny) || containsAny(n, v.keyNone) {
				return span{}, false
			}
		}
		val := b[a.vStart:a.vEnd]
		if len(val) < v.min || len(val) > v.max || run(val, 0, v.c, len(val)) != len(val) {
			return span{}, false
		}
		s := string(val)
		if !v.raw && !tokenish(s) || v.minH > 0 && entropy(s) < v.minH || v.check != nil && !v.check(s) {
			return span{}, false
		}
		end := a.vEnd
		if a.quoted && end < len(b) && a.op != '>' {
			end++
		}
		return span{a.kStart, end, a.vStart, a.vEnd}, true
	}
}

// near returns a matcher for a value of shape v that follows the
// provider's name on its line with no assignment of its own: after a
// label ("facebook 1308…|…", "telegram bot: 8447…:A…") or as the second
// of two strings in a tuple, an array or a call ("artifactory", "…").
// Only a few bytes may part the name from the value: the name's closing
// quote, blanks, at most one more word of letters (bot, token), one ':',
// '=' or ',', and the value's opening quote. Without an assignment the
// value's shape is the evidence, so near serves only shapes specific on
// their own: an ID and a secret joined by '|' or ':', or a long random
// run. The key filters of v (keyAny, keyNone, word) apply to the name.
func near(v valueSpec) matcher {
	return func(b []byte, i, j int) (span, bool) {
		ks := runBack(b, i, clsIdent, 64)
		ke := run(b, j, clsIdent, 64)
		for ks < i && (b[ks] == '.' || b[ks] == '-') {
			ks++
		}
		if ke-ks > 64 || !nameStarts(b[ks:ke], i-ks, v.word) || v.wordEnd && !nameEnds(b[ks:ke], j-ks) {
			return span{}, false
		}
		if p := at(b, ks-1); p == '/' || p == '\\' || p == ':' || p == '.' || p == '@' {
			return span{}, false // a path, URL, host or e-mail address, not a label
		}
		if len(v.keyAny) > 0 || len(v.keyNone) > 0 {
			n := normKey(b[ks:ke])
			if len(v.keyAny) > 0 && !containsAny(n, v.keyAny) || containsAny(n, v.keyNone) {
				return span{}, false
			}
		}
		k := ke
		quoted := false
		if q := at(b, ks-1); (q == '"' || q == '\'') && at(b, k) == q {
			quoted = true
			k++
		}
		k = run(b, k, clsSpace, 8)
		if w := run(b, k, clsAlpha, 13); !quoted && w > k && w-k <= 12 && (clsSpace[at(b, w)] || at(b, w) == ':') {
			k = run(b, w, clsSpace, 8) // the label's second word: "telegram bot:"
		}
		switch at(b, k) {
		case ':', '=', ',':
			k = run(b, k+1, clsSpace, 8)
		}
		if k == ke {
			return span{}, false // the value continues the name
		}
		q := at(b, k)
		if q == '"' || q == '\'' || q == '`' {
			k++
		} else {
			q = 0
		}
		e := run(b, k, v.c, v.max+1)
		if n := e - k; n < v.min || n > v.max || q != 0 && at(b, e) != q || q == 0 && clsWord[at(b, e)] {
			return span{}, false
		}
		s := string(b[k:e])
		if !v.raw && !tokenish(s) || v.minH > 0 && entropy(s) < v.minH || v.check != nil && !v.check(s) {
			return span{}, false
		}
		end := e
		if q != 0 {
			end++
		}
		return span{ks, end, k, e}, true
	}
}

// nameStarts reports whether a provider name found at key[i] begins a
// word of the key: at the key's start, after a separator or a digit, or at
// a lower-to-upper case change (myOktaToken). In a key that shows its
// words by case (rookTable, CameraKit), a name inside a word does not
// count. An all-lower-case run (mygithubtoken) gives no clue where its
// words start, so there the name counts unless strict is set.
func nameStarts(key []byte, i int, strict bool) bool {
	if i <= 0 || !clsAlnum[key[i-1]] || clsDigit[key[i-1]] {
		return true
	}
	p, c := key[i-1], key[i]
	if 'a' <= p && p <= 'z' && 'A' <= c && c <= 'Z' {
		return true
	}
	return !strict && 'a' <= p && p <= 'z' && 'a' <= c && c <= 'z' && !hasUpper(key)
}

// nameEnds reports whether a provider name ending at key[j] ends a word
// of the key: at the key's end, before a separator or a digit, or before
// an upper-case letter that follows a lower-case one (sumoToken). A name
// followed by more of its word (sumObj) does not count.
func nameEnds(key []byte, j int) bool {
	if j >= len(key) || !clsAlpha[key[j]] {
		return true
	}
	p, c := key[j-1], key[j]
	return 'a' <= p && p <= 'z' && 'A' <= c && c <= 'Z'
}

func hasUpper(s []byte) bool {
	for _, c := range s {
		if 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, w := range subs {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// provider returns a rule for a token without a prefix of its own, whose
// keywords are the provider's names.
func provider(id, desc string, names []string, v valueSpec) Rule {
	return Rule{ID: id, Description: desc, Keywords: names, match: named(v)}
}

// Value shapes shared by many providers.
var (
	clsLowerHex = mkclass("0-9a-f")
	clsLowerNum = mkclass("a-z0-9")
	clsB64Pad   = mkclass("a-zA-Z0-9+/=")
	clsB64URLP  = mkclass("a-zA-Z0-9_=-")
	clsAlnumDot = mkclass("a-zA-Z0-9._-")
)

func hexN(n int) valueSpec   { return valueSpec{c: clsLowerHex, min: n, max: n} }
func alnumN(n int) valueSpec { return valueSpec{c: clsAlnum, min: n, max: n, minH: 3} }
func b64urlR(lo, hi int) valueSpec {
	return valueSpec{c: clsB64URL, min: lo, max: hi, minH: 3.2}
}

// uuidV is a UUID under a key that names a credential: a provider's UUIDs
// are mostly identifiers, so the key must say key, token or secret.
func uuidV() valueSpec {
	return valueSpec{c: mkclass("0-9a-fA-F-"), min: 36, max: 36, check: isUUID, keyAny: credentialWords}
}

// credentialWords are the words of a normalised key that name a credential.
var credentialWords = []string{"key", "token", "secret", "auth", "pass", "pwd", "credential"}

// idOrCredential are the key words under which a provider's client or
// application ID is found: the ID's own name, or a credential's name, as
// an ID is often stored with the secret it comes with.
var idOrCredential = append([]string{"id"}, credentialWords...)

func (v valueSpec) key(any ...string) valueSpec  { v.keyAny = any; return v }
func (v valueSpec) not(none ...string) valueSpec { v.keyNone = none; return v }

// b64JSON decodes s (base64, standard or URL alphabet, padded or not) and
// reports whether it is a JSON object holding every one of keys. Several
// providers embed such an object in their tokens, which makes the object's
// structure a check as strong as a checksum.
func b64JSON(s string, keys ...string) bool {
	s = strings.TrimRight(s, "=")
	var dec []byte
	var err error
	if strings.ContainsAny(s, "-_") {
		dec, err = base64.RawURLEncoding.DecodeString(s)
	} else {
		dec, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		// A token may cut the base64 mid-quantum; decode the whole quanta.
		if n := len(s) / 4 * 4; n > 0 && n < len(s) {
			return b64JSON(s[:n], keys...)
		}
		return false
	}
	dec = bytes.TrimSpace(dec)
	if len(dec) < 2 || dec[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(dec, &m) != nil {
		// A cut quantum leaves the object unterminated; look for the keys.
		for _, k := range keys {
			if !bytes.Contains(dec, []byte(`"`+k+`"`)) {
				return false
			}
		}
		return true
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

// b64Has decodes s as base64 (any alphabet, padding optional) and reports
// whether the result contains want.
func b64Has(s, want string) bool {
	s = strings.TrimRight(s, "=")
	if n := len(s) / 4 * 4; n < len(s) && len(s)%4 == 1 {
		s = s[:n]
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if dec, err := enc.DecodeString(s); err == nil && bytes.Contains(dec, []byte(want)) {
			return true
		}
	}
	return false
}

// either returns a matcher that tries each of ms in turn.
func either(ms ...matcher) matcher {
	return func(b []byte, i, j int) (span, bool) {
		for _, m := range ms {
			if sp, ok := m(b, i, j); ok {
				return sp, true
			}
		}
		return span{}, false
	}
}

// segs returns a matcher for a prefixed token made of segments joined by
// sep, each of class c with a length in its [min, max] pair:
// dt0c01.<24>.<64>. The prefix is the keyword, case-sensitive.
func segs(prefix string, sep byte, c *class, lens ...[2]int) matcher {
	return func(b []byte, i, j int) (span, bool) {
		if string(b[i:j]) != prefix || contBefore(b, i, clsWord) {
			return span{}, false
		}
		k := j
		for n, l := range lens {
			if n > 0 {
				if at(b, k) != sep {
					return span{}, false
				}
				k++
			}
			e := run(b, k, c, l[1]+1)
			if e-k < l[0] || e-k > l[1] || !tokenish(string(b[k:e])) && l[0] >= 16 {
				return span{}, false
			}
			k = e
		}
		if c[at(b, k)] || at(b, k) == sep && c[at(b, k+1)] {
			return span{}, false
		}
		return whole(i, k), true
	}
}
