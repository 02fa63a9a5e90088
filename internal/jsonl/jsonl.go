package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/internal/boundary"
	"github.com/soakkit/soakkit/internal/canonjson"
)

// An Appender appends records to one JSON Lines file. Its methods may be
// called concurrently.
type Appender struct {
	mu    sync.Mutex
	f     *os.File
	path  string
	sync  bool
	bytes int64
}

// Open opens (creating it and its directory if needed) the JSON Lines file
// at path for appending. A torn final line left by a crash is removed. If
// syncEach is true, every Append is followed by an fsync.
func Open(path string, syncEach bool) (*Appender, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	if err := repair(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	return &Appender{f: f, path: path, sync: syncEach, bytes: st.Size()}, nil
}

// Path returns the file's path.
func (a *Appender) Path() string { return a.path }

// Size returns the file's size in bytes as seen by this Appender.
func (a *Appender) Size() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.bytes
}

// Append writes v as one canonical JSON line.
func (a *Appender) Append(v any) error {
	b, err := canonjson.Marshal(v)
	if err != nil {
		return fmt.Errorf("jsonl: %s: %w", a.path, err)
	}
	return a.AppendRaw(b)
}

// AppendRaw writes line, which must be one JSON value followed by '\n' and
// contain no other newline, in a single write, after the redaction
// boundary (package boundary).
func (a *Appender) AppendRaw(line []byte) error {
	if len(line) == 0 || line[len(line)-1] != '\n' || bytes.IndexByte(line[:len(line)-1], '\n') >= 0 {
		return fmt.Errorf("jsonl: %s: record must be a single line ending in a newline", a.path)
	}
	if red := boundary.String(string(line[:len(line)-1])); red != string(line[:len(line)-1]) {
		line = append([]byte(red), '\n') // a line redacted twice is the same line
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return fmt.Errorf("jsonl: %s: %w", a.path, os.ErrClosed)
	}
	n, err := a.f.Write(line)
	a.bytes += int64(n)
	if err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	if a.sync {
		if err := a.f.Sync(); err != nil {
			return fmt.Errorf("jsonl: %w", err)
		}
	}
	return nil
}

// Replace atomically replaces the file with what fill writes (package
// atomicfile: a crash leaves either the old file or the new one), then
// appends to the new file. Appends wait while it runs, so none is lost
// between the read of the old content and the rename. fill must write
// whole lines; it may read the file at Path, which holds every line
// appended before Replace was called. If fill fails, the file is left as
// it was.
func (a *Appender) Replace(fill func(w io.Writer) error) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return fmt.Errorf("jsonl: %s: %w", a.path, os.ErrClosed)
	}
	// The handle is closed before the rename: Windows cannot rename over a
	// file that is open (Go opens files without FILE_SHARE_DELETE). Then
	// whatever file is at the path is reopened: the new one, or the old
	// one if the replacement failed, so appends go on either way.
	a.f.Close()
	a.f = nil
	werr := atomicfile.Write(a.path, 0o644, fill)
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return errors.Join(wrapErr(werr), fmt.Errorf("jsonl: reopen: %w", err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return errors.Join(wrapErr(werr), fmt.Errorf("jsonl: reopen: %w", err))
	}
	a.f, a.bytes = f, st.Size()
	return wrapErr(werr)
}

// wrapErr prefixes a non-nil err with the package name; nil stays nil.
func wrapErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("jsonl: %w", err)
}

// Sync flushes the file to stable storage.
func (a *Appender) Sync() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	return a.f.Sync()
}

// Close syncs and closes the file. Closing twice is harmless.
func (a *Appender) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := errors.Join(a.f.Sync(), a.f.Close())
	a.f = nil
	return err
}

// repair truncates a trailing fragment that does not end in '\n'.
func repair(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	// Scan backwards in blocks for the last newline.
	const block = 64 << 10
	end := st.Size()
	buf := make([]byte, block)
	pos := end
	for pos > 0 {
		n := int64(block)
		if pos < n {
			n = pos
		}
		pos -= n
		if _, err := f.ReadAt(buf[:n], pos); err != nil && err != io.EOF {
			return fmt.Errorf("jsonl: %w", err)
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			cut := pos + int64(i) + 1
			if cut == end {
				return nil
			}
			return f.Truncate(cut)
		}
	}
	return f.Truncate(0)
}

// A ParseError reports a line that is not valid JSON.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

func (e *ParseError) Unwrap() error { return e.Err }

// Read calls fn for every complete line of the JSON Lines file at path, with
// its 1-based line number. A final line without a newline (torn by a crash)
// is skipped; any other line that is not valid JSON stops the read with a
// *ParseError. Lines may be up to 64 MiB long. The slice passed to fn is
// reused; copy it to keep it.
func Read(path string, fn func(line []byte, n int) error) error {
	return Scan(path, func(line []byte, n int) error {
		if !json.Valid(line) {
			return &ParseError{File: path, Line: n, Err: errors.New("invalid JSON")}
		}
		return fn(line, n)
	})
}

// Scan is [Read] without the JSON validation, for a caller that decodes
// each line in a way that validates it anyway: it calls fn for every
// complete, non-blank line with its 1-based line number, and skips a torn
// final line. The slice passed to fn is reused; copy it to keep it.
func Scan(path string, fn func(line []byte, n int) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 256<<10)
	n := 0
	var long []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			if len(long) > 64<<20 {
				return &ParseError{File: path, Line: n + 1, Err: errors.New("line longer than 64 MiB")}
			}
			continue
		}
		if err == io.EOF {
			return nil // torn or empty final fragment
		}
		if err != nil {
			return err
		}
		line := chunk
		if long != nil {
			line = append(long, chunk...)
			long = nil
		}
		n++
		line = bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := fn(line, n); err != nil {
			return err
		}
	}
}

// Decode reads every complete record of path into values of type T.
func Decode[T any](path string, fn func(v T, line int) error) error {
	return Read(path, func(line []byte, n int) error {
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			return &ParseError{File: path, Line: n, Err: err}
		}
		return fn(v, n)
	})
}
