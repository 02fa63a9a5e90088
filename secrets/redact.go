package secrets

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
)

// Mask replaces every redacted secret.
const Mask = "****"

// The eight patterns of redact.py, in its order, so that logs redacted by
// either tool look the same. Patterns 3,
// 4, 5 and 7 used look-around, which RE2 lacks; they are matched by hand
// below with the same boundary rules. Each pass runs on the output of the
// previous one, as in redact.py.
var (
	reEmail   = regexp.MustCompile(`\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Z|a-z]{2,}\b`)
	reOrderID = regexp.MustCompile(`(?i)(?:orderId|orderLinkId|order_id|order_link_id)["' \t:=]+([a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}|[a-f0-9]{16,})`)
	// redact.py's key=value pass, with the double escaping that made it
	// dead in redact.py removed. It and the order-ID pattern match within
	// one line, so that redacting a text line by line, as a stream is,
	// gives the same result as redacting it whole.
	reKV  = regexp.MustCompile(`(?i)(\b(?:api_key|api-secret|api_secret|password|pg_password|token|secret|aws_secret_access_key|bybit_api_key|bybit_api_secret)[ \t]*[:=][ \t]*)("[^"\n]+"|'[^'\n]+'|[A-Za-z0-9/+_=\-]{6,})`)
	rePEM = regexp.MustCompile(`-----BEGIN [^-]*PRIVATE KEY-----[\s\S]*?-----END [^-]*PRIVATE KEY-----`)

	clsAWSSecret = mkclass("A-Za-z0-9/+")
	cls64ish     = mkclass("A-Za-z0-9/+_=-")
)

// redactOriginal applies redact.py's DEFAULT_PATTERNS and its key=value
// pass to s.
func redactOriginal(s string) string {
	// The gates of the last two passes, decided once on the input: the
	// passes before them only replace text with Mask, which holds no
	// letters, so they cannot create a gate's word.
	lower := lowerASCII(nil, []byte(s))
	orders := bytes.Contains(lower, []byte("order"))
	kv := bytes.Contains(lower, []byte("key")) || bytes.Contains(lower, []byte("secret")) ||
		bytes.Contains(lower, []byte("password")) || bytes.Contains(lower, []byte("token")) || strings.ContainsAny(s, "Kſ")
	if strings.Contains(s, "PRIVATE KEY-----") {
		s = rePEM.ReplaceAllLiteralString(s, Mask)
	}
	s = replaceAKIA(s)
	s = replaceRuns(s, clsAWSSecret, 40, 40, func(prev byte) bool { return !cls64ish[prev] })
	s = replaceRuns(s, clsHex, 20, -1, nil)
	s = replaceRuns(s, cls64ish, 20, -1, nil)
	if strings.IndexByte(s, '@') >= 0 {
		s = replaceOnLines(s, "@", false, reEmail)
	}
	s = replaceIPs(s)
	if orders {
		s = replaceOrderIDs(s)
	}
	if kv {
		s = replaceKV(s)
	}
	return s
}

