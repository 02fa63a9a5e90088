package step

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// maxLine is the longest piece of a line written at once to a redactor;
// longer lines are split. It bounds the memory a stream needs.
const maxLine = 64 << 10

// tracker keeps the tail and the last non-empty line of a step's output,
// across its streams, in bounded memory. Its methods may be called
// concurrently.
type tracker struct {
	mu        sync.Mutex
	ring      []byte // last lines; trimmed to TailBytes when it reaches twice that
	last      []byte // last non-empty line (reused buffer)
	transform func(line []byte) []byte
}

func (t *tracker) line(b []byte) {
	if t.transform != nil {
		b = t.transform(b)
		if b == nil {
			return
		}
	}
	b = bytes.TrimRight(b, "\r\n")
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := bytes.TrimSpace(b); len(s) > 0 {
		if len(s) > 4*MaxDetails {
			s = s[:4*MaxDetails]
		}
		t.last = append(t.last[:0], s...)
	}
	if len(b) > TailBytes {
		b = b[len(b)-TailBytes:]
	}
	t.ring = append(t.ring, b...)
	t.ring = append(t.ring, '\n')
	if len(t.ring) >= 2*TailBytes {
		n := copy(t.ring, t.ring[len(t.ring)-TailBytes:])
		t.ring = t.ring[:n]
	}
}

func (t *tracker) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.ring
	if len(b) > TailBytes {
		b = b[len(b)-TailBytes:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 && i+1 < len(b) {
			b = b[i+1:]
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func (t *tracker) lastLine() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.last)
}

// lineSink assembles the (redacted) bytes of one stream into lines for the
// tracker, keeping at most TailBytes of an unfinished line.
type lineSink struct {
	t       *tracker
	partial []byte
	long    bool // partial was cut
}

func (s *lineSink) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.add(p)
			break
		}
		s.add(p[:i])
		s.t.line(s.partial)
		s.partial, s.long = s.partial[:0], false
		p = p[i+1:]
	}
	return n, nil
}

func (s *lineSink) add(p []byte) {
	if room := TailBytes - len(s.partial); len(p) > room {
		p, s.long = p[:room], true
	}
	s.partial = append(s.partial, p...)
}

func (s *lineSink) flush() {
	if len(s.partial) > 0 || s.long {
		s.t.line(s.partial)
		s.partial, s.long = s.partial[:0], false
	}
}

// stream captures one output stream of a command: it reads the pipe, cuts
// the bytes into lines, passes them through the redactor and on to the log
// file and the tracker.
type stream struct {
	path   string
	file   *os.File
	bw     *bufio.Writer
	sink   *lineSink
	out    io.WriteCloser // redactor (or a no-op closer) over file+sink
	fileW  io.WriteCloser // Runtime.LogFile's writer over file, under bw; or nil
	onLine func([]byte)   // sees each raw line before redaction; may be nil
	err    error          // first write error
	done   chan struct{}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// errWriter remembers the first error of w and keeps accepting bytes, so a
// full disk never blocks the child.
type errWriter struct {
	w   io.Writer
	err *error
}

func (e errWriter) Write(p []byte) (int, error) {
	if *e.err == nil {
		if _, err := e.w.Write(p); err != nil {
			*e.err = err
		}
	}
	return len(p), nil
}

// newStream returns the stream into file f: its output passes through
// redact (if not nil) and then goes both to the file, through wrapFile (if
// not nil), and to the tracker.
func newStream(path string, f *os.File, t *tracker, redact, wrapFile func(io.Writer) io.WriteCloser) *stream {
	s := &stream{path: path, file: f, sink: &lineSink{t: t}, done: make(chan struct{})}
	// wrapFile sits between the buffer and the file, so that it sees the
	// file's own write errors (a full disk), not a buffer's.
	var fw io.Writer = f
	if wrapFile != nil {
		s.fileW = wrapFile(f)
		fw = s.fileW
	}
	s.bw = fileBufs.Get().(*bufio.Writer)
	s.bw.Reset(fw)
	w := io.MultiWriter(errWriter{s.bw, &s.err}, s.sink)
	if redact != nil {
		s.out = redact(w)
	} else {
		s.out = nopCloser{w}
	}
	return s
}

// Buffers every stream needs while it copies, pooled: allocated anew for
// each step, they made a step of `true` allocate over 300 KiB and most of
// the garbage collector's work in a soak.
var (
	fileBufs = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}
	copyBufs = sync.Pool{New: func() any { return new(copyBuf) }}
)

