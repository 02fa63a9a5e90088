package secrets

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// A detector runs a rule set over byte chunks. It is immutable after
// construction and safe for concurrent use; per-goroutine state lives in a
// scratch.
type detector struct {
	rules    []Rule
	pf       *prefilter
	kwRules  [][]int // keyword index -> rule indexes
	kwLen    []int
	always   []int // regex rules without keywords
	maxDepth int   // base64 decode depth
	scratch  sync.Pool
	// Per rule, for regex rules: the regex with "^" and "$" at every line
	// boundary, and how far a match may reach beyond the lines holding a
	// keyword (see [reachOf]).
	lineRe []*regexp.Regexp
	reach  []reach
}

// A raw is a candidate finding in chunk coordinates.
type raw struct {
	rule    int
	sp      span
	secret  string // set for decoded findings; else the chunk bytes of sp
	decoded int    // decode depth, 0 for a direct match
	codec   string // how secret was decoded: codecBase64, codecHex, codecEscape, or "" (not decoded)
	badSum  bool   // the secret fails its rule's checksum
	at      int    // where the finding is located; set by locate
}

// Codecs of decoded candidates.
const (
	codecBase64 = "base64"
	codecHex    = "hex"
	codecEscape = "escape" // JSON string escapes and percent-encoding
)

type scratch struct {
	last  []int // per rule: end of the last accepted match (dedupe)
	cands []raw
	win   []window // per regex rule: the text still to be matched
	open  []int    // rules with a pending window
}

// A window is a stretch of whole lines, b[start:end], that a regex rule
// runs over; end is -1 when there is none.
type window struct{ start, end int }

func newDetector(rules []Rule, maxDepth int) *detector {
	d := &detector{rules: rules, maxDepth: maxDepth, lineRe: make([]*regexp.Regexp, len(rules)), reach: make([]reach, len(rules))}
	idx := map[string]int{}
	var kws []string
	for ri, r := range rules {
		if r.Regex != nil {
			lr := lineRegexOf(&rules[ri])
			d.lineRe[ri], d.reach[ri] = lr.re, lr.reach
		}
		if len(r.Keywords) == 0 && r.Regex != nil {
			d.always = append(d.always, ri)
			continue
		}
		for _, kw := range r.Keywords {
			kw = strings.ToLower(kw)
			if kw == "" {
				continue
			}
			k, ok := idx[kw]
			if !ok {
				k = len(d.kwRules)
				idx[kw] = k
				d.kwRules = append(d.kwRules, nil)
				d.kwLen = append(d.kwLen, len(kw))
				kws = append(kws, kw)
			}
			if !slices.Contains(d.kwRules[k], ri) {
				d.kwRules[k] = append(d.kwRules[k], ri)
			}
		}
	}
	d.pf = newPrefilter(kws)
	d.scratch.New = func() any { return d.newScratch() }
	return d
}

func (d *detector) newScratch() *scratch {
	sc := &scratch{last: make([]int, len(d.rules)), win: make([]window, len(d.rules))}
	for i := range sc.win {
		sc.win[i].end = -1
	}
	return sc
}

// detect appends to sc.cands the candidates in b whose rule applies to
// path (nil pathOK means every rule applies). Overlapping generic
// candidates are removed in favour of specific ones.
func (d *detector) detect(b []byte, sc *scratch, pathOK []bool, depth int) []raw {
	start := len(sc.cands)
	for i := range sc.last {
		sc.last[i] = -1
	}
	d.pf.walk(b, func(kEnd int, pattern int32) {
		kStart := kEnd - d.kwLen[pattern]
		for _, ri := range d.kwRules[pattern] {
			if pathOK != nil && !pathOK[ri] {
				continue
			}
			if kStart < sc.last[ri] {
				continue
			}
			r := &d.rules[ri]
			if r.match != nil {
				sp, ok := r.match(b, kStart, kEnd)
				if ok && r.Entropy > 0 && entropy(string(b[sp.sStart:sp.sEnd])) <= r.Entropy {
					continue // a configured floor applies to built-in matchers too
				}
				var sec, codec string
				if !ok && depth == 0 {
					if sp, sec, ok = d.retryDecoded(r, b, kStart, kEnd); ok {
						codec = codecEscape
						if sec == string(b[sp.sStart:sp.sEnd]) {
							sec, codec = "", "" // the escapes were around the secret, not in it
						}
					}
				}
				if ok {
					sc.last[ri] = sp.end
					bad := false
					if r.checksum != nil {
						s := sec
						if s == "" {
							s = string(b[sp.sStart:sp.sEnd])
						}
						bad = !r.checksum(s)
					}
					sc.cands = append(sc.cands, raw{rule: ri, sp: sp, secret: sec, decoded: depth, codec: codec, badSum: bad})
				}
				continue
			}
			if r.Regex == nil {
				continue
			}
			// A regex runs over the lines around its keywords, as far
			// as one of its matches can reach; overlapping windows merge,
			// so each byte is matched at most once per rule.
			ws, we := d.reach[ri].window(b, kStart, kEnd)
			w := &sc.win[ri]
			switch {
			case w.end < 0:
				*w = window{ws, we}
				sc.open = append(sc.open, ri)
			case ws <= w.end+1:
				w.start, w.end = min(w.start, ws), max(w.end, we)
			default:
				sc.cands = d.regexMatches(sc.cands, ri, b, w.start, w.end, depth)
				*w = window{ws, we}
			}
		}
	})
	for _, ri := range sc.open {
		w := &sc.win[ri]
		sc.cands = d.regexMatches(sc.cands, ri, b, w.start, w.end, depth)
		w.end = -1
	}
	sc.open = sc.open[:0]
	for _, ri := range d.always {
		if pathOK != nil && !pathOK[ri] {
			continue
		}
		sc.cands = d.regexMatches(sc.cands, ri, b, 0, len(b), depth)
	}
	if depth < d.maxDepth {
		sc.cands = d.decodeB64(sc.cands, start, b, sc, pathOK, depth)
	}
	out := d.dropShadowed(sc.cands[start:])
	sc.cands = append(sc.cands[:start], out...)
	return sc.cands
}