// replaceOnLines masks the matches of re on the lines of s that contain
// needle (case-insensitively when fold is set). re must not match across a
// newline; running it per line gives the same result as over s and costs
// nothing on lines without the needle.
func replaceOnLines(s, needle string, fold bool, re *regexp.Regexp) string {
	hay := s
	if fold {
		hay = string(lowerASCII(nil, []byte(s))) // same length as s, unlike strings.ToLower
	}
	var sb strings.Builder
	last := 0
	for from := 0; ; {
		k := strings.Index(hay[from:], needle)
		if k < 0 {
			break
		}
		k += from
		ls := strings.LastIndexByte(s[:k], '\n') + 1
		if ls < last {
			ls = last
		}
		le := strings.IndexByte(s[k:], '\n')
		if le < 0 {
			le = len(s)
		} else {
			le += k
		}
		line := s[ls:le]
		if out := re.ReplaceAllLiteralString(line, Mask); out != line {
			sb.WriteString(s[last:ls])
			sb.WriteString(out)
			last = le
		}
		from = le
		if from >= len(s) {
			break
		}
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

func kvMask(m string) string {
	sub := reKV.FindStringSubmatch(m)
	switch sub[2][0] {
	case '"':
		return sub[1] + `"` + Mask + `"`
	case '\'':
		return sub[1] + `'` + Mask + `'`
	}
	return sub[1] + Mask
}

var reOrderIDAnchored = regexp.MustCompile(`(?i)^` + reOrderID.String()[len("(?i)"):])

// replaceOrderIDs masks ORDER_ID matches. Every match starts at an "order"
// (in any case), so trying the anchored pattern at each occurrence, left to
// right and skipping past each match, is the regexp's own leftmost,
// non-overlapping search.
func replaceOrderIDs(s string) string {
	lower := string(lowerASCII(nil, []byte(s)))
	var sb strings.Builder
	last := 0
	for from := 0; from < len(s); {
		k := strings.Index(lower[from:], "order")
		if k < 0 {
			break
		}
		k += from
		m := reOrderIDAnchored.FindStringIndex(s[k:])
		if m == nil {
			from = k + 1
			continue
		}
		sb.WriteString(s[last:k])
		sb.WriteString(Mask)
		last = k + m[1]
		from = last
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// kvKeys are the key names of redact.py's key=value pass.
var kvKeys = []string{"api_key", "api-secret", "api_secret", "password", "pg_password", "token", "secret",
	"aws_secret_access_key", "bybit_api_key", "bybit_api_secret"}

var reKVAnchored = regexp.MustCompile(`(?i)^` + reKV.String()[len("(?i)"):])

// replaceKV applies reKV the way ReplaceAllStringFunc would (leftmost,
// non-overlapping), but only tries the anchored pattern at positions where
// one of the key names starts on a word boundary.
func replaceKV(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			// (?i) folds some non-ASCII letters (K, ſ) onto key letters;
			// leave such text to the regular expression itself.
			return reKV.ReplaceAllStringFunc(s, kvMask)
		}
	}
	lower := string(lowerASCII(nil, []byte(s)))
	var sb strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		c := lower[i]
		if c != 'a' && c != 'p' && c != 't' && c != 's' && c != 'b' || i > 0 && clsWord[s[i-1]] {
			continue
		}
		ok := false
		for _, k := range kvKeys {
			if strings.HasPrefix(lower[i:], k) {
				ok = true
				break
			}
		}
		if !ok {
			continue
		}
		m := reKVAnchored.FindStringSubmatchIndex(s[i:])
		if m == nil {
			continue
		}
		prefix, v := s[i:i+m[3]], s[i+m[4]:i+m[5]]
		sb.WriteString(s[last:i])
		sb.WriteString(prefix)
		switch v[0] {
		case '"':
			sb.WriteString(`"` + Mask + `"`)
		case '\'':
			sb.WriteString(`'` + Mask + `'`)
		default:
			sb.WriteString(Mask)
		}
		last = i + m[1]
		i = last - 1
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// replaceAKIA masks AKIA[0-9A-Z]{16}, leftmost and non-overlapping.
func replaceAKIA(s string) string {
	if !strings.Contains(s, "AKIA") {
		return s
	}
	var sb strings.Builder
	i := 0
	for {
		k := strings.Index(s[i:], "AKIA")
		if k < 0 {
			break
		}
		k += i
		e := k + 4
		for e < len(s) && e-k < 20 && clsUpperNum[s[e]] {
			e++
		}
		if e-k == 20 {
			sb.WriteString(s[i:k])
			sb.WriteString(Mask)
			i = e
			continue
		}
		sb.WriteString(s[i : k+1])
		i = k + 1
	}
	sb.WriteString(s[i:])
	return sb.String()
}

// replaceRuns masks every maximal run of class c whose length is in
// [min, max] (max < 0: unbounded) and whose preceding byte passes before
// (nil: any). With maximal runs, this is exactly the look-behind /
// look-ahead semantics of redact.py's patterns 3, 4 and 5.
func replaceRuns(s string, c *class, min, max int, before func(prev byte) bool) string {
	var sb strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !c[s[i]] {
			i++
			continue
		}
		e := i
		for e < len(s) && c[s[e]] {
			e++
		}
		n := e - i
		ok := n >= min && (max < 0 || n <= max)
		if ok && before != nil && i > 0 && !before(s[i-1]) {
			ok = false
		}
		if ok {
			if last == 0 {
				sb.Grow(len(s))
			}
			sb.WriteString(s[last:i])
			sb.WriteString(Mask)
			last = e
		}
		i = e
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// replaceIPs masks dotted quads that do not start with 127.0.0., 192.168.,
// 10. or 172.16–31., with redact.py's digit boundaries.
func replaceIPs(s string) string {
	var sb strings.Builder
	last := 0
	for p := 0; p < len(s); p++ {
		if !clsDigit[s[p]] || (p > 0 && clsDigit[s[p-1]]) {
			continue
		}
		rest := s[p:]
		if strings.HasPrefix(rest, "127.0.0.") || strings.HasPrefix(rest, "192.168.") || strings.HasPrefix(rest, "10.") || privateB(rest) {
			continue
		}
		e, ok := dottedQuad(s, p)
		if !ok {
			continue
		}
		sb.WriteString(s[last:p])
		sb.WriteString(Mask)
		last = e
		p = e - 1
	}
	if last == 0 {
		return s
	}
	sb.WriteString(s[last:])
	return sb.String()
}

func privateB(s string) bool {
	if !strings.HasPrefix(s, "172.") || len(s) < 7 || s[6] != '.' {
		return false
	}
	a, b := s[4], s[5]
	return a == '1' && '6' <= b && b <= '9' || a == '2' && clsDigit[b] || a == '3' && (b == '0' || b == '1')
}

// dottedQuad matches \d{1,3}(\.\d{1,3}){3}(?!\d) at p.
func dottedQuad(s string, p int) (int, bool) {
	i := p
	for oct := 0; oct < 4; oct++ {
		if oct > 0 {
			if i >= len(s) || s[i] != '.' {
				return 0, false
			}
			i++
		}
		j := i
		for j < len(s) && clsDigit[s[j]] {
			j++
		}
		if n := j - i; n < 1 || n > 3 {
			return 0, false
		}
		i = j
	}
	return i, true
}

// A Redactor masks secrets in text: everything the scanner's rules find,
// then the eight patterns of redact.py in order (private keys,
// AWS key IDs, 40-character AWS-secret-like runs, long hex, long base64-ish
// runs, e-mail addresses, public IP addresses — loopback and private ranges
// are kept — and order IDs), then key=value assignments of redact.py's
// key names. Every match becomes [Mask].
//
// Besides its Rules, a Redactor applies rules a scanner does not, because
// for redaction a false mask costs nothing: GitHub and npm tokens are
// masked by shape even when their checksum does not verify, the argument
// of a command-line flag with a secret-like name (--token VALUE,
// --password=VALUE) is masked, and so is the password in any URL's user
// information, whatever the host. Tokens are found inside JSON strings and
// percent-encoded text too: "first\nxoxb-…" and "token%3Dghp_…%26".
//
// A secret found once is also masked wherever it recurs later in the same
// text (up to 64 distinct secrets), but not before the line it was found
// on: that keeps [Redactor.Redact] and the writer of [Redactor.NewWriter]
// in agreement, since a stream cannot take back what it has written.
//
// The zero Redactor uses the built-in rules and masks aggressively; set
// RulesOnly for logs and other text a program parses. A Redactor is safe
// for concurrent use and must not be copied after first use.
type Redactor struct {
	Rules  []Rule   // detection rules; nil: [DefaultRules]
	Values []string // literal values always masked, e.g. known credentials; values shorter than 4 bytes are ignored
	// RulesOnly masks only what the rules and Values find, skipping
	// redact.py's patterns, which also mask any run of 20 or more letters,
	// digits and _-+/= (long identifiers, test names, hashes, byte counts),
	// e-mail addresses and public IP addresses. Use it for logs and any
	// text a program parses afterwards; leave it unset (the aggressive
	// mode) for free text that is only read by people.
	RulesOnly bool
	// MaxHold bounds the bytes a writer from NewWriter buffers while it waits
	// for the end of a line or of a private key block. Default: 64 KiB;
	// minimum 1 KiB. A line longer than MaxHold is redacted in pieces cut
	// where no secret can span the cut, by Redact as by the writer.
	MaxHold int

	once sync.Once
	det  *detector
}

var defaultRedactDetector = sync.OnceValue(func() *detector { return newDetector(withRedactionRules(builtinRules), 2) })

func (r *Redactor) detector() *detector {
	r.once.Do(func() {
		if r.Rules == nil {
			r.det = defaultRedactDetector()
		} else {
			r.det = newDetector(withRedactionRules(r.Rules), 2)
		}
	})
	return r.det
}

var defaultRedactor Redactor

// Redact returns s with secrets masked by the zero [Redactor]. Line
// endings and all other text are preserved. It has the signature probe's
// environment snapshot expects.
func Redact(s string) string { return defaultRedactor.Redact(s) }

// Redact returns s with secrets masked. The result is the same as writing
// s to a writer from [Redactor.NewWriter] in any pieces.
func (r *Redactor) Redact(s string) string {
	if len(s) < 4 {
		return s // too short to hold a secret or a Value
	}
	e := r.newEngine()
	b := []byte(s)
	var out []byte
	if len(b) <= e.max && !bytes.Contains(b, pemBegin) {
		out = e.redactBatch(make([]byte, 0, len(b)), b) // no key block, no long line
	} else {
		out, _ = e.process(make([]byte, 0, len(b)), b, true)
	}
	if string(out) == s {
		return s
	}
	return string(out)
}

// RedactEnv returns value masked entirely when name looks like the name of
// a secret (PASSWORD, *_TOKEN, API_KEY, …), and Redact(value) otherwise,
// which also masks the password of a URL (https://user:****@host).
func (r *Redactor) RedactEnv(name, value string) string {
	if value != "" && classifyKey([]byte(name)) != keyNone {
		return Mask
	}
	return r.Redact(value)
}

// RedactEnv is [Redactor.RedactEnv] of the zero Redactor.
func RedactEnv(name, value string) string { return defaultRedactor.RedactEnv(name, value) }
