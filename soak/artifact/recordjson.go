package artifact

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/soakkit/soakkit/step"
)

// A recordDecoder decodes the lines of iterations.jsonl the engine writes
// without reflection: a soak of fast iterations has millions of them, and
// encoding/json spends most of a summary's time on them. It scans the line
// itself and accepts only what it expects (the keys of [Record] and its
// parts as written, strings, integers, booleans); anything else (a range
// record, null, an unknown, repeated or differently cased key, a number
// that is not an integer, a control character or invalid UTF-8 in a
// string) makes decode return false, and the caller decodes the line with
// encoding/json, which then gives the same result it always did. A string
// with escapes is unquoted by encoding/json itself. FuzzRecordDecoder
// checks that the two agree.
type recordDecoder struct {
	b []byte // the line
	i int    // the next byte to read
}

// errUnexpected ends a decode the fast path does not handle.
var errUnexpected = errors.New("unexpected")

// decode decodes line into r and reports whether it could; on false, r
// holds garbage and must be reset.
func (d *recordDecoder) decode(line []byte, r *Record) bool {
	d.b, d.i = line, 0
	err := d.record(r)
	d.b = nil
	if err != nil {
		return false
	}
	// Nothing but whitespace may follow.
	d.b = line
	d.ws()
	ok := d.i == len(line)
	d.b = nil
	return ok
}

// ws skips JSON whitespace.
func (d *recordDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next byte after whitespace, '0' for the start of a
// number, or 0 at the end.
func (d *recordDecoder) peek() byte {
	d.ws()
	if d.i >= len(d.b) {
		return 0
	}
	c := d.b[d.i]
	if c == '-' || c >= '0' && c <= '9' {
		return '0'
	}
	return c
}

// quoted returns the inside of the string that starts at the next byte,
// and whether it has escapes, and moves past it.
func (d *recordDecoder) quoted() (raw []byte, escaped bool, err error) {
	if d.peek() != '"' {
		return nil, false, errUnexpected
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '\\':
			escaped = true
			j++
		case c == '"':
			d.i = j + 1
			return d.b[start:j], escaped, nil
		case c < 0x20:
			return nil, false, errUnexpected
		}
	}
	return nil, false, errUnexpected
}

// object reads an object, calling field with each name (raw, without
// quotes; no escapes) before its value is read. A name seen twice in the
// object declines the line, as encoding/json and this decoder may not
// agree on it.
func (d *recordDecoder) object(field func(name []byte) error) error {
	var seenBuf [16][]byte
	seen := seenBuf[:0]
	return d.list('{', '}', func() error {
		name, escaped, err := d.quoted()
		if err != nil || escaped || !utf8.Valid(name) {
			return errUnexpected
		}
		for _, s := range seen {
			if bytes.Equal(s, name) {
				return errUnexpected
			}
		}
		seen = append(seen, name)
		if d.peek() != ':' {
			return errUnexpected
		}
		d.i++
		return field(name)
	})
}

// array reads an array, calling elem for each element.
func (d *recordDecoder) array(elem func() error) error { return d.list('[', ']', elem) }

// list reads the comma-separated members of an object or array between
// its opening and closing bytes, calling member to read each one.
func (d *recordDecoder) list(opening, closing byte, member func() error) error {
	if d.peek() != opening {
		return errUnexpected
	}
	d.i++
	for first := true; ; first = false {
		c := d.peek()
		if c == closing {
			d.i++
			return nil
		}
		if !first {
			if c != ',' {
				return errUnexpected
			}
			d.i++
		}
		if err := member(); err != nil {
			return err
		}
	}
}

func (d *recordDecoder) str() (string, error) {
	start := d.i
	raw, escaped, err := d.quoted()
	if err != nil {
		return "", err
	}
	if !escaped {
		if !utf8.Valid(raw) {
			return "", errUnexpected // encoding/json replaces it; leave the line to it
		}
		return string(raw), nil
	}
	// Escapes are rare (a failed step's tail): encoding/json unquotes them.
	var s string
	if err := json.Unmarshal(bytes.TrimLeft(d.b[start:d.i], " \t\n\r"), &s); err != nil {
		return "", errUnexpected
	}
	return s, nil
}

func (d *recordDecoder) num() ([]byte, error) {
	if d.peek() != '0' {
		return nil, errUnexpected
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9' {
			d.i++
			continue
		}
		break
	}
	v := d.b[start:d.i]
	if !isJSONNumber(v) {
		return nil, errUnexpected
	}
	return v, nil
}

func (d *recordDecoder) int(dst *int) error {
	var n int64
	err := d.intBits(&n, strconv.IntSize)
	*dst = int(n)
	return err
}

func (d *recordDecoder) int64(dst *int64) error { return d.intBits(dst, 64) }

// intBits reads an integer that fits in bits bits, as strconv.ParseInt
// takes them.
func (d *recordDecoder) intBits(dst *int64, bits int) error {
	v, err := d.num()
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(string(v), 10, bits)
	if err != nil {
		return errUnexpected
	}
	*dst = n
	return nil
}

func (d *recordDecoder) uint64(dst *uint64) error {
	v, err := d.num()
	if err != nil {
		return err
	}
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		return errUnexpected
	}
	*dst = n
	return nil
}

