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
	reOrderID = regexp.MustCompile(`(?i)(?:orderId|orderLinkId|order_id|order_link_id)["'\s:=]+([a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}|[a-f0-9]{16,})`)
	// redact.py's key=value pass, with the double escaping that made it
	// dead in redact.py removed.
	reKV  = regexp.MustCompile(`(?i)(\b(?:api_key|api-secret|api_secret|password|pg_password|token|secret|aws_secret_access_key|bybit_api_key|bybit_api_secret)\s*[:=]\s*)("[^"]+"|'[^']+'|[A-Za-z0-9/+_=\-]{6,})`)
	rePEM = regexp.MustCompile(`-----BEGIN [^-]*PRIVATE KEY-----[\s\S]*?-----END [^-]*PRIVATE KEY-----`)

	clsAWSSecret = mkclass("A-Za-z0-9/+")
	cls64ish     = mkclass("A-Za-z0-9/+_=-")
)

// redactOriginal applies redact.py's DEFAULT_PATTERNS and its key=value
// pass to s.
func redactOriginal(s string) string {
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
	if containsFold(s, "order") {
		s = replaceOrderIDs(s)
	}
	if containsAnyFold(s, "key", "secret", "password", "token") || strings.ContainsAny(s, "Kſ") {
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
// non-overlapping search; the separator class may span lines.
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

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}

func containsAnyFold(s string, subs ...string) bool {
	l := strings.ToLower(s)
	for _, x := range subs {
		if strings.Contains(l, x) {
			return true
		}
	}
	return false
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
// The zero Redactor uses the built-in rules. A Redactor is safe for
// concurrent use and must not be copied after first use.
type Redactor struct {
	Rules  []Rule   // detection rules; nil: [DefaultRules]
	Values []string // literal values always masked, e.g. known credentials; values shorter than 4 bytes are ignored
	// RulesOnly masks only what Rules and Values find, skipping redact.py's
	// patterns, which also mask any run of 20 or more letters, digits and
	// _-+/= (long identifiers, test names, hashes), e-mail addresses and
	// public IP addresses. Use it for text a program parses afterwards.
	RulesOnly bool
	// MaxHold bounds the bytes a writer from NewWriter buffers while it waits
	// for the end of a line or of a private key block. Default: 64 KiB.
	MaxHold int

	once sync.Once
	det  *detector
}

var defaultDetector = sync.OnceValue(func() *detector { return newDetector(builtinRules, 2) })

func (r *Redactor) detector() *detector {
	r.once.Do(func() {
		if r.Rules == nil {
			r.det = defaultDetector()
		} else {
			r.det = newDetector(r.Rules, 2)
		}
	})
	return r.det
}

var defaultRedactor Redactor

// Redact returns s with secrets masked by the zero [Redactor]. Line
// endings and all other text are preserved. It has the signature probe's
// environment snapshot expects.
func Redact(s string) string { return defaultRedactor.Redact(s) }

// Redact returns s with secrets masked.
func (r *Redactor) Redact(s string) string {
	if s == "" {
		return s
	}
	det := r.detector()
	b := []byte(s)
	sc := det.scratch.Get().(*scratch)
	defer det.scratch.Put(sc)
	sc.cands = sc.cands[:0]
	cands := det.detect(b, sc, nil, 0)
	out := s
	if len(cands) > 0 {
		out = maskSpans(b, cands)
	}
	for _, v := range r.Values {
		if len(v) >= 4 {
			out = strings.ReplaceAll(out, v, Mask)
		}
	}
	if !r.RulesOnly {
		out = redactOriginal(out)
	}
	// Decoded secrets and secrets split by earlier passes must not survive
	// anywhere in the output. Each replacement shortens out, so this ends.
	for _, c := range cands {
		sec := c.secret
		if sec == "" {
			sec = s[c.sp.sStart:c.sp.sEnd]
		}
		for len(sec) > len(Mask) && strings.Contains(out, sec) {
			out = strings.ReplaceAll(out, sec, Mask)
		}
	}
	return out
}

// maskSpans replaces the secret span of every candidate in b with Mask;
// overlapping spans are merged.
func maskSpans(b []byte, cands []raw) string {
	type iv struct{ s, e int }
	ivs := make([]iv, 0, len(cands))
	for _, c := range cands {
		s, e := c.sp.sStart, c.sp.sEnd
		if c.secret != "" { // decoded: mask the encoded run
			s, e = c.sp.start, c.sp.end
		}
		ivs = append(ivs, iv{s, e})
	}
	sortIvs := func() {
		for i := 1; i < len(ivs); i++ {
			for j := i; j > 0 && ivs[j].s < ivs[j-1].s; j-- {
				ivs[j], ivs[j-1] = ivs[j-1], ivs[j]
			}
		}
	}
	sortIvs()
	var buf bytes.Buffer
	buf.Grow(len(b))
	pos := 0
	for _, v := range ivs {
		if v.e <= pos {
			continue
		}
		if v.s < pos {
			v.s = pos
		}
		buf.Write(b[pos:v.s])
		buf.WriteString(Mask)
		pos = v.e
	}
	buf.Write(b[pos:])
	return buf.String()
}

// RedactEnv returns value masked entirely when name looks like the name of
// a secret (PASSWORD, *_TOKEN, API_KEY, …), and Redact(value) otherwise.
func (r *Redactor) RedactEnv(name, value string) string {
	if value != "" && classifyKey([]byte(name)) != keyNone {
		return Mask
	}
	return r.Redact(value)
}

// RedactEnv is [Redactor.RedactEnv] of the zero Redactor.
func RedactEnv(name, value string) string { return defaultRedactor.RedactEnv(name, value) }
