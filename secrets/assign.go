package secrets

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"
)

// The assignment lexer recognizes `key <op> value` around a keyword hit in
// one forward pass: the identifier containing the hit, optional closing
// quotes, an assignment operator (=, :, :=, =>, ?=, or an XML element), and a
// quoted or bare value. It serves the generic rules and the AWS secret key
// rule, and replaces the "semi-generic" regular expressions other scanners
// run over every chunk.

// An assign is a lexed assignment: offsets of the key and of the value.
type assign struct {
	kStart, kEnd int
	vStart, vEnd int
	quoted       bool
	op           byte // '=' (also :=, =>, ?=), ':' or '>' (XML element)
	code         bool // a bare value ended by ',' ';' or ')': an expression in code, not config
}

var clsBareStop = mkclass(" \t\r\n,;)(}{[]\"'`<>|")

// lexAssign lexes the assignment whose key contains b[i:j].
func lexAssign(b []byte, i, j int) (assign, bool) {
	ks := runBack(b, i, clsIdent, 64)
	ke := run(b, j, clsIdent, 64)
	// "…\npassword=": the key starts after the escape, not at its letter.
	if ks < i && at(b, ks-1) == '\\' && oddBackslashes(b, ks) {
		ks++
	}
	for ks < i && (b[ks] == '.' || b[ks] == '-') { // "--password", ".token"
		ks++
	}
	if ke-ks > 64 {
		return assign{}, false
	}
	if p := at(b, ks-1); p == '/' || p == '\\' || p == ':' && !rubySymbol(b, ks, ke) {
		return assign{}, false // part of a path, URL or colon-separated record, not a key
	}
	openQuote := at(b, ks-1) // a key that opens a string literal: "KEY=" + value
	a := assign{kStart: ks, kEnd: ke}
	k := ke
	// XML key/value attributes: <add key="Password" value="…"/>,
	// <entry key="api_secret">…</entry>.
	if (openQuote == '"' || openQuote == '\'') && at(b, ke) == openQuote && xmlNameAttr(b, ks-1) {
		return xmlValue(b, a, ke+1)
	}
	// XML element: <password>value</password>, or with the value on a
	// line of its own between the tags.
	if at(b, ks-1) == '<' && at(b, k) == '>' {
		vs, ve, ok := xmlText(b, k+1)
		if !ok {
			return assign{}, false
		}
		a.vStart, a.vEnd, a.quoted, a.op = vs, ve, true, '>'
		return a, true
	}
	closed := false
	// Closing quotes of a quoted key, possibly JSON-escaped: "key": / \"key\":
	for n := 0; n < 3 && (at(b, k) == '"' || at(b, k) == '\'' || at(b, k) == '\\' || at(b, k) == '`' || at(b, k) == ']'); n++ {
		closed = true
		k++
	}
	k = run(b, k, clsSpace, 16)
	if !closed && k > ke {
		// A declared type between the name and '=': var token string = "…".
		k = skipDeclType(b, ks, k)
	}
	switch c := at(b, k); {
	case c == ':' && at(b, k+1) == '=':
		k += 2
		a.op = '='
	case c == '.' && at(b, k+1) == '=': // PHP: $token .= "…"
		k += 2
		a.op = '='
	case c == ':' && at(b, k+1) == ':' && (at(b, k+2) == '=' || at(b, k+2) == ':' && at(b, k+3) == '='):
		// Make's ::= and :::= assignments.
		for at(b, k) == ':' {
			k++
		}
		k++
		a.op = '='
	case c == ',' && closed && callArgs(b, ks, openQuote):
		// A call with the name and the value as its first two string
		// arguments: System.setProperty("API_TOKEN", "…"), os.Setenv(…).
		k++
		a.op = '='
		if q := at(b, run(b, k, clsSpace, 16)); q != '"' && q != '\'' {
			return assign{}, false
		}
	case c == '=' && at(b, k+1) == '>':
		k += 2
		a.op = '='
	case c == '?' && at(b, k+1) == '=':
		k += 2
		a.op = '='
	case c == '=' && at(b, k+1) != '=':
		k++
		a.op = '='
	case c == ':' && at(b, k+1) != ':':
		k++
		a.op = ':'
		if !closed && k == ke+1 && !clsBlank[at(b, k)] && at(b, k) != '"' && at(b, k) != '\'' && !startsLine(b, ks) {
			// name:value with neither a space nor a quote is a record
			// (group:artifact:version, host:port), not an assignment,
			// unless the name starts its line (a .properties key).
			return assign{}, false
		}
		if v, ok := yamlBlock(b, ks, k); ok {
			a.vStart, a.vEnd, a.quoted = v[0], v[1], true
			return a, true
		}
		if !closed {
			// A type annotation: val token: String = "…" (Kotlin, Swift,
			// TypeScript).
			vs := run(b, k, clsSpace, 16)
			if e := skipDeclType(b, ks, vs); at(b, e) == '=' && at(b, e+1) != '=' && at(b, e+1) != '>' {
				k = e + 1
				a.op = '='
			} else if e, init := typeAnnotation(b, ks, vs); init {
				k = e + 1 // the value is what the declaration assigns
				a.op = '='
			} else if e > vs {
				return assign{}, false // a parameter or property type, not a value
			}
		}
	case k > ke && !closed && spaceSeparated(b, ks, ke, k):
		// ENV NAME value (Dockerfile), name value (.properties)
		a.op = '='
	default:
		return assign{}, false
	}
	k = run(b, k, clsSpace, 16)
	// Value: quoted ("…", '…', `…`, \"…\") or bare.
	q := at(b, k)
	if !closed && (openQuote == '"' || openQuote == '\'' || openQuote == '`') && q == openQuote {
		return assign{}, false // "KEY=" + expr: the quote closes the key's string
	}
	esc := false
	if q == '\\' && (at(b, k+1) == '"' || at(b, k+1) == '\'') {
		esc = true
		q = b[k+1]
		k++
	}
	if q == '"' || q == '\'' || q == '`' {
		vs := k + 1
		ve := vs
		for ; ve < len(b) && ve-vs <= 512; ve++ {
			c := b[ve]
			if c == '\n' {
				return assign{}, false
			}
			if c == q {
				if esc && at(b, ve-1) == '\\' {
					ve--
					break
				}
				if !esc && at(b, ve-1) == '\\' {
					continue
				}
				break
			}
		}
		if at(b, ve) != q && !(esc && at(b, ve) == '\\') {
			return assign{}, false
		}
		a.vStart, a.vEnd, a.quoted = vs, ve, true
		return a, ve > vs
	}
	vs := k
	ve := vs
	for ve < len(b) && ve-vs <= 256 && !clsBareStop[b[ve]] {
		ve++
	}
	a.vStart, a.vEnd = vs, ve
	switch at(b, ve) {
	case ',', ')', '(':
		a.code = true
	case ';':
		// "…;password=value;" is a member of a connection string, not a
		// statement of code.
		p := runBack(b, ks, clsSpace, 16)
		a.code = at(b, p-1) != ';'
	}
	return a, ve > vs
}

