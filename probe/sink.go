package probe

import (
	"github.com/soakkit/soakkit/internal/jsonl"
)

// A JSONLSink is a [Sink] that appends every sample to a JSON Lines file,
// one line per sample, the format of soak's samples.jsonl.
//
// The file is opened with O_APPEND and each line (canonical JSON: sorted
// keys, no HTML escaping) is written with a single write, so appends from
// several goroutines never interleave and a reader sees whole lines only,
// except possibly a torn last line after a crash. Opening a file whose last
// line is torn removes that fragment first, so the next sample starts on a
// line of its own. Its methods may be called concurrently.
type JSONLSink struct {
	a *jsonl.Appender
}

var _ Sink = (*JSONLSink)(nil)

// OpenJSONL opens the JSON Lines file at path for appending, creating it
// and its directory if needed. Close it when sampling has ended.
func OpenJSONL(path string) (*JSONLSink, error) {
	a, err := jsonl.Open(path, false)
	if err != nil {
		return nil, err
	}
	return &JSONLSink{a: a}, nil
}

// Append writes v, usually a [Sample], as one JSON line. It fails after
// [JSONLSink.Close].
func (s *JSONLSink) Append(v any) error { return s.a.Append(v) }

// Path returns the file's path.
func (s *JSONLSink) Path() string { return s.a.Path() }

// Close flushes the file to stable storage and closes it. Closing twice is
// harmless.
func (s *JSONLSink) Close() error { return s.a.Close() }
