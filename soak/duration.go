package soak

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A ByteSize is a number of bytes that reads as "512MiB", "1GB", "64KiB" or a
// plain integer, and writes as a plain integer.
type ByteSize int64

// MarshalText implements [encoding.TextMarshaler].
func (b ByteSize) MarshalText() ([]byte, error) { return []byte(strconv.FormatInt(int64(b), 10)), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseByteSize].
func (b *ByteSize) UnmarshalText(t []byte) error {
	v, err := ParseByteSize(string(t))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// ErrBadByteSize is wrapped by every error [ParseByteSize] returns.
var ErrBadByteSize = errors.New("bad byte size")

var byteUnits = []struct {
	suffix string
	mult   int64
}{ // longest suffixes first
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// ParseByteSize parses a non-negative size: an integer number of bytes, or a
// number followed by B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB
// (powers of 1024). Anything else is an error wrapping [ErrBadByteSize].
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	if t == "" {
		return 0, fmt.Errorf("%w: %q", ErrBadByteSize, s)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || !(f >= 0) || f*float64(mult) > 1<<62 { // !(f >= 0) also rejects NaN
		return 0, fmt.Errorf("%w: %q", ErrBadByteSize, s)
	}
	return ByteSize(f * float64(mult)), nil
}