// b64Text decodes v if it is padded standard base64 of one line of
// printable text, as values under a Kubernetes Secret's data: are.
func b64Text(v string) (string, bool) {
	if len(v) < 8 || len(v)%4 != 0 || run([]byte(v), 0, clsB64Pad, len(v)) != len(v) {
		return "", false
	}
	dec, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(dec) < 4 {
		return "", false
	}
	for _, c := range dec {
		if c < 0x20 || c >= 0x7f {
			return "", false
		}
	}
	return string(dec), true
}

// startsLine reports whether only horizontal space precedes ks on its line.
func startsLine(b []byte, ks int) bool {
	p := runBack(b, ks, clsSpace, 256)
	return p == 0 || b[p-1] == '\n'
}

// rubySymbol reports whether the ':' before b[ks:ke] starts a Ruby symbol
// key followed by "=>": { :password => "…" }.
func rubySymbol(b []byte, ks, ke int) bool {
	if p := at(b, ks-2); clsWord[p] || p == ':' {
		return false
	}
	k := run(b, ke, clsSpace, 16)
	return at(b, k) == '=' && at(b, k+1) == '>'
}

// xmlText reads the text of an XML element that starts at vs, up to the
// closing tag's '<': on the same line, or alone on the next line with
// blank space around it. It returns the text without that space.
func xmlText(b []byte, vs int) (int, int, bool) {
	s := vs
	if at(b, s) == '\r' || at(b, s) == '\n' {
		s = run(b, s, clsBlank, 64)
	}
	ve := s
	for ve < len(b) && ve-s <= 512 && b[ve] != '<' && b[ve] != '\n' && b[ve] != '\r' {
		ve++
	}
	e := ve
	if s > vs {
		e = run(b, e, clsBlank, 64)
		for ve > s && clsSpace[b[ve-1]] {
			ve--
		}
	}
	if at(b, e) != '<' || ve == s {
		return 0, 0, false
	}
	return s, ve, true
}

var clsBlank = mkclass(" \t\r\n")

// declWords are the keywords that introduce a declaration whose name may
// be followed by a type before the '=': var, val, let and const.
var declWords = []string{"var", "val", "let", "const"}

// skipDeclType returns the offset after a type that follows the name of a
// declaration (var token string =, val token: String =), and spaces after
// it; k is the offset after the name (and a ':'), past spaces. If the name
// at ks is not declared by one of declWords, or no type follows, it
// returns k unchanged.
func skipDeclType(b []byte, ks, k int) int {
	w := runBack(b, ks, clsSpace, 16)
	if w == ks {
		return k
	}
	ws := runBack(b, w, clsAlnum, 8)
	if ws > 0 && !clsSpace[b[ws-1]] && b[ws-1] != '\n' && b[ws-1] != '(' {
		return k
	}
	word := string(b[ws:w])
	ok := false
	for _, d := range declWords {
		ok = ok || word == d
	}
	if !ok {
		return k
	}
	e := run(b, k, clsTypeName, 64)
	if e == k || !clsLetter[b[k]] && b[k] != '*' && b[k] != '[' {
		return k
	}
	if e2 := run(b, e, clsSpace, 16); at(b, e2) == '=' {
		return e2
	}
	return k
}