// regexMatches appends the matches of rule ri in b[s:e], a stretch of
// whole lines, with gitleaks' semantics: the match is trimmed of newlines
// at both ends, and the secret is the rule's secretGroup (else the first
// non-empty group, else the whole match) of the regex run again on the
// trimmed match alone.
func (d *detector) regexMatches(dst []raw, ri int, b []byte, s, e, depth int) []raw {
	r := &d.rules[ri]
	seg := b[s:e]
	for _, m := range d.lineRe[ri].FindAllIndex(seg, -1) {
		ms, me := m[0], m[1]
		for me > ms && seg[me-1] == '\n' {
			me--
		}
		for ms < me && seg[ms] == '\n' {
			ms++
		}
		if me <= ms {
			continue
		}
		ss, se := ms, me
		if g := r.Regex.FindSubmatchIndex(seg[ms:me]); len(g) >= 4 {
			if k := r.SecretGroup; k > 0 {
				if 2*k+1 >= len(g) {
					continue // no such group: gitleaks drops the match too
				}
				ss, se = ms+g[2*k], ms+g[2*k+1]
			} else {
				for k := 1; 2*k+1 < len(g); k++ {
					if g[2*k] >= 0 && g[2*k+1] > g[2*k] {
						ss, se = ms+g[2*k], ms+g[2*k+1]
						break
					}
				}
			}
		}
		if se <= ss {
			continue
		}
		if r.Entropy > 0 && entropy(string(seg[ss:se])) <= r.Entropy {
			continue
		}
		dst = append(dst, raw{rule: ri, sp: span{s + ms, s + me, s + ss, s + se}, decoded: depth})
	}
	return dst
}

