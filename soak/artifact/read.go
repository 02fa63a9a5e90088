package artifact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
)

// errStop ends a read early when the consumer of an iterator stops ranging.
var errStop = errors.New("artifact: stop")

// Records yields every record of the iterations.jsonl file at path, in file
// order, range records (see [Range]) like any other. A torn last line (a
// crash mid-write) is skipped. A line that is not a record, or a range
// record that does not add up, yields an error naming path:line, and ends
// the sequence; so
// does a missing file (the error wraps [fs.ErrNotExist], for callers to
// whom a soak that has not recorded anything yet is no error).
func Records(path string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		stopped := false
		err := records(path, func(r *Record, _ int) error {
			if !yield(*r, nil) {
				stopped = true
				return errStop
			}
			return nil
		})
		if err != nil && !stopped {
			yield(Record{}, err)
		}
	}
}

// records calls fn with every record of path and its line number.
func records(path string, fn func(r *Record, line int) error) error {
	var dec recordDecoder // the engine's lines without reflection; anything else through encoding/json
	return jsonl.Scan(path, func(line []byte, n int) error {
		var r Record
		if !dec.decode(line, &r) {
			r = Record{}
			if err := json.Unmarshal(line, &r); err != nil {
				return &jsonl.ParseError{File: path, Line: n, Err: err}
			}
		}
		if err := r.validRange(); err != nil {
			return &jsonl.ParseError{File: path, Line: n, Err: err}
		}
		return fn(&r, n)
	})
}

// Samples yields every sample of the samples.jsonl file at path, in file
// order, with the same rules as [Records]: a torn last line is skipped, a
// line that is not a sample or a missing file yields an error and ends the
// sequence. It decodes the flat lines the engine writes without reflection
// (a 72 h soak sampled every second has hundreds of thousands of them) and
// any other valid form through encoding/json, with the same result.
func Samples(path string) iter.Seq2[probe.Sample, error] {
	return func(yield func(probe.Sample, error) bool) {
		stopped := false
		var s probe.Sample // one for the whole file: a Sample per line would escape to the heap
		err := jsonl.Scan(path, func(line []byte, n int) error {
			s = probe.Sample{}
			if !parseSample(line, &s) {
				s = probe.Sample{}
				if err := json.Unmarshal(line, &s); err != nil {
					return &jsonl.ParseError{File: path, Line: n, Err: err}
				}
			}
			if !yield(s, nil) {
				stopped = true
				return errStop
			}
			return nil
		})
		if err != nil && !stopped {
			yield(probe.Sample{}, err)
		}
	}
}

// ReadState reads the state.json file at path. A missing file is an error
// wrapping [fs.ErrNotExist]; a file that is not a State is an error naming
// path.
func ReadState(path string) (*State, error) {
	var st State
	if err := canonjson.Read(path, &st); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("artifact: %w", err)
	}
	return &st, nil
}

// parseSample decodes a flat samples.jsonl object into s, every field of
// [probe.Sample], without reflection: the format is flat (strings, numbers and booleans) and a 72 h
// run at 1 Hz has hundreds of thousands of lines. It returns false for
// anything it does not expect (escapes, nesting), and the caller falls back
// to encoding/json.
func parseSample(b []byte, s *probe.Sample) bool {
	b = bytes.Trim(b, " \t\r\n") // JSON whitespace only
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	b = b[1 : len(b)-1]
	for first := true; len(b) > 0; first = false {
		if !first {
			if b[0] != ',' {
				return false
			}
			b = b[1:]
		}
		if len(b) == 0 || b[0] != '"' {
			return false
		}
		end := bytes.IndexByte(b[1:], '"')
		if end < 0 {
			return false
		}
		key := b[1 : 1+end]
		if bytes.IndexByte(key, '\\') >= 0 || !plainString(key) {
			return false
		}
		b = b[2+end:]
		if len(b) == 0 || b[0] != ':' {
			return false
		}
		b = b[1:]
		if len(b) == 0 {
			return false
		}
		var val []byte
		str := false
		if b[0] == '"' {
			end := bytes.IndexByte(b[1:], '"')
			if end < 0 {
				return false
			}
			val = b[1 : 1+end]
			if bytes.IndexByte(val, '\\') >= 0 || !plainString(val) {
				return false
			}
			b = b[2+end:]
			str = true
		} else {
			if b[0] == '{' || b[0] == '[' {
				return false
			}
			end := bytes.IndexByte(b, ',')
			if end < 0 {
				end = len(b)
			}
			val = b[:end]
			b = b[end:]
		}
		if !setField(s, key, val, str) {
			return false
		}
	}
	return true
}

