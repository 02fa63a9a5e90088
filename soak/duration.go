package soak

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A Duration is a [time.Duration] that reads and writes as a Go duration
// string ("90m", "1h30m", "2s"), so that config files stay readable. A bare
// number other than "0" is an error, never seconds or hours by guesswork.
type Duration time.Duration

// Std returns d as a [time.Duration].
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String returns d in Go duration syntax.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText implements [encoding.TextMarshaler].
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseDuration].
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ErrBadDuration is wrapped by every error [ParseDuration] returns.
var ErrBadDuration = errors.New("bad duration")

// ParseDuration parses a non-negative Go duration string. So that a typo
// never becomes a different soak length, a value that is empty, negative, unitless (other than "0") or malformed is an error
// wrapping [ErrBadDuration].
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("%w: empty", ErrBadDuration)
	}
	if t == "0" {
		return 0, nil
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return 0, fmt.Errorf("%w: %q has no unit (write e.g. %q or %q)", ErrBadDuration, s, t+"s", t+"m")
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("%w: %q: %v", ErrBadDuration, s, strings.TrimPrefix(err.Error(), "time: "))
	}
	if d < 0 {
		return 0, fmt.Errorf("%w: %q is negative", ErrBadDuration, s)
	}
	return d, nil
}

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
