package secrets

import "bytes"

// maxPEM bounds how far a private key block may extend past its BEGIN line.
const maxPEM = 16 << 10

var clsPEMBody = mkclass("a-zA-Z0-9+/=", " \t\r\n\\\"'`|>:,.-")

// matchPEM finds "-----BEGIN <label> PRIVATE KEY-----" and the key body
// after it, raw or embedded: "\n"-escaped in a JSON string, indented in a
// YAML block scalar, in a heredoc, or spread over concatenated string
// literals. The body must hold at least 64 base64 characters, so a
// documentation stub ("...") is not a key. The block ends at the matching
// END line, or, when that is missing (truncated input), where the body stops.
func matchPEM(b []byte, i, j int) (span, bool) {
	if !bytes.HasPrefix(b[i:], []byte("-----BEGIN ")) {
		return span{}, false
	}
	k := i + len("-----BEGIN ")
	le := k
	for le < len(b) && le-k < 48 && (clsUpperNum[b[le]] || b[le] == ' ') {
		le++
	}
	label := b[k:le]
	if !bytes.HasPrefix(b[le:], []byte("-----")) || !bytes.Contains(label, []byte("PRIVATE KEY")) {
		return span{}, false
	}
	bodyStart := le + 5
	limit := bodyStart + maxPEM
	if limit > len(b) {
		limit = len(b)
	}
	end := -1
	if e := bytes.Index(b[bodyStart:limit], []byte("-----END ")); e >= 0 {
		end = bodyStart + e
	}
	stop := limit
	if end >= 0 {
		stop = end
	}
	// Count base64 characters and reject bodies that are prose.
	n64, other := 0, 0
	p := bodyStart
	for ; p < stop; p++ {
		c := b[p]
		if clsB64[c] || c == '=' {
			n64++
			continue
		}
		if !clsPEMBody[c] {
			other++
			if end < 0 && other > 0 {
				break // truncated block: the body ends at the first foreign byte
			}
			if other > 8 {
				return span{}, false
			}
		}
	}
	if n64 < 64 {
		return span{}, false
	}
	if end < 0 {
		// The body of a truncated block does not own the line ends and
		// indentation after it: the secret is the same with or without a
		// final newline.
		for p > bodyStart && isSpaceByte(b[p-1]) {
			p--
		}
		return whole(i, p), true
	}
	e := end + len("-----END ")
	e = run(b, e, mkclass("A-Z0-9 "), 48)
	if bytes.HasPrefix(b[e:], []byte("-----")) {
		e += 5
	}
	return whole(i, e), true
}
