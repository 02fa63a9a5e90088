package artifact

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

// ParseDuration parses a non-negative Go duration string. A value that is
// empty, negative, unitless (other than "0") or malformed is an error
// wrapping [ErrBadDuration]: a bare "24" is never read as seconds or hours
// by guesswork.
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
