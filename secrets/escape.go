package secrets

import (
	"bytes"
	"unicode/utf8"
)

// Escapes: a token inside a JSON string or a URL query is still a token.
// Two cheap measures cover the common cases without decoding whole chunks:
//
//   - A token's left boundary may be the end of an escape sequence whose
//     last character is a word character (`\n`, `\t`, `\u00a0`, `%3D`), so
//     "first\nxoxb-…" and "token%3Dghp_…" match where a plain word
//     character before the prefix would not (see [contBefore]).
//   - When a keyword hit does not verify and an escape sequence sits next
//     to it, the line around the hit is decoded (JSON string escapes and
//     percent-encoding) and the hit is verified again in the decoded text;
//     a match is mapped back to the encoded bytes it came from (see
//     [detector.retryDecoded]).

// escBefore reports whether b[:i] ends with an escape sequence whose last
// byte is a word character: \n \t \r \b \f (after an odd number of
// backslashes), \uXXXX, or %XX.
func escBefore(b []byte, i int) bool {
	if i >= 2 {
		switch b[i-1] {
		case 'n', 't', 'r', 'b', 'f':
			if b[i-2] == '\\' && oddBackslashes(b, i-1) {
				return true
			}
		}
	}
	if i >= 3 && b[i-3] == '%' && clsHex[b[i-2]] && clsHex[b[i-1]] {
		return true
	}
	if i >= 6 && b[i-6] == '\\' && b[i-5] == 'u' && clsHex[b[i-4]] && clsHex[b[i-3]] && clsHex[b[i-2]] && clsHex[b[i-1]] && oddBackslashes(b, i-5) {
		return true
	}
	return false
}

// oddBackslashes reports whether the run of backslashes ending just before
// b[i] has odd length, so that b[i] is escaped.
func oddBackslashes(b []byte, i int) bool {
	n := 0
	for i-1-n >= 0 && b[i-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// contBefore reports whether the byte before b[i] continues a token of
// class c, so that a token starting at i is not on a boundary. The end of
// an escape sequence is a boundary.
func contBefore(b []byte, i int, c *class) bool {
	return c[at(b, i-1)] && !escBefore(b, i)
}

// hasEscape reports whether b holds a JSON escape or a percent-encoded byte.
func hasEscape(b []byte) bool {
	for k := 0; k < len(b); k++ {
		switch b[k] {
		case '\\':
			if k+1 < len(b) {
				switch b[k+1] {
				case 'n', 't', 'r', 'b', 'f', '"', '/', '\\', 'u', '\'':
					return true
				}
			}
		case '%':
			if k+2 < len(b) && clsHex[b[k+1]] && clsHex[b[k+2]] {
				return true
			}
		}
	}
	return false
}

// unescape decodes JSON string escapes and percent-encoding in b. src[k]
// is the offset in b of the escape (or byte) that produced out[k]; src has
// one more entry, len(b). Malformed escapes are copied as they are.
func unescape(b []byte) (out []byte, src []int) {
	out = make([]byte, 0, len(b))
	src = make([]int, 0, len(b)+1)
	for k := 0; k < len(b); {
		c := b[k]
		switch {
		case c == '\\' && k+1 < len(b):
			var d byte
			switch b[k+1] {
			case 'n':
				d = '\n'
			case 't':
				d = '\t'
			case 'r':
				d = '\r'
			case 'b':
				d = '\b'
			case 'f':
				d = '\f'
			case '"', '/', '\\', '\'':
				d = b[k+1]
			case 'u':
				if k+6 <= len(b) && clsHex[b[k+2]] && clsHex[b[k+3]] && clsHex[b[k+4]] && clsHex[b[k+5]] {
					r := rune(hexVal(b[k+2])<<12 | hexVal(b[k+3])<<8 | hexVal(b[k+4])<<4 | hexVal(b[k+5]))
					var enc [4]byte
					n := utf8.EncodeRune(enc[:], r)
					for m := 0; m < n; m++ {
						out = append(out, enc[m])
						src = append(src, k)
					}
					k += 6
					continue
				}
			}
			if d != 0 {
				out = append(out, d)
				src = append(src, k)
				k += 2
				continue
			}
		case c == '%' && k+2 < len(b) && clsHex[b[k+1]] && clsHex[b[k+2]]:
			out = append(out, byte(hexVal(b[k+1])<<4|hexVal(b[k+2])))
			src = append(src, k)
			k += 3
			continue
		}
		out = append(out, c)
		src = append(src, k)
		k++
	}
	src = append(src, len(b))
	return out, src
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	default:
		return int(c-'A') + 10
	}
}

// mapEnd maps an exclusive end offset in decoded text back to b: the end
// of the escape that produced out[k-1].
func mapEnd(src []int, k int) int {
	if k <= 0 {
		return src[0]
	}
	s := src[k-1]
	for k < len(src)-1 && src[k] == s {
		k++
	}
	return src[k]
}

// escWindow bounds the text decoded around a keyword hit: enough for a key
// before it and a long value after it.
const (
	escBack  = 160
	escAhead = 2048
)

// retryDecoded verifies a keyword hit again in the decoded text of the line
// around it, when an escape sequence is next to the hit. A match is mapped
// back to b; secret is the decoded secret.
func (d *detector) retryDecoded(r *Rule, b []byte, kStart, kEnd int) (sp span, secret string, ok bool) {
	near := b[max(0, kStart-8):min(len(b), kEnd+48)]
	if bytes.IndexByte(near, '\\') < 0 && bytes.IndexByte(near, '%') < 0 || !hasEscape(near) {
		return span{}, "", false
	}
	ws := max(0, kStart-escBack)
	if nl := bytes.LastIndexByte(b[ws:kStart], '\n'); nl >= 0 {
		ws += nl + 1
	}
	we := min(len(b), kEnd+escAhead)
	if nl := bytes.IndexByte(b[kEnd:we], '\n'); nl >= 0 {
		we = kEnd + nl
	}
	dec, src := unescape(b[ws:we])
	// The keyword itself is plain text; find where it landed.
	di := -1
	for k := range dec {
		if src[k] == kStart-ws {
			di = k
			break
		}
	}
	if di < 0 || di+(kEnd-kStart) > len(dec) {
		return span{}, "", false
	}
	dsp, ok := r.match(dec, di, di+(kEnd-kStart))
	if !ok {
		return span{}, "", false
	}
	if r.Entropy > 0 && entropy(string(dec[dsp.sStart:dsp.sEnd])) <= r.Entropy {
		return span{}, "", false
	}
	sp = span{
		start:  ws + src[dsp.start],
		end:    ws + mapEnd(src, dsp.end),
		sStart: ws + src[dsp.sStart],
		sEnd:   ws + mapEnd(src, dsp.sEnd),
	}
	return sp, string(dec[dsp.sStart:dsp.sEnd]), true
}
