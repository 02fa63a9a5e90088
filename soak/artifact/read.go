package artifact

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"

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

// ScanRecords calls fn with every record of the iterations.jsonl file at
// path, its line as read (without its newline; valid only during the call)
// and its line number, under the rules of [Records]: a torn last line is
// skipped, a line that is not a record is an error naming path:line, and so
// is a missing file (wrapping [fs.ErrNotExist]). It serves a reader that
// rewrites the file, copying the lines it keeps as they are, with one
// decode a line. An error from fn ends the scan and is returned; r is the
// caller's to keep.
func ScanRecords(path string, fn func(r *Record, line []byte, n int) error) error {
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
		return fn(&r, line, n)
	})
}

// records calls fn with every record of path and its line number.
func records(path string, fn func(r *Record, line int) error) error {
	return ScanRecords(path, func(r *Record, _ []byte, n int) error { return fn(r, n) })
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
		var dec sampleDecoder
		err := jsonl.Scan(path, func(line []byte, n int) error {
			s = probe.Sample{}
			if !dec.decode(line, &s) {
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
