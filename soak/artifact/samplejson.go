package artifact

import (
	"bytes"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/soakkit/soakkit/internal/asciidec"
	"github.com/soakkit/soakkit/probe"
)

// A sampleDecoder decodes the flat samples.jsonl objects the engine writes
// into [probe.Sample], every field, in one pass and without reflection or
// allocation: a 72 h run sampled at 1 Hz has 259,200 lines, and a merge of
// a hundred such runs decodes them all. It keeps the last target's string,
// so a file of a few targets allocates each once, not once a line.
//
// decode returns false for anything it does not expect (escapes, nesting,
// whitespace inside the object, numbers in unusual forms, keys that
// encoding/json would match case-insensitively), and the caller falls back
// to encoding/json; whatever it accepts, it decodes as encoding/json does
// (FuzzParseSample checks it).
type sampleDecoder struct {
	target string
}

// parseSample decodes b into s with a fresh decoder.
func parseSample(b []byte, s *probe.Sample) bool {
	var d sampleDecoder
	return d.decode(b, s)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (d *sampleDecoder) decode(b []byte, s *probe.Sample) bool {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	i, end := 1, len(b)-1
	if i == end {
		return true
	}
	for {
		if b[i] != '"' {
			return false
		}
		i++
		k := i
		for i < end && b[i] != '"' {
			if c := b[i]; c < 0x20 || c >= 0x80 || c == '\\' {
				return false // escapes and non-ASCII keys are left to encoding/json
			}
			i++
		}
		if i+1 >= end || b[i+1] != ':' {
			return false
		}
		key := b[k:i]
		i += 2
		var val []byte
		str := b[i] == '"'
		if str {
			i++
			v := i
			ascii := true
			for i < end && b[i] != '"' {
				c := b[i]
				if c < 0x20 || c == '\\' {
					return false
				}
				if c >= 0x80 {
					ascii = false
				}
				i++
			}
			if i >= end {
				return false
			}
			val = b[v:i]
			if !ascii && !utf8.Valid(val) {
				return false // encoding/json replaces invalid UTF-8
			}
			i++
		} else {
			v := i
			for i < end && b[i] != ',' {
				i++
			}
			val = b[v:i]
		}
		if !d.set(s, key, val, str) {
			return false
		}
		if i == end {
			return true
		}
		if b[i] != ',' || i+1 >= end {
			return false
		}
		i++
	}
}

// set sets the Sample field named by its JSON key. Unknown keys are
// ignored, as encoding/json would.
func (d *sampleDecoder) set(s *probe.Sample, key, val []byte, str bool) bool {
	switch string(key) { // no allocation: the compiler compares the bytes
	case "t":
		if !str {
			return false
		}
		t, err := time.Parse(time.RFC3339Nano, string(val))
		s.Time = t
		return err == nil
	case "target":
		if !str {
			return false
		}
		if string(val) != d.target {
			d.target = string(val)
		}
		s.Target = d.target
		return true
	case "gone":
		return boolField(val, str, &s.Gone)
	case "restart":
		return boolField(val, str, &s.Restart)
	case "rss":
		return uintField(val, str, &s.RSS)
	case "fds":
		return intField(val, str, &s.FDs)
	case "threads":
		return intField(val, str, &s.Threads)
	case "procs":
		return intField(val, str, &s.Procs)
	case "zombies":
		return intField(val, str, &s.Zombies)
	case "go_heap_live":
		return uintField(val, str, &s.HeapLive)
	case "go_mem_total":
		return uintField(val, str, &s.GoMemTotal)
	case "goroutines":
		return intField(val, str, &s.Goroutines)
	case "mem_total":
		return uintField(val, str, &s.MemTotal)
	case "mem_used":
		return uintField(val, str, &s.MemUsed)
	case "fd_pct":
		return floatField(val, str, &s.MaxFDPct)
	case "pid":
		return intField(val, str, &s.PID)
	case "cpu_s":
		return floatField(val, str, &s.CPU)
	case "cpu_pct":
		return floatField(val, str, &s.CPUPct)
	case "partial":
		return intField(val, str, &s.Partial)
	case "gc_cycles":
		return uintField(val, str, &s.GCCycles)
	case "mem_avail":
		return uintField(val, str, &s.MemAvailable)
	case "host_cpu_pct":
		return floatField(val, str, &s.HostCPUPct)
	case "took_ns":
		var v int64
		ok := int64Field(val, str, &v, 64)
		s.Took = time.Duration(v)
		return ok
	case "disk_path":
		s.DiskPath = string(val)
		return str
	case "disk_free":
		return uintField(val, str, &s.DiskFree)
	}
	// An unknown key: its value must still be JSON (null is left to
	// encoding/json), and encoding/json matches keys case-insensitively,
	// so a key that folds to a known one is left to it.
	if !str && !isJSONNumber(val) && string(val) != "true" && string(val) != "false" {
		return false
	}
	for _, k := range sampleKeys {
		if bytes.EqualFold([]byte(k), key) {
			return false
		}
	}
	return true
}

// sampleKeys are the JSON keys of probe.Sample.
var sampleKeys = []string{"t", "target", "pid", "gone", "restart", "procs", "zombies", "rss", "cpu_s", "cpu_pct",
	"fds", "fd_pct", "threads", "partial", "go_heap_live", "go_mem_total", "goroutines", "gc_cycles",
	"mem_total", "mem_avail", "mem_used", "host_cpu_pct", "disk_free", "disk_path", "took_ns"}

// digits returns the value of b if it is a JSON integer of 1 to 19 digits
// without sign (so it fits a uint64), the form the engine writes.
func digits(b []byte) (uint64, bool) {
	if len(b) > 1 && b[0] == '0' {
		return 0, false // not JSON
	}
	return asciidec.Uint(b)
}

// Integer fields parse as encoding/json parses them (1.5, -1 or 1e3 in a
// uint64 is not a sample there either), so the two paths agree; the slow
// paths below take any form the fast one does not.

func uintField(val []byte, str bool, dst *uint64) bool {
	if str {
		return false
	}
	if v, ok := digits(val); ok {
		*dst = v
		return true
	}
	if !isJSONNumber(val) {
		return false
	}
	v, err := strconv.ParseUint(string(val), 10, 64)
	*dst = v
	return err == nil
}

func intField(val []byte, str bool, dst *int) bool {
	var v int64
	ok := int64Field(val, str, &v, strconv.IntSize)
	*dst = int(v)
	return ok
}

func int64Field(val []byte, str bool, dst *int64, bits int) bool {
	if str {
		return false
	}
	if v, ok := digits(val); ok && v <= math.MaxInt32 {
		*dst = int64(v)
		return true
	}
	if !isJSONNumber(val) {
		return false
	}
	v, err := strconv.ParseInt(string(val), 10, bits)
	*dst = v
	return err == nil
}

func floatField(val []byte, str bool, dst *float64) bool {
	if str {
		return false
	}
	if f, ok := decimal(val); ok {
		*dst = f
		return true
	}
	if !isJSONNumber(val) {
		return false
	}
	f, err := strconv.ParseFloat(string(val), 64)
	*dst = f
	return err == nil
}

// pow10 are the powers of ten that a float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// decimal returns the value of b if it is a JSON number without sign or
// exponent ("12", "0.02", "1234.5") of at most 15 significant digits and 15
// decimals. Both the digits, as an integer, and the power of ten are exact
// in a float64, so their IEEE quotient is the correctly rounded value, as
// strconv.ParseFloat returns it (its own exact fast path).
func decimal(b []byte) (float64, bool) {
	var mant uint64
	nd, frac, dot := 0, 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			nd++
			if dot >= 0 {
				frac++
			}
		case c == '.' && dot < 0 && i > 0 && i < len(b)-1:
			dot = i
		default:
			return 0, false
		}
	}
	if nd == 0 || nd > 15 || frac >= len(pow10) || (b[0] == '0' && len(b) > 1 && b[1] != '.') {
		return 0, false
	}
	return float64(mant) / pow10[frac], true
}

func boolField(val []byte, str bool, dst *bool) bool {
	if str || (string(val) != "true" && string(val) != "false") {
		return false
	}
	*dst = string(val) == "true"
	return true
}

// plainString reports whether b, the inside of a JSON string without
// escapes, is valid as is: UTF-8 without control characters, which
// encoding/json would reject or replace.
func plainString(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return false
		}
	}
	return utf8.Valid(b)
}

// isJSONNumber reports whether b is a number in JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(b []byte) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}
