package step

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// A Shard selects one part of a suite split across several runners, so
// that Total runners, each with its own Index, cover the suite once per
// iteration. Index counts from 0, as Kubernetes' JOB_COMPLETION_INDEX and
// GitHub Actions' strategy.job-index do. The zero Shard is the whole suite.
//
// Its text form, in flags and config files, is "INDEX/TOTAL": "0/4".
type Shard struct {
	Index int // 0 ≤ Index < Total
	Total int // number of shards; 0 or 1: the whole suite
}

// ErrBadShard is wrapped by every error [ParseShard] returns.
var ErrBadShard = errors.New("bad shard")

// ParseShard parses "INDEX/TOTAL" with 0 ≤ INDEX < TOTAL. The empty string
// is the zero Shard.
func ParseShard(s string) (Shard, error) {
	if strings.TrimSpace(s) == "" {
		return Shard{}, nil
	}
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("%w: %q is not INDEX/TOTAL, e.g. 0/4", ErrBadShard, s)
	case n < 1:
		return Shard{}, fmt.Errorf("%w: %q: the total must be at least 1", ErrBadShard, s)
	case i < 0 || i >= n:
		return Shard{}, fmt.Errorf("%w: %q: the index counts from 0 and must be less than the total %d", ErrBadShard, s, n)
	}
	return Shard{Index: i, Total: n}, nil
}

// Whole reports whether s selects the whole suite.
func (s Shard) Whole() bool { return s.Total <= 1 }

// String returns "INDEX/TOTAL", or "" for the whole suite.
func (s Shard) String() string {
	if s.Whole() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Total)
}

// IsZero reports whether s is the zero Shard (for encoding's omitzero).
func (s Shard) IsZero() bool { return s == Shard{} }

// MarshalText implements [encoding.TextMarshaler].
func (s Shard) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseShard].
func (s *Shard) UnmarshalText(b []byte) error {
	v, err := ParseShard(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Select returns the items of this shard: items sorted and deduplicated,
// then every Total-th one starting at Index (round robin). Runners that
// list the same items select disjoint parts that together are all of
// them, whatever order each listed them in. The whole suite selects all.
func (s Shard) Select(items []string) []string {
	sorted := slices.Clone(items)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	if s.Whole() {
		return sorted
	}
	var out []string
	for i := s.Index; i < len(sorted); i += s.Total {
		out = append(out, sorted[i])
	}
	return out
}

// Env returns the environment variables that tell a command which shard
// it runs, so that a test runner with its own selection can use them:
// SOAKKIT_SHARD ("INDEX/TOTAL"), SOAKKIT_SHARD_INDEX (from 0) and
// SOAKKIT_SHARD_TOTAL. nil for the whole suite.
func (s Shard) Env() []string {
	if s.Whole() {
		return nil
	}
	return []string{"SOAKKIT_SHARD=" + s.String(), "SOAKKIT_SHARD_INDEX=" + strconv.Itoa(s.Index),
		"SOAKKIT_SHARD_TOTAL=" + strconv.Itoa(s.Total)}
}

// listPackages runs `go list` on patterns in dir and returns the import
// paths it prints, one a line.
func listPackages(ctx context.Context, goCmd, dir string, env, patterns []string) ([]string, error) {
	cmd := exec.CommandContext(ctx, goCmd, append([]string{"list"}, patterns...)...)
	cmd.Dir = dir
	if len(env) > 0 {
		cmd.Env = append(cmd.Environ(), env...)
	}
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return nil, fmt.Errorf("go list: %v: %s", err, truncate(strings.TrimSpace(string(ee.Stderr)), MaxDetails))
		}
		return nil, fmt.Errorf("go list: %w", err)
	}
	return strings.Fields(string(out)), nil
}