func (d *recordDecoder) bool(dst *bool) error {
	switch d.peek() {
	case 't':
		if !bytes.HasPrefix(d.b[d.i:], []byte("true")) {
			return errUnexpected
		}
		d.i += 4
		*dst = true
	case 'f':
		if !bytes.HasPrefix(d.b[d.i:], []byte("false")) {
			return errUnexpected
		}
		d.i += 5
		*dst = false
	default:
		return errUnexpected
	}
	return d.end()
}

// end checks that a literal is not followed by more of a word ("truex").
func (d *recordDecoder) end() error {
	if d.i < len(d.b) {
		switch c := d.b[d.i]; c {
		case ' ', '\t', '\n', '\r', ',', '}', ']':
		default:
			return errUnexpected
		}
	}
	return nil
}

func (d *recordDecoder) time(dst *time.Time) error {
	raw, escaped, err := d.quoted()
	if err != nil || escaped {
		return errUnexpected
	}
	// As encoding/json decodes a time.Time: time.Time.UnmarshalJSON.
	if err := dst.UnmarshalText(raw); err != nil {
		return errUnexpected
	}
	return nil
}

func (d *recordDecoder) strs(dst *[]string) error {
	*dst = []string{}
	return d.array(func() error {
		s, err := d.str()
		*dst = append(*dst, s)
		return err
	})
}

func (d *recordDecoder) record(r *Record) error {
	return d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case "iteration":
			return d.int(&r.Iteration)
		case "start":
			return d.time(&r.Start)
		case "end":
			return d.time(&r.End)
		case "duration_ms":
			return d.int64(&r.DurationMS)
		case "budget_ms":
			return d.int64(&r.BudgetMS)
		case "cut":
			return d.bool(&r.Cut)
		case "result":
			r.Result, err = d.str()
		case "status":
			var s string
			s, err = d.str()
			r.Status = IterStatus(s)
		case "reason":
			r.Reason, err = d.str()
		case "log_dir":
			r.LogDir, err = d.str()
		case "steps":
			return d.steps(&r.Steps)
		case "survivors":
			return d.processes(&r.Survivors)
		case "resources":
			r.Resources = map[string]Figures{}
			return d.object(func(name []byte) error {
				f := r.Resources[string(name)]
				if err := d.figures(&f); err != nil {
					return err
				}
				r.Resources[string(name)] = f
				return nil
			})
		default:
			return errUnexpected // "range" among them: encoding/json decodes ranges
		}
		return err
	})
}

func (d *recordDecoder) steps(dst *[]StepRecord) error {
	*dst = []StepRecord{}
	return d.array(func() error {
		*dst = append(*dst, StepRecord{})
		return d.step(&(*dst)[len(*dst)-1])
	})
}

func (d *recordDecoder) step(st *StepRecord) error {
	return d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case "name":
			st.Name, err = d.str()
		case "status":
			var s string
			s, err = d.str()
			st.Status = step.Status(s)
		case "ok":
			return d.bool(&st.OK)
		case "details":
			st.Details, err = d.str()
		case "exit_code":
			return d.int(&st.ExitCode)
		case "duration_ms":
			return d.int64(&st.DurationMS)
		case "attempts":
			return d.int(&st.Attempts)
		case "peak_rss":
			return d.uint64(&st.PeakRSS)
		case "logs":
			return d.strs(&st.Logs)
		case "tail":
			st.Tail, err = d.str()
		case "tests":
			st.Tests = []TestRecord{}
			return d.array(func() error {
				st.Tests = append(st.Tests, TestRecord{})
				return d.test(&st.Tests[len(st.Tests)-1])
			})
		case "steps":
			return d.steps(&st.Steps)
		case "leftovers":
			return d.processes(&st.Leftovers)
		case "cut":
			return d.bool(&st.Cut)
		default:
			return errUnexpected
		}
		return err
	})
}

func (d *recordDecoder) test(t *TestRecord) error {
	return d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case "package":
			t.Package, err = d.str()
		case "test":
			t.Test, err = d.str()
		case "status":
			var s string
			s, err = d.str()
			t.Status = step.Status(s)
		case "elapsed_ms":
			return d.int64(&t.ElapsedMS)
		default:
			return errUnexpected
		}
		return err
	})
}

func (d *recordDecoder) processes(dst *[]Process) error {
	*dst = []Process{}
	return d.array(func() error {
		var p Process
		err := d.object(func(name []byte) error {
			var err error
			switch string(name) {
			case "pid":
				return d.int(&p.PID)
			case "cmdline":
				p.Cmdline, err = d.str()
			case "escaped":
				return d.bool(&p.Escaped)
			default:
				return errUnexpected
			}
			return err
		})
		*dst = append(*dst, p)
		return err
	})
}

func (d *recordDecoder) figures(f *Figures) error {
	return d.object(func(name []byte) error {
		switch string(name) {
		case "rss":
			return d.uint64(&f.RSS)
		case "peak_rss":
			return d.uint64(&f.PeakRSS)
		case "fds":
			return d.int(&f.FDs)
		case "threads":
			return d.int(&f.Threads)
		case "procs":
			return d.int(&f.Procs)
		case "goroutines":
			return d.int(&f.Goroutines)
		case "go_heap_live":
			return d.uint64(&f.HeapLive)
		}
		return errUnexpected
	})
}
