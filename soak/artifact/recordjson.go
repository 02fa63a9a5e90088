package artifact

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/soakkit/soakkit/step"
)

// A recordDecoder decodes the lines of iterations.jsonl the engine writes
// without reflection: a soak of fast iterations has millions of them, and
// encoding/json spends most of a summary's time on them. It accepts only
// what it expects (the keys of [Record] and its parts as written, plain
// strings, integers, booleans); anything else (a range record, null, an
// unknown or differently cased key, a number that is not an integer) makes
// decode return false, and the caller decodes the line with encoding/json,
// which then gives the same result it always did. FuzzRecordDecoder checks
// that the two agree.
type recordDecoder struct {
	dec *jsontext.Decoder
	rd  bytes.Reader
}

// errUnexpected ends a decode the fast path does not handle.
var errUnexpected = errors.New("unexpected")

// decode decodes line into r and reports whether it could; on false, r
// holds garbage and must be reset.
func (d *recordDecoder) decode(line []byte, r *Record) bool {
	d.rd.Reset(line)
	if d.dec == nil {
		d.dec = jsontext.NewDecoder(&d.rd)
	} else {
		d.dec.Reset(&d.rd)
	}
	if err := d.record(r); err != nil {
		return false
	}
	// Nothing but whitespace may follow.
	_, err := d.dec.ReadToken()
	return errors.Is(err, io.EOF)
}

// object reads an object, calling field with each name (raw, without
// quotes; no escapes) before its value is read.
func (d *recordDecoder) object(field func(name []byte) error) error {
	tok, err := d.dec.ReadToken()
	if err != nil || tok.Kind() != '{' {
		return errUnexpected
	}
	for d.dec.PeekKind() != '}' {
		v, err := d.dec.ReadValue()
		if err != nil || len(v) < 2 || v[0] != '"' || bytes.IndexByte(v, '\\') >= 0 {
			return errUnexpected
		}
		if err := field(v[1 : len(v)-1]); err != nil {
			return err
		}
	}
	if _, err := d.dec.ReadToken(); err != nil {
		return errUnexpected
	}
	return nil
}

// array reads an array, calling elem for each element.
func (d *recordDecoder) array(elem func() error) error {
	tok, err := d.dec.ReadToken()
	if err != nil || tok.Kind() != '[' {
		return errUnexpected
	}
	for d.dec.PeekKind() != ']' {
		if err := elem(); err != nil {
			return err
		}
	}
	if _, err := d.dec.ReadToken(); err != nil {
		return errUnexpected
	}
	return nil
}

func (d *recordDecoder) str() (string, error) {
	if d.dec.PeekKind() != '"' {
		return "", errUnexpected
	}
	tok, err := d.dec.ReadToken()
	if err != nil {
		return "", errUnexpected
	}
	return tok.String(), nil
}

func (d *recordDecoder) num() ([]byte, error) {
	if d.dec.PeekKind() != '0' {
		return nil, errUnexpected
	}
	v, err := d.dec.ReadValue()
	if err != nil {
		return nil, errUnexpected
	}
	return v, nil
}

func (d *recordDecoder) int(dst *int) error {
	v, err := d.num()
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(string(v), 10, 0)
	if err != nil {
		return errUnexpected
	}
	*dst = int(n)
	return nil
}

func (d *recordDecoder) int64(dst *int64) error {
	v, err := d.num()
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
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
	switch d.dec.PeekKind() {
	case 't', 'f':
	default:
		return errUnexpected
	}
	tok, err := d.dec.ReadToken()
	if err != nil {
		return errUnexpected
	}
	*dst = tok.Bool()
	return nil
}

func (d *recordDecoder) time(dst *time.Time) error {
	if d.dec.PeekKind() != '"' {
		return errUnexpected
	}
	v, err := d.dec.ReadValue()
	if err != nil {
		return errUnexpected
	}
	// As encoding/json decodes a time.Time.
	if err := dst.UnmarshalJSON(v); err != nil {
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