// typeAnnotation reads a type after a name's ':' at vs when the text
// shows it is one, even without a declaring keyword before the name (the
// declaration quoted inside a string, a parameter list): a capitalised
// type name followed by '=' (name: String = …; init is true and e is the
// '='), a nullable type (String?, List<Int>?) followed by ',', ')', ';' or
// the line's end, or a capitalised type in a parameter list, (name: Type,
// or (name: Type). It returns the end of the type, and e == vs if there is
// none. A YAML or JSON value followed by none of these is not a type.
func typeAnnotation(b []byte, ks, vs int) (e int, init bool) {
	t := run(b, vs, clsTypeName, 64)
	if t == vs || b[vs] < 'A' || b[vs] > 'Z' {
		return vs, false
	}
	n := run(b, t, clsSpace, 16)
	next := at(b, n)
	switch {
	case next == '=' && at(b, n+1) != '=' && at(b, n+1) != '>':
		return n, true
	case b[t-1] == '?' && (next == ',' || next == ')' || next == ';' || next == '\n' || next == '\r' || n == len(b)):
		return t, false
	case (next == ',' || next == ')') && at(b, runBack(b, ks, clsSpace, 16)-1) == '(':
		return t, false
	}
	return vs, false
}

var (
	clsTypeName = mkclass("a-zA-Z0-9_.[]*?<>")
	clsLetter   = mkclass("a-zA-Z")
)

// callArgs reports whether the key at ks, in quotes opened by quote, is
// the first argument of a call: setProperty("KEY", …), Setenv('KEY', …).
func callArgs(b []byte, ks int, quote byte) bool {
	if quote != '"' && quote != '\'' {
		return false
	}
	p := runBack(b, ks-1, clsSpace, 8)
	return at(b, p-1) == '(' && clsWord[at(b, p-2)]
}

// xmlNameAttr reports whether the quote at q opens the value of a key,
// name or id attribute: key="…".
func xmlNameAttr(b []byte, q int) bool {
	if at(b, q-1) != '=' {
		return false
	}
	ns := runBack(b, q-1, clsAlnum, 8)
	switch strings.ToLower(string(b[ns : q-1])) {
	case "key", "name", "id":
	default:
		return false
	}
	return at(b, ns-1) == ' ' || at(b, ns-1) == '\t'
}

// xmlValue reads the value that follows a key attribute ending at k: a
// value="…" attribute, or the element's text up to the next '<'.
func xmlValue(b []byte, a assign, k int) (assign, bool) {
	k = run(b, k, clsSpace, 64)
	if at(b, k) == '>' {
		vs := k + 1
		ve := vs
		for ve < len(b) && ve-vs <= 512 && b[ve] != '<' && b[ve] != '\n' {
			ve++
		}
		if at(b, ve) != '<' || ve == vs {
			return assign{}, false
		}
		a.vStart, a.vEnd, a.quoted, a.op = vs, ve, true, '>'
		return a, true
	}
	if !strings.EqualFold(string(b[k:min(len(b), k+6)]), "value=") {
		return assign{}, false
	}
	q := at(b, k+6)
	if q != '"' && q != '\'' {
		return assign{}, false
	}
	vs := k + 7
	ve := vs
	for ve < len(b) && ve-vs <= 512 && b[ve] != q && b[ve] != '\n' {
		ve++
	}
	if at(b, ve) != q || ve == vs {
		return assign{}, false
	}
	a.vStart, a.vEnd, a.quoted, a.op = vs, ve, true, '='
	return a, true
}

// yamlBlock reads a YAML block scalar (key: |, key: >-) whose colon ends
// at k: the first line of the block, which must be indented deeper than
// the key's line. It returns the value's offsets.
func yamlBlock(b []byte, ks, k int) ([2]int, bool) {
	k = run(b, k, clsSpace, 16)
	if c := at(b, k); c != '|' && c != '>' {
		return [2]int{}, false
	}
	line, vs, ok := yamlBlockContent(b, k+1)
	if !ok {
		return [2]int{}, false
	}
	ls := bytes.LastIndexByte(b[:ks], '\n') + 1
	keyIndent := run(b, ls, clsSpace, 256) - ls
	if vs-line <= keyIndent {
		return [2]int{}, false
	}
	ve := vs
	for ve < len(b) && ve-vs <= 512 && b[ve] != '\n' && b[ve] != '\r' {
		ve++
	}
	for ve > vs && (b[ve-1] == ' ' || b[ve-1] == '\t') {
		ve--
	}
	if ve == vs || ve-vs > 512 {
		return [2]int{}, false
	}
	return [2]int{vs, ve}, true
}

