package secrets

import (
	"hash/crc32"
	"math"
)

// Byte classes used by the anchored matchers. Each is a 256-entry table so a
// class test is one load.
type class [256]bool

func mkclass(sets ...string) *class {
	var c class
	for _, s := range sets {
		for i := 0; i < len(s); i++ {
			if i+2 < len(s) && s[i+1] == '-' {
				for b := int(s[i]); b <= int(s[i+2]); b++ {
					c[b] = true
				}
				i += 2
				continue
			}
			c[s[i]] = true
		}
	}
	return &c
}

var (
	clsAlnum    = mkclass("a-zA-Z0-9")
	clsWord     = mkclass("a-zA-Z0-9_")
	clsUpperNum = mkclass("A-Z0-9")
	clsDigit    = mkclass("0-9")
	clsHex      = mkclass("0-9a-fA-F")
	clsB64URL   = mkclass("a-zA-Z0-9_-")           // base64url alphabet
	clsB64      = mkclass("a-zA-Z0-9+/")           // standard base64 alphabet, no padding
	clsB64Any   = mkclass("a-zA-Z0-9+/=_-")        // either alphabet, with padding
	clsIdent    = mkclass("a-zA-Z0-9_.-")          // identifier characters in key names
	clsSpace    = mkclass(" \t")                   // horizontal space
	clsTokenSep = mkclass("a-zA-Z0-9_.+/=-")       // characters that continue a token
	clsSlackTok = mkclass("a-zA-Z0-9-")            // Slack token body
	clsGitLab   = mkclass("a-zA-Z0-9_.-")          // GitLab token body
	clsURIUser  = mkclass("a-zA-Z0-9._~%!$&*+;=-") // userinfo characters (RFC 3986 sub-delims, minus ':' '@' and ',')
)

// at reports b[i] if i is in range, else 0, so boundary tests need no
// length checks.
func at(b []byte, i int) byte {
	if i < 0 || i >= len(b) {
		return 0
	}
	return b[i]
}

// run returns the end of the run of class c starting at i, reading at most max bytes.
func run(b []byte, i int, c *class, max int) int {
	end := i + max
	if end > len(b) {
		end = len(b)
	}
	for i < end && c[b[i]] {
		i++
	}
	return i
}

// runBack returns the start of the run of class c ending just before i,
// reading at most max bytes backwards.
func runBack(b []byte, i int, c *class, max int) int {
	stop := i - max
	if stop < 0 {
		stop = 0
	}
	for i > stop && c[b[i-1]] {
		i--
	}
	return i
}

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if len(s) == 0 {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	var h float64
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// distinct returns the number of distinct bytes in s.
func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62CRC returns the 6-character base62 encoding of the CRC-32 (IEEE) of
// s, zero-padded: the checksum GitHub and npm append to their tokens.
func base62CRC(s string) string {
	v := crc32.ChecksumIEEE([]byte(s))
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Alphabet[v%62]
		v /= 62
	}
	return string(out[:])
}

// checksumOK verifies a GitHub- or npm-style token body: 30 random base62
// characters followed by the base62 CRC-32 of those 30.
func checksumOK(body string) bool {
	if len(body) != 36 {
		return false
	}
	return base62CRC(body[:30]) == body[30:]
}

// lowerASCII writes the ASCII lower-case form of src into dst (grown as
// needed) and returns it. Non-ASCII bytes are copied unchanged, so offsets
// in the result match offsets in src.
func lowerASCII(dst, src []byte) []byte {
	if cap(dst) < len(src) {
		dst = make([]byte, len(src))
	}
	dst = dst[:len(src)]
	for i, c := range src {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
	return dst
}