// copyBuf is what stream.copy reads into and assembles lines in.
type copyBuf struct {
	read [32 << 10]byte
	line [maxLine]byte
}

// copy reads r until EOF or an error and closes the stream's writers. The
// stream cannot be written to afterwards.
func (s *stream) copy(r io.Reader) {
	defer close(s.done)
	cb := copyBufs.Get().(*copyBuf)
	defer copyBufs.Put(cb)
	defer func() {
		s.bw.Reset(nil)
		fileBufs.Put(s.bw)
		s.bw = nil
	}()
	buf := cb.read[:]
	line := cb.line[:0]
	emit := func(b []byte) {
		if s.onLine != nil {
			s.onLine(b)
		}
		if _, err := s.out.Write(b); err != nil && s.err == nil {
			s.err = err
		}
	}
	for {
		n, err := r.Read(buf)
		data := buf[:n]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			switch {
			case i >= 0 && len(line) == 0:
				emit(data[:i+1])
				data = data[i+1:]
			case i >= 0:
				line = append(line, data[:i+1]...)
				emit(line)
				line, data = line[:0], data[i+1:]
			default:
				take := min(maxLine-len(line), len(data))
				line = append(line, data[:take]...)
				data = data[take:]
				if len(line) == maxLine {
					emit(line)
					line = line[:0]
				}
			}
		}
		// Flush what this read brought, so the log file follows the
		// output while the command runs (one write per read, not per line).
		if ferr := s.bw.Flush(); ferr != nil && s.err == nil {
			s.err = ferr
		}
		if err != nil {
			break
		}
	}
	if len(line) > 0 {
		emit(line)
	}
	if err := s.out.Close(); err != nil && s.err == nil {
		s.err = err
	}
	s.sink.flush()
	if err := s.bw.Flush(); err != nil && s.err == nil {
		s.err = err
	}
	if s.fileW != nil {
		if err := s.fileW.Close(); err != nil && s.err == nil {
			s.err = err
		}
	}
	if err := s.file.Close(); err != nil && s.err == nil {
		s.err = err
	}
}

// logSuffixes remembers, per directory and base name, the last suffix
// number openLogs used, so that a long run writing into one directory does
// not probe every earlier file each time. It is only a hint: O_EXCL decides.
var logSuffixes struct {
	mu   sync.Mutex
	last map[string]int
}

// openLogs creates <dir>/<base>[.N].stdout.log and .stderr.log, picking the
// first N (none, 2, 3, …) after the last one used for which neither exists.
// The directory is created if it does not exist (Command.Run has usually
// made it already, so that costs nothing in the common case).
func openLogs(dir, base string) (stdout, stderr *os.File, err error) {
	key := filepath.Join(dir, base)
	logSuffixes.mu.Lock()
	first := logSuffixes.last[key] + 1
	logSuffixes.mu.Unlock()
	for n := first; n < first+100000; n++ {
		suffix := ""
		if n > 1 {
			suffix = fmt.Sprintf(".%d", n)
		}
		op := filepath.Join(dir, base+suffix+".stdout.log")
		ep := filepath.Join(dir, base+suffix+".stderr.log")
		stdout, err = createLog(op)
		if errors.Is(err, os.ErrNotExist) && n == first {
			if err = os.MkdirAll(dir, 0o755); err == nil {
				stdout, err = createLog(op)
			}
		}
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		stderr, err = createLog(ep)
		if errors.Is(err, os.ErrExist) {
			stdout.Close()
			os.Remove(op)
			continue
		}
		if err != nil {
			stdout.Close()
			os.Remove(op)
			return nil, nil, err
		}
		logSuffixes.mu.Lock()
		if logSuffixes.last == nil || len(logSuffixes.last) >= 4096 {
			logSuffixes.last = make(map[string]int) // bounded; losing hints is harmless
		}
		logSuffixes.last[key] = max(logSuffixes.last[key], n)
		logSuffixes.mu.Unlock()
		return stdout, stderr, nil
	}
	return nil, nil, fmt.Errorf("too many log files for %q in %s", base, dir)
}

// drainTimeout bounds how long a step waits, after its process tree has been
// swept, for its output pipes to reach end of file (a process that left the
// tree and scrubbed its environment may still hold them).
const drainTimeout = 2 * time.Second