// setField sets the Sample field named by its JSON key. Unknown keys are
// ignored, as encoding/json would.
func setField(s *probe.Sample, key, val []byte, str bool) bool {
	// strconv accepts forms JSON does not ("+1", "0x10", "Inf"): only a
	// JSON number goes on to it.
	if !str && !isJSONNumber(val) {
		switch string(val) {
		case "true", "false":
		default:
			return false // null, or not JSON: encoding/json decides
		}
	}
	num := func() (float64, bool) {
		if str {
			return 0, false
		}
		f, err := strconv.ParseFloat(string(val), 64)
		return f, err == nil
	}
	// Integer fields parse as encoding/json parses them (1.5, -1 or 1e3
	// in a uint64 is not a sample there either), so the two paths agree.
	u := func(dst *uint64) bool {
		v, err := strconv.ParseUint(string(val), 10, 64)
		*dst = v
		return !str && err == nil
	}
	i := func(dst *int) bool {
		v, err := strconv.ParseInt(string(val), 10, 0)
		*dst = int(v)
		return !str && err == nil
	}
	boolean := func(dst *bool) bool {
		if str || (string(val) != "true" && string(val) != "false") {
			return false
		}
		*dst = string(val) == "true"
		return true
	}
	switch string(key) { // no allocation: the compiler compares the bytes
	case "t":
		if !str {
			return false
		}
		t, err := time.Parse(time.RFC3339Nano, string(val))
		s.Time = t
		return err == nil
	case "target":
		s.Target = string(val)
		return str
	case "gone":
		return boolean(&s.Gone)
	case "restart":
		return boolean(&s.Restart)
	case "rss":
		return u(&s.RSS)
	case "fds":
		return i(&s.FDs)
	case "threads":
		return i(&s.Threads)
	case "procs":
		return i(&s.Procs)
	case "zombies":
		return i(&s.Zombies)
	case "go_heap_live":
		return u(&s.HeapLive)
	case "go_mem_total":
		return u(&s.GoMemTotal)
	case "goroutines":
		return i(&s.Goroutines)
	case "mem_total":
		return u(&s.MemTotal)
	case "mem_used":
		return u(&s.MemUsed)
	case "fd_pct":
		f, ok := num()
		s.MaxFDPct = f
		return ok
	case "pid":
		return i(&s.PID)
	case "cpu_s":
		f, ok := num()
		s.CPU = f
		return ok
	case "cpu_pct":
		f, ok := num()
		s.CPUPct = f
		return ok
	case "partial":
		return i(&s.Partial)
	case "gc_cycles":
		return u(&s.GCCycles)
	case "mem_avail":
		return u(&s.MemAvailable)
	case "host_cpu_pct":
		f, ok := num()
		s.HostCPUPct = f
		return ok
	case "took_ns":
		v, err := strconv.ParseInt(string(val), 10, 64)
		s.Took = time.Duration(v)
		return !str && err == nil
	case "disk_path":
		s.DiskPath = string(val)
		return str
	case "disk_free":
		return u(&s.DiskFree)
	}
	// encoding/json matches keys case-insensitively: leave such a key to it.
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
