package canonjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/internal/boundary"
)

// Marshal returns the canonical encoding of v, ending in a newline.
func Marshal(v any) ([]byte, error) {
	b, err := MarshalCompact(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// MarshalCompact is Marshal without the trailing newline, for embedding.
func MarshalCompact(v any) ([]byte, error) {
	raw, err := encode(v)
	if err != nil {
		return nil, fmt.Errorf("canonjson: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("canonjson: %w", err)
	}
	out, err := encode(normalize(generic))
	if err != nil {
		return nil, fmt.Errorf("canonjson: %w", err)
	}
	return out, nil
}

// WriteFile writes the canonical encoding of v to path atomically.
func WriteFile(path string, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.WriteFile(path, b, 0o644)
}

// Encode writes the canonical encoding of v, with its newline, to w in a
// single Write call.
func Encode(w io.Writer, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// normalize rewrites timestamps to UTC and redacts every string through
// the redaction boundary: object keys and string values as text, a string
// value also by its key (a member named like a secret is masked whole),
// and an array of strings as a command line, so "--token", "VALUE" is
// masked though neither element is a secret alone. Maps are sorted by
// encoding/json.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if s, ok := e.(string); ok {
				out[boundary.String(k)] = boundary.Env(k, UTC(s))
				continue
			}
			out[boundary.String(k)] = normalize(e)
		}
		return out
	case []any:
		if argv, ok := stringSlice(x); ok {
			for i, s := range boundary.Argv(argv) {
				x[i] = UTC(s)
			}
			return x
		}
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	case string:
		return boundary.String(UTC(x))
	default:
		return v
	}
}

// stringSlice returns x as strings when every element is one.
func stringSlice(x []any) ([]string, bool) {
	if len(x) == 0 {
		return nil, false
	}
	out := make([]string, len(x))
	for i, e := range x {
		s, ok := e.(string)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// UTC returns s rewritten in UTC if it is an RFC 3339 timestamp, else s.
func UTC(s string) string {
	// Cheap shape check first: "2006-01-02T15:04:05" at least.
	if len(s) < 20 || len(s) > 40 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') {
		return s
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return FormatTime(t)
}

// FormatTime formats t the canonical way: UTC, RFC 3339, trailing zeros of
// the fraction trimmed.
func FormatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// Read decodes the JSON file at path into v, naming the file in any error.
func Read(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