// spaceSeparated reports whether b[ks:ke], followed by spaces up to k, is
// a name whose value follows a space: a Dockerfile "ENV NAME value" or
// "ARG NAME value", or a dotted .properties key alone at the start of a
// line ("db.password value"). The value must then be the rest of the line.
func spaceSeparated(b []byte, ks, ke, k int) bool {
	ls := bytes.LastIndexByte(b[:ks], '\n') + 1
	lead := b[ls:ks]
	docker := len(lead) == 4 && (string(lead) == "ENV " || string(lead) == "ARG ")
	props := len(bytes.TrimLeft(lead, " \t")) == 0 && bytes.IndexByte(b[ks:ke], '.') > 0
	if !docker && !props {
		return false
	}
	e := k
	for e < len(b) && b[e] != '\n' && b[e] != '\r' && b[e] != ' ' && b[e] != '\t' {
		e++
	}
	return e > k && (e == len(b) || b[e] == '\n' || b[e] == '\r')
}

// keyKind classifies an identifier by its last word.
type keyKind int

const (
	keyNone keyKind = iota
	keyPassword
	keySecret
)

var secretSuffixes = []string{
	"secret", "token", "apikey", "secretkey", "accesskey", "privatekey", "authkey",
	"masterkey", "signingkey", "encryptionkey", "clientkey", "credential", "credentials",
	"authtoken", "accesstoken", "refreshtoken", "bottoken", "sessiontoken", "creds",
}

// typeSuffixes are words a key may end with to say how it holds a secret.
var typeSuffixes = []string{"string", "value", "str"}

var passwordSuffixes = []string{"password", "passwd", "pwd", "passphrase", "passcode"}

// notSecretWords in a key name values that are not credentials: anti-
// forgery tokens (csrf_token, authenticity_token), which a server hands to
// every visitor, and public or publishable keys and tokens.
var notSecretWords = []string{"csrf", "xsrf", "authenticity", "public", "publishable"}

// fixtureWords are words of a key name that say its value is not the
// credential it looks like: a test's wrong or made-up value
// (wrongPassword, fake_token, invalidApiKey, DUMMY_SECRET). A pair of
// words, non or not followed by matching or valid, says the same
// (nonMatchingToken).
var fixtureWords = []string{"fake", "dummy", "mock", "mocked", "invalid", "wrong", "incorrect", "bad", "bogus", "unmatched", "mismatched", "nonmatching"}

// fixtureName reports whether a key name has one of fixtureWords as a
// word of its own (split at separators and at lower-to-upper case
// changes), or non/not followed by matching/valid.
func fixtureName(key []byte) bool {
	prev := ""
	for i := 0; i < len(key); {
		for i < len(key) && !clsAlnum[key[i]] {
			i++
		}
		s := i
		for i < len(key) && clsAlnum[key[i]] {
			i++
			if i < len(key) && 'A' <= key[i] && key[i] <= 'Z' && 'a' <= key[i-1] && key[i-1] <= 'z' {
				break
			}
		}
		if i == s {
			break
		}
		w := strings.ToLower(string(key[s:i]))
		if slices.Contains(fixtureWords, w) || (prev == "non" || prev == "not") && (w == "matching" || w == "valid") {
			return true
		}
		prev = w
	}
	return false
}

// authKey reports whether a key name ends with the word auth (auth,
// user_auth, basicAuth, PROXY_AUTH; not oauth): the name Docker's
// config.json, npm's .npmrc (_auth) and many HTTP clients give to a
// base64 user:password pair.
func authKey(key []byte) bool {
	n := len(key)
	if n < 4 || !bytes.EqualFold(key[n-4:], []byte("auth")) {
		return false
	}
	if n == 4 {
		return true
	}
	prev, first := key[n-5], key[n-4]
	return prev == '_' || prev == '-' || prev == '.' || 'a' <= prev && prev <= 'z' && 'A' <= first && first <= 'Z'
}

// authValue reports whether raw, the value of an auth key, is what such
// a key holds when it is a credential: 16 or more characters of base64
// (standard or URL-safe, padded or not) mixing lower case, upper case and
// digits. dec is the value the generic gates judge: the decoded text when
// raw is base64 of text, which must then be a user:password pair.
func authValue(raw, dec string) bool {
	if len(raw) < 16 {
		return false
	}
	var lo, up, dg bool
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case 'a' <= c && c <= 'z':
			lo = true
		case 'A' <= c && c <= 'Z':
			up = true
		case '0' <= c && c <= '9':
			dg = true
		case c == '+' || c == '/' || c == '-' || c == '_':
		case c == '=' && i >= len(raw)-2:
		default:
			return false
		}
	}
	if !lo || !up || !dg {
		return false
	}
	if dec != raw {
		u, p, ok := strings.Cut(dec, ":")
		return ok && u != "" && plausibleValue(p, keyPassword, true)
	}
	return true
}

