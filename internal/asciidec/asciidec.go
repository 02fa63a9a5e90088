// Package asciidec parses unsigned decimal numbers from bytes without
// allocating: the fields of /proc files that a sampler reads for every
// process on every tick, and the integers of soakkit's own JSON Lines
// artifacts, millions of them in a long soak.
//
// It takes only plain digits. Signs, spaces, a number's JSON form (no
// leading zero) and anything that might overflow are left to its callers,
// which fall back to strconv where they accept more.
package asciidec

// Uint returns the value of b if b is 1 to 19 ASCII digits, which always
// fit in a uint64; leading zeros are allowed. Otherwise it returns 0, false.
func Uint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