// dropShadowed removes generic candidates overlapping a specific one, and
// exact duplicates (same rule and secret span). A configured generic rule
// (a regex rule) is left alone here: gitleaks decides its precedence on
// findings, after allowlists (see [compiled.shadowed]).
func (d *detector) dropShadowed(c []raw) []raw {
	if len(c) < 2 {
		return c
	}
	slices.SortFunc(c, func(a, b raw) int {
		if a.sp.start != b.sp.start {
			return a.sp.start - b.sp.start
		}
		return a.rule - b.rule
	})
	out := c[:0]
	for i, x := range c {
		if i > 0 && x.rule == c[i-1].rule && x.sp == c[i-1].sp && x.secret == c[i-1].secret {
			continue
		}
		if d.rules[x.rule].generic && d.rules[x.rule].match != nil {
			shadow := false
			for _, y := range c {
				if !d.rules[y.rule].generic && y.sp.sStart < x.sp.sEnd && x.sp.sStart < y.sp.sEnd {
					shadow = true
					break
				}
			}
			if shadow {
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// decodeB64 finds base64 runs of at least minB64 characters that are not
// already inside a candidate of a specific (not generic) rule, decodes
// those that decode to text (the hex runs in them as hex, the rest as
// base64), and rescans the text. A decoded candidate is reported at the
// encoded run.
const minB64 = 20

func (d *detector) decodeB64(dst []raw, start int, b []byte, sc *scratch, pathOK []bool, depth int) []raw {
	// Spans already matched, sorted by start, for an O(log n) "inside a
	// candidate" test per run.
	spans := make([]span, 0, len(dst)-start)
	for _, c := range dst[start:] {
		// A generic rule's match (a value under a key-like name) does not
		// count: its finding may be allowlisted, while what the value
		// decodes to is a finding of its own.
		if !d.rules[c.rule].generic {
			spans = append(spans, c.sp)
		}
	}
	slices.SortFunc(spans, func(x, y span) int { return x.start - y.start })
	// maxEnd[i] is the largest end among spans[:i+1].
	maxEnd := make([]int, len(spans))
	for i, sp := range spans {
		maxEnd[i] = sp.end
		if i > 0 && maxEnd[i-1] > sp.end {
			maxEnd[i] = maxEnd[i-1]
		}
	}
	covered := func(s, e int) bool {
		// Last span starting at or before s; covered if any span up to it ends at or after e.
		i, _ := slices.BinarySearchFunc(spans, s+1, func(x span, t int) int { return x.start - t })
		return i > 0 && maxEnd[i-1] >= e
	}
	var inner *scratch
	// rescan appends the findings in text, decoded from b[sp.start:sp.end],
	// each reported at that run.
	rescan := func(dst []raw, text []byte, sp span, codec string) []raw {
		if inner == nil {
			inner = d.newScratch()
		}
		inner.cands = inner.cands[:0]
		for _, c := range d.detect(text, inner, pathOK, depth+1) {
			sec := c.secret
			if sec == "" {
				sec = string(text[c.sp.sStart:c.sp.sEnd])
			}
			dst = append(dst, raw{rule: c.rule, sp: sp, secret: sec, decoded: c.decoded, codec: codec, badSum: c.badSum})
		}
		return dst
	}
	// Find runs of at least minB64 base64 bytes by probing every minB64-th
	// byte: a run that long must contain a probe, so text without long runs
	// is mostly skipped.
	for i := 0; i+minB64 <= len(b); {
		j := i + minB64 - 1
		if !clsB64Any[b[j]] {
			i = j + 1
			continue
		}
		s := runBack(b, j, clsB64Any, j-i)
		e := run(b, j, clsB64Any, len(b))
		i = e + 1
		if e-s < minB64 || covered(s, e) {
			continue
		}
		// Hex digits are base64 characters too: the hex runs of a run
		// are tried first, and a run that is one hex run of text is not
		// also read as base64.
		whole := false
		for k := s; k+minHex <= e; { // probing every minHex-th byte, as above
			j := k + minHex - 1
			if !clsHex[b[j]] {
				k = j + 1
				continue
			}
			hs, he := runBack(b, j, clsHex, j-k), run(b, j, clsHex, e-j)
			k = he + 1
			if he-hs < minHex {
				continue
			}
			if text, ok := hexText(b[hs:he]); ok {
				dst = rescan(dst, text, span{hs, he, hs, he}, codecHex)
				whole = hs == s && he == e
			}
		}
		if whole {
			continue
		}
		if text, ok := decodeText(b[s:e]); ok {
			dst = rescan(dst, text, span{s, e, s, e}, codecBase64)
		}
	}
	return dst
}

// minHex is the shortest hex run decoded (16 bytes of text), as long as
// the hex runs gitleaks decodes.
const minHex = 32

func hasDigit(p []byte) bool {
	for _, c := range p {
		if '0' <= c && c <= '9' {
			return true
		}
	}
	return false
}

// hexText decodes a run of hex digits and reports whether it is an even
// number of digits, holds a decimal digit (a run of letters a-f alone is
// a word more often than an encoding) and decodes to printable text.
// Hashes and ids decode to binary and are rejected within a few bytes.
func hexText(enc []byte) ([]byte, bool) {
	if len(enc)%2 != 0 || !hasDigit(enc) {
		return nil, false
	}
	for k := 0; k < len(enc); k += 2 { // checked before anything is allocated
		if c := byte(hexVal(enc[k])<<4 | hexVal(enc[k+1])); c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c >= 0x7f {
			return nil, false
		}
	}
	out := make([]byte, len(enc)/2)
	for k := range out {
		out[k] = byte(hexVal(enc[2*k])<<4 | hexVal(enc[2*k+1]))
	}
	return out, true
}

// decodeText decodes a base64 (standard or URL alphabet, padded or not)
// run and reports whether the result is printable text.
func decodeText(enc []byte) ([]byte, bool) {
	s := bytes.TrimRight(enc, "=")
	if len(s)%4 == 1 {
		s = s[:len(s)-1] // not a whole base64 quantum; decode the rest
	}
	if len(s) < minB64-3 {
		return nil, false
	}
	enc2 := base64.RawStdEncoding
	if bytes.ContainsAny(s, "-_") {
		if bytes.ContainsAny(s, "+/") {
			return nil, false
		}
		enc2 = base64.RawURLEncoding
	}
	// Cheap rejection: most long base64 runs are binary.
	head := s
	if len(head) > 32 {
		head = head[:32]
	}
	var hb [24]byte
	n, err := enc2.Decode(hb[:], head)
	if err != nil || !printable(hb[:n]) {
		return nil, false
	}
	out := make([]byte, enc2.DecodedLen(len(s)))
	n, err = enc2.Decode(out, s)
	if err != nil || !printable(out[:n]) {
		return nil, false
	}
	return out[:n], true
}

func printable(p []byte) bool {
	for _, c := range p {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c >= 0x7f {
			return false
		}
	}
	return true
}

// defaultDetector runs the built-in rules; scanners share it.
var defaultDetector = sync.OnceValue(func() *detector { return newDetector(builtinRules, 2) })