// normKey lower-cases an identifier and drops separators.
func normKey(k []byte) string {
	var sb strings.Builder
	sb.Grow(len(k))
	for _, c := range k {
		switch {
		case c == '_' || c == '-' || c == '.':
		case 'A' <= c && c <= 'Z':
			sb.WriteByte(c + 'a' - 'A')
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// isPassOrPW reports whether key is "pass" or "pw", separators and case
// aside.
func isPassOrPW(key []byte) bool {
	n := normKey(key)
	return n == "pass" || n == "pw"
}

// classifyKey decides whether an identifier names a secret.
func classifyKey(raw []byte) keyKind {
	// normKey into a stack buffer: this runs at every keyword hit.
	var buf [72]byte
	nb := buf[:0]
	for _, c := range raw {
		switch {
		case c == '_' || c == '-' || c == '.':
		case 'A' <= c && c <= 'Z':
			nb = append(nb, c+'a'-'A')
		default:
			nb = append(nb, c)
		}
	}
	return classifyNorm(raw, string(nb)) // short keys convert on the stack
}

func classifyNorm(raw []byte, n string) keyKind {
	// A numbered key names the same thing: api_token_2, password1.
	if t := strings.TrimRight(n, "0123456789"); len(t) < len(n) && len(t) >= 2 {
		if r := strings.TrimRight(string(raw), "0123456789_-."); len(r) > 0 {
			return classifyNorm([]byte(r), t)
		}
	}
	// A key that says the secret's type names the same thing:
	// mySecretString, api_key_value, passwordStr.
	for _, t := range typeSuffixes {
		if len(n) > len(t)+3 && strings.HasSuffix(n, t) && len(raw) > len(t) {
			r := strings.TrimRight(string(raw[:len(raw)-len(t)]), "_-.")
			if k := classifyNorm([]byte(r), n[:len(n)-len(t)]); k != keyNone {
				return k
			}
		}
	}
	for _, w := range notSecretWords {
		if strings.Contains(n, w) {
			return keyNone
		}
	}
	for _, s := range passwordSuffixes {
		if strings.HasSuffix(n, s) {
			return keyPassword
		}
	}
	// "pass" and "pw" only as a whole word: db_pass, DB_PASS, dbPass, pass.
	for _, w := range []string{"pass", "pw"} {
		if n == w {
			return keyPassword
		}
		if len(raw) > len(w) && bytes.EqualFold(raw[len(raw)-len(w):], []byte(w)) {
			prev := raw[len(raw)-len(w)-1]
			first := raw[len(raw)-len(w)]
			if prev == '_' || prev == '-' || prev == '.' || ('a' <= prev && prev <= 'z' && 'A' <= first && first <= 'Z') {
				return keyPassword
			}
		}
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return keySecret
		}
	}
	return keyNone
}

// knownPrefixes are the starts of tokens that a specific rule owns; the
// generic rules leave them alone so that a look-alike with a bad checksum
// is not reported under another name.
var knownPrefixes = []string{
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-",
	"xoxr-", "xoxs-", "xoxe-", "xapp-", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "AIza",
	"sk-ant-", "npm_", "SG.", "eyJ", "AKIA", "ASIA", "-----BEGIN", "sm_pat_", "sm_aat_", "sm_sat_",
	"dapi",
}

var placeholderWords = []string{
	"example", "placeholder", "changeme", "change_me", "change-me", "your_", "your-", "yourpass",
	"yoursecret", "yourtoken", "redacted", "dummy", "sample", "replace", "insert", "fixme", "todo",
	"xxxx", "****", "...", "<", ">", "{{", "}}", "${", "$(", "%(", "process.env", "os.environ",
	"getenv", "secrets.", "vault:", "env(", "(", ")",
}

var trivialValues = map[string]bool{
	"password": true, "passwd": true, "secret": true, "token": true, "none": true, "null": true,
	"nil": true, "true": true, "false": true, "undefined": true, "admin": true, "root": true,
	"empty": true, "string": true, "required": true, "optional": true, "default": true,
}

// plausibleValue applies the value gates of the generic rules: length,
// character classes, entropy, and the shapes of things that are not
// secrets (placeholders, references, paths, URLs, UUIDs).
func plausibleValue(v string, kind keyKind, quoted bool) bool {
	minLen, minH := 12, 3.0
	if kind == keyPassword {
		minLen, minH = 6, 2.3
	}
	if len(v) < minLen || len(v) > 512 {
		return false
	}
	lv := strings.ToLower(v)
	if trivialValues[lv] {
		return false
	}
	for _, w := range placeholderWords {
		if strings.Contains(lv, w) {
			return false
		}
	}
	switch v[0] {
	case '$', '%', '@', '&', '*', '#', '!', '/', '~':
		return false
	case '=':
		if len(v) < 2 || !clsAlnum[v[1]] {
			return false // "==", "=>", "= …": an operator, not a value
		}
	}
	if strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.Contains(v, "://") || strings.Contains(v, `:\`) {
		return false
	}
	for _, p := range knownPrefixes {
		if strings.HasPrefix(v, p) && !(p == "eyJ" && !strings.Contains(v, ".")) {
			// The JWT rule owns "eyJ" only with its dot-separated
			// segments; one base64 segment is no JWT, so it is judged here.
			return false
		}
	}
	if isUUID(v) || hasRun(v, 5) || strings.Trim(v, "0123456789.-:") == "" || hasSequence(v, 12) || telegramShaped(v) {
		return false
	}
	if !quoted && isReference(v) {
		return false
	}
	if strings.Contains(v, " ") && (kind != keyPassword || strings.Count(v, " ") > 1) {
		return false // prose, not a credential
	}
	if charClasses(v) < 2 {
		return false
	}
	if kind == keySecret && !strings.ContainsAny(v, "0123456789") && containsAny(lv, []string{"credential", "secret", "token", "password"}) {
		return false // a name that says what it holds: "js.fetch:credentials"
	}
	h := entropy(v)
	if kind == keySecret && len(v) >= 20 && !isHex(v) {
		minH = 3.5 // hex tops out at 4 bits per byte; other alphabets are richer
	}
	return h >= minH
}

// hasSequence reports whether s holds n or more consecutive letters of the
// alphabet or digits in a row (abcdefghijkl): typed, not random.
func hasSequence(s string, n int) bool {
	r := 1
	for i := 1; i < len(s); i++ {
		c, p := s[i], s[i-1]
		if c == p+1 && (clsDigit[c] && clsDigit[p] || clsAlpha[c] && clsAlpha[p] && (c|0x20) == (p|0x20)+1) {
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

// telegramShaped reports whether v has the shape of a Telegram bot token,
// <digits>:<35 characters>: the Telegram rule owns that shape and judges
// the digits and the secret's form, so the generic rules leave a
// look-alike it rejected alone.
func telegramShaped(v string) bool {
	c := strings.IndexByte(v, ':')
	if c < 1 || run([]byte(v), 0, clsDigit, c) != c {
		return false
	}
	rest := v[c+1:]
	return len(rest) == 35 && run([]byte(rest), 0, clsB64URL, 35) == 35
}

// isReference reports whether a bare value looks like an identifier or a
// dotted member access (self.token, config.password, get_password).
func isReference(v string) bool {
	if strings.ContainsAny(v, "0123456789") && !strings.Contains(v, ".") {
		return false
	}
	if !strings.Contains(v, ".") && len(v) >= 16 && entropy(v) >= 4.2 {
		return false // random letters, not a name: names repeat letters
	}
	for i, part := range strings.Split(v, ".") {
		if part == "" || randomSegment(part) {
			return false
		}
		for k := 0; k < len(part); k++ {
			c := part[k]
			if !(clsWord[c]) || (k == 0 && clsDigit[c] && i == 0) {
				return false
			}
		}
	}
	return true
}

// randomSegment reports whether a segment of a dotted value is random
// rather than a name: 16 or more characters mixing cases with at least
// three digits and 4 bits of entropy per byte (s.ZC9Ecf4M5g9o34Q6RkzGsj0z,
// a Vault service token, is no member access).
func randomSegment(p string) bool {
	if len(p) < 16 || charClasses(p) < 3 || entropy(p) < 4 {
		return false
	}
	d := 0
	for k := 0; k < len(p); k++ {
		if clsDigit[p[k]] {
			d++
		}
	}
	return d >= 3
}

// isIdentLike reports whether v is an identifier or a dotted path of them.
func isIdentLike(v string) bool {
	if v == "" || clsDigit[v[0]] {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !clsWord[v[i]] && v[i] != '.' {
			return false
		}
	}
	return true
}

// namesItself reports whether an identifier-like value repeats its key's
// name, so names a secret rather than being one:
// encryptionKey: "encryptionKey1024".
func namesItself(v string, key []byte) bool {
	return isIdentLike(v) && strings.Contains(normKey([]byte(v)), normKey(key))
}

func charClasses(v string) int {
	var lo, up, dg, sy int
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z':
			lo = 1
		case 'A' <= c && c <= 'Z':
			up = 1
		case '0' <= c && c <= '9':
			dg = 1
		default:
			sy = 1
		}
	}
	return lo + up + dg + sy
}

func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if v[i] != '-' {
				return false
			}
		} else if !clsHex[v[i]] {
			return false
		}
	}
	return true
}

func matchGeneric(want keyKind) matcher {
	return func(b []byte, i, j int) (span, bool) {
		if j-i == 4 && bytes.EqualFold(b[i:j], []byte("auth")) {
			// authentication, OAuth2, auth.example.com: a name that goes
			// on after auth is no auth key (auth_key is; auth_token is
			// the token keyword's hit).
			c := at(b, j)
			if c == '_' || c == '-' || c == '.' {
				c = at(b, j+1)
			}
			if clsAlnum[c] && c|0x20 != 'k' {
				return span{}, false
			}
		}
		a, ok := lexAssign(b, i, j)
		if !ok {
			return span{}, false
		}
		key := b[a.kStart:a.kEnd]
		kind := classifyKey(key)
		auth := false
		if kind == keyNone && want == keySecret && authKey(key) {
			kind, auth = keySecret, true
		}
		if kind != want || fixtureName(key) {
			return span{}, false
		}
		if a.op != '=' && len(key) <= 6 && isPassOrPW(key) {
			return span{}, false // "PASS: TestX" in test output; a bare pass/pw key needs '='
		}
		raw := string(b[a.vStart:a.vEnd])
		v, quoted := raw, a.quoted
		if dec, ok := b64Text(v); ok {
			// A Kubernetes Secret's data: holds values in base64; judge
			// the value itself, so that base64("changeme") is no finding.
			v, quoted = dec, true
		}
		if auth && !authValue(raw, v) {
			return span{}, false
		}
		// A decoded user:password pair of an auth key was judged by
		// authValue; anything else passes the generic gates.
		if !(auth && raw != v) && (a.code && isIdentLike(v) || !plausibleValue(v, kind, quoted) || namesItself(v, key)) {
			return span{}, false
		}
		end := a.vEnd
		if a.quoted && end < len(b) {
			end++
		}
		return span{a.kStart, end, a.vStart, a.vEnd}, true
	}
}

func matchAWSSecret(b []byte, i, j int) (span, bool) {
	a, ok := lexAssign(b, i, j)
	if !ok {
		return span{}, false
	}
	n := normKey(b[a.kStart:a.kEnd])
	if !strings.Contains(n, "secretaccesskey") && !(strings.Contains(n, "aws") && (strings.HasSuffix(n, "secret") || strings.HasSuffix(n, "secretkey"))) {
		return span{}, false
	}
	v := b[a.vStart:a.vEnd]
	if len(v) != 40 || run(v, 0, clsB64, 41) != 40 || entropy(string(v)) < 4.0 || !notPlaceholder(string(v)) {
		return span{}, false
	}
	end := a.vEnd
	if a.quoted && end < len(b) {
		end++
	}
	return span{a.kStart, end, a.vStart, a.vEnd}, true
}

// Connection URIs: scheme://user:password@host.

var dbSchemes = map[string]bool{
	"postgres": true, "postgresql": true, "mysql": true, "mariadb": true, "mongodb": true,
	"mongodb+srv": true, "redis": true, "rediss": true, "amqp": true, "amqps": true, "mssql": true,
	"sqlserver": true, "oracle": true, "cockroachdb": true, "clickhouse": true, "jdbc:postgresql": true,
	"jdbc:mysql": true, "jdbc:sqlserver": true, "couchdb": true, "neo4j": true, "cassandra": true,
}

var clsScheme = mkclass("a-zA-Z0-9+.:-")

func matchURI(db bool) matcher {
	return func(b []byte, i, j int) (span, bool) {
		if string(b[i:j]) != "://" {
			if db {
				return matchOracleThin(b, i, j)
			}
			return span{}, false
		}
		s := runBack(b, i, clsScheme, 24)
		for s < i && !('a' <= b[s]|0x20 && b[s]|0x20 <= 'z') {
			s++
		}
		scheme := strings.ToLower(string(b[s:i]))
		if scheme == "" || isDBScheme(scheme) != db {
			return span{}, false
		}
		// userinfo up to '@'; the password is after the first ':'. An LDAP
		// user is a distinguished name: cn=admin,dc=acme,dc=io.
		uc := clsURIUser
		if scheme == "ldap" || scheme == "ldaps" {
			uc = clsLDAPUser
		}
		u := run(b, j, uc, 256)
		if at(b, u) != ':' {
			return span{}, false
		}
		ps := u + 1
		pe, he, ok := uriPassword(b, ps, at(b, s-1))
		if !ok {
			return span{}, false
		}
		if !plausibleURIPassword(string(b[ps:pe])) || !plausibleHost(string(b[pe+1:he])) {
			return span{}, false
		}
		return span{s, he, ps, pe}, true
	}
}

var (
	clsLDAPUser = mkclass("a-zA-Z0-9._~%!$&*+;=, -")
	clsHost     = mkclass("a-zA-Z0-9._-")
)

// isDBScheme reports whether a URI scheme names a database or a message
// broker, whose URIs are connection strings; every jdbc: URI is one.
func isDBScheme(scheme string) bool {
	return dbSchemes[scheme] || strings.HasPrefix(scheme, "jdbc:")
}

// uriPassword finds the end of a URI password that starts at ps: the first
// '@' followed by a host that ends where a host can end. The password may
// hold any printable byte but space and quotes, so that a raw '@', '#',
// '/' or ',' left unencoded (p@ss#1) is still read whole. quote is the
// byte before the URI; a password never runs past it. It returns the
// password's end and the host's end.
func uriPassword(b []byte, ps int, quote byte) (pe, he int, ok bool) {
	lim := min(len(b), ps+256)
	for k := ps; k < lim; k++ {
		c := b[k]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '`' || c == '<' || c == '>' || c == quote && quote != 0 {
			return 0, 0, false
		}
		if c == ':' && at(b, k+1) == '/' && at(b, k+2) == '/' {
			return 0, 0, false // another URI
		}
		if c != '@' || k == ps {
			continue
		}
		h := k + 1
		var e int
		if at(b, h) == '[' { // IPv6 literal
			e = run(b, h+1, mkclass("0-9a-fA-F:."), 48)
			if at(b, e) != ']' {
				continue
			}
			e++
		} else {
			e = run(b, h, clsHost, 256)
		}
		if e == h {
			continue
		}
		switch at(b, e) {
		case '#':
			// A fragment (host#section), unless a later '@' shows the '#'
			// was the password's (p@ss#1@host).
			if k2 := bytes.IndexByte(b[e:min(len(b), e+256)], '@'); k2 >= 0 && !bytes.ContainsAny(b[e:e+k2], " \t\r\n\"'`") {
				continue
			}
			fallthrough
		case 0, ':', '/', '?', ',', ';', '"', '\'', '`', ' ', '\t', '\r', '\n', '(', ')', ']', '}', '<', '>', '|':
			// A port, a path, a query or the end of the URI: "host:port/path". A
			// password that starts with digits and a '/' is a port and a
			// path (host:8080/a?b=c@d), not a password.
			pw := b[ps:k]
			if d := run(pw, 0, clsDigit, len(pw)); d > 0 && d < len(pw) && (pw[d] == '/' || pw[d] == '?') {
				return 0, 0, false
			}
			return k, e, true
		}
	}
	return 0, 0, false
}

func plausibleHost(h string) bool {
	h = strings.ToLower(h)
	return h != "" && !strings.HasSuffix(h, "example.com") && !strings.HasSuffix(h, "example.org") &&
		!strings.HasSuffix(h, "example.net") && h != "host" && h != "hostname"
}

// matchOracleThin matches an Oracle thin-driver URL, whose credentials are
// user/password before the '@': jdbc:oracle:thin:scott/pw@//host:1521/svc.
func matchOracleThin(b []byte, i, j int) (span, bool) {
	if !strings.EqualFold(string(b[i:j]), "jdbc:oracle:thin:") || contBefore(b, i, clsWord) {
		return span{}, false
	}
	u := run(b, j, mkclass("a-zA-Z0-9_$#."), 128)
	if u == j || at(b, u) != '/' {
		return span{}, false
	}
	ps := u + 1
	pe := ps
	for pe < len(b) && pe-ps < 128 && b[pe] > ' ' && b[pe] < 0x7f && b[pe] != '@' && b[pe] != '"' && b[pe] != '\'' {
		pe++
	}
	if at(b, pe) != '@' || pe == ps {
		return span{}, false
	}
	h := pe + 1
	for at(b, h) == '/' {
		h++
	}
	he := run(b, h, clsHost, 256)
	if !plausibleURIPassword(string(b[ps:pe])) || !plausibleHost(string(b[h:he])) {
		return span{}, false
	}
	return span{i, he, ps, pe}, true
}

var uriPlaceholders = map[string]bool{
	"password": true, "pass": true, "passwd": true, "pwd": true, "secret": true, "pw": true,
	"changeme": true, "xxx": true, "xxxx": true, "****": true, "...": true, "user": true,
	"username": true, "p": true, "token": true,
}

// hasVarRef reports whether s refers to a variable: $VAR, ${VAR}, $(cmd),
// or is a $-prefixed name. A '$' among other punctuation (Ab3$&x) is a
// character of the password.
func hasVarRef(s string) bool {
	if strings.HasPrefix(s, "$") {
		return true
	}
	for k := strings.IndexByte(s, '$'); k >= 0 && k+1 < len(s); {
		if c := s[k+1]; c == '{' || c == '(' || c == '_' || 'A' <= c && c <= 'Z' {
			return true
		}
		n := strings.IndexByte(s[k+1:], '$')
		if n < 0 {
			break
		}
		k += 1 + n
	}
	return false
}

func plausibleURIPassword(pw string) bool {
	lp := strings.ToLower(pw)
	if uriPlaceholders[lp] || len(pw) < 4 {
		return false
	}
	if bytes.ContainsAny([]byte(pw), "{}<>[]") || strings.HasPrefix(pw, "%s") || strings.HasPrefix(pw, "%(") || hasVarRef(pw) {
		return false
	}
	for _, w := range []string{"example", "placeholder", "your", "****", "xxxx", "changeme", "redacted"} {
		if strings.Contains(lp, w) {
			return false
		}
	}
	return true
}
