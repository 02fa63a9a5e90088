package probe

import (
	"errors"
	"fmt"

	"github.com/soakkit/soakkit/internal/asciidec"
)

// procStat holds the fields of a Linux /proc/<pid>/stat line that a sample
// needs. The parser lives in a portable file so that it is fuzzed and tested
// on every OS.
type procStat struct {
	PID       int
	State     byte
	PPID      int
	UTime     uint64 // clock ticks
	STime     uint64 // clock ticks
	Threads   int
	StartTime uint64 // clock ticks since boot; with PID, identifies a process
	RSSPages  int64
}

var errStatFormat = errors.New("malformed stat line")

// parseProcStat parses the content of /proc/<pid>/stat. The command name is
// in parentheses and may itself contain spaces and parentheses, so fields are
// counted from the last ')'.
func parseProcStat(b []byte) (procStat, error) {
	var st procStat
	open := -1
	for i, c := range b {
		if c == '(' {
			open = i
			break
		}
	}
	closing := -1
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == ')' {
			closing = i
			break
		}
	}
	if open < 1 || closing < open {
		return st, fmt.Errorf("probe: %w: no command name", errStatFormat)
	}
	pid, ok := asciidec.Uint(trimSpace(b[:open]))
	if !ok {
		return st, fmt.Errorf("probe: %w: bad pid", errStatFormat)
	}
	st.PID = int(pid)
	// Fields after the command: index 0 is field 3 (state).
	rest := b[closing+1:]
	idx := 0
	i := 0
	for idx <= 21 {
		for i < len(rest) && (rest[i] == ' ' || rest[i] == '\n') {
			i++
		}
		if i >= len(rest) {
			break
		}
		j := i
		for j < len(rest) && rest[j] != ' ' && rest[j] != '\n' {
			j++
		}
		f := rest[i:j]
		i = j
		switch idx {
		case 0:
			if len(f) != 1 {
				return st, fmt.Errorf("probe: %w: bad state %q", errStatFormat, f)
			}
			st.State = f[0]
		case 1, 11, 12, 17, 19, 21:
			neg := false
			if len(f) > 0 && f[0] == '-' {
				neg, f = true, f[1:]
			}
			v, ok := asciidec.Uint(f)
			if !ok {
				return st, fmt.Errorf("probe: %w: field %d", errStatFormat, idx+3)
			}
			switch idx {
			case 1:
				st.PPID = int(v)
			case 11:
				st.UTime = v
			case 12:
				st.STime = v
			case 17:
				st.Threads = int(v)
			case 19:
				st.StartTime = v
			case 21:
				st.RSSPages = int64(v)
				if neg {
					st.RSSPages = -st.RSSPages
				}
			}
			if neg && idx != 21 {
				return st, fmt.Errorf("probe: %w: negative field %d", errStatFormat, idx+3)
			}
		}
		idx++
	}
	if idx <= 21 {
		return st, fmt.Errorf("probe: %w: %d fields after command, want at least 22", errStatFormat, idx)
	}
	return st, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// parsePIDList parses the space-separated pids of a
// /proc/<pid>/task/<tid>/children file, appending them to dst.
func parsePIDList(dst []int, b []byte) []int {
	i := 0
	for i < len(b) {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n') {
			i++
		}
		j := i
		for j < len(b) && b[j] != ' ' && b[j] != '\n' {
			j++
		}
		if j > i {
			if v, ok := asciidec.Uint(b[i:j]); ok && v > 0 && v < 1<<31 {
				dst = append(dst, int(v))
			}
		}
		i = j
	}
	return dst
}

// parseNofile returns the soft "Max open files" limit from the content of
// /proc/<pid>/limits, or 0 if absent or unlimited.
func parseNofile(b []byte) uint64 {
	const key = "Max open files"
	for len(b) > 0 {
		line := b
		if k := indexByte(b, '\n'); k >= 0 {
			line, b = b[:k], b[k+1:]
		} else {
			b = nil
		}
		if len(line) < len(key) || string(line[:len(key)]) != key {
			continue
		}
		f := trimSpace(line[len(key):])
		end := 0
		for end < len(f) && f[end] != ' ' {
			end++
		}
		v, ok := asciidec.Uint(f[:end])
		if !ok {
			return 0
		}
		return v
	}
	return 0
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
