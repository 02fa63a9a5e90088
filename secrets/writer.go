package secrets

import (
	"bytes"
	"errors"
	"io"
)

// NewWriter returns a writer that redacts with the zero [Redactor] and
// writes to w. See [Redactor.NewWriter].
func NewWriter(w io.Writer) io.WriteCloser { return defaultRedactor.NewWriter(w) }

// NewWriter returns a writer that redacts what is written to it and passes
// the result to w. Text is released line by line, so a secret split across
// Write calls is still masked; a private key block is held until its END
// line, so a multi-line key is masked as a whole. Memory stays bounded by
// MaxHold: a longer line is cut at a space (or masked whole when it has
// none, being one long token), and a key block longer than MaxHold is
// masked line by line up to its END line.
//
// Close flushes what is buffered; it does not close w. Write errors from w
// are returned and stick. A writer is not safe for concurrent use; give
// stdout and stderr a writer each.
func (r *Redactor) NewWriter(w io.Writer) io.WriteCloser {
	max := r.MaxHold
	if max <= 0 {
		max = 64 << 10
	}
	if max < 1024 {
		max = 1024
	}
	return &redactWriter{r: r, w: w, max: max}
}

type redactWriter struct {
	r      *Redactor
	w      io.Writer
	max    int
	buf    []byte
	inKey  bool // masking the lines of an over-long private key block
	inRun  bool // swallowing the rest of an over-long token
	err    error
	closed bool
}

var errClosed = errors.New("secrets: write to closed redacting writer")

// Write buffers p and writes out what can be redacted so far.
func (rw *redactWriter) Write(p []byte) (int, error) {
	if rw.closed {
		return 0, errClosed
	}
	if rw.err != nil {
		return 0, rw.err
	}
	n := len(p)
	for len(p) > 0 {
		room := rw.max + 4096 - len(rw.buf)
		if room <= 0 {
			room = 4096
		}
		k := len(p)
		if k > room {
			k = room
		}
		rw.buf = append(rw.buf, p[:k]...)
		p = p[k:]
		if err := rw.drain(false); err != nil {
			rw.err = err
			return n - len(p), err
		}
	}
	return n, nil
}

// Close redacts and writes what is still buffered.
func (rw *redactWriter) Close() error {
	if rw.closed {
		return rw.err
	}
	rw.closed = true
	if rw.err != nil {
		return rw.err
	}
	rw.err = rw.drain(true)
	return rw.err
}

var (
	pemBegin = []byte("-----BEGIN ")
	pemKey   = []byte("PRIVATE KEY")
	pemEnd   = []byte("-----END ")
)

// drain writes out what can be redacted now. With final set, everything.
func (rw *redactWriter) drain(final bool) error {
	for len(rw.buf) > 0 {
		if rw.inRun {
			e := run(rw.buf, 0, cls64ish, len(rw.buf))
			rw.buf = rw.buf[e:]
			if len(rw.buf) == 0 {
				return nil
			}
			rw.inRun = false
		}
		if rw.inKey {
			nl := bytes.IndexByte(rw.buf, '\n')
			if nl < 0 && !final && len(rw.buf) <= rw.max {
				return nil
			}
			line := rw.buf
			if nl >= 0 {
				line = rw.buf[:nl+1]
			}
			out := Mask
			if nl >= 0 {
				out += "\n"
			}
			if bytes.Contains(line, pemEnd) {
				rw.inKey = false
			}
			rw.buf = rw.buf[len(line):]
			if _, err := io.WriteString(rw.w, out); err != nil {
				return err
			}
			continue
		}
		cut := bytes.LastIndexByte(rw.buf, '\n') + 1
		if final {
			cut = len(rw.buf)
		}
		// Hold back an unterminated private key block.
		if !final {
			if bi := lastKeyBegin(rw.buf[:cut]); bi >= 0 && !keyEnded(rw.buf[bi:cut]) {
				if len(rw.buf)-bi <= rw.max {
					cut = bi
				} else {
					// Too long to hold: mask it line by line.
					if err := rw.emit(rw.buf[:bi]); err != nil {
						return err
					}
					rw.buf = rw.buf[bi:]
					rw.inKey = true
					continue
				}
			}
		}
		if cut == 0 {
			if len(rw.buf) <= rw.max {
				return nil
			}
			// One over-long line: cut at the last space, or mask the token.
			sp := bytes.LastIndexAny(rw.buf[rw.max/2:rw.max], " \t")
			if sp >= 0 {
				cut = rw.max/2 + sp + 1
			} else {
				s := bytes.LastIndexFunc(rw.buf[:rw.max], func(r rune) bool { return r >= 0 && r < 256 && !cls64ish[byte(r)] })
				if s >= rw.max/2 {
					cut = s + 1
				} else {
					if _, err := io.WriteString(rw.w, Mask); err != nil {
						return err
					}
					rw.buf = rw.buf[rw.max:]
					rw.inRun = true
					continue
				}
			}
		}
		if err := rw.emit(rw.buf[:cut]); err != nil {
			return err
		}
		rw.buf = rw.buf[cut:]
		if cut == 0 {
			return nil
		}
	}
	if cap(rw.buf) > 4*rw.max {
		rw.buf = nil
	}
	return nil
}

// lastKeyBegin returns the start of the line holding the last
// "-----BEGIN … PRIVATE KEY" in b, or -1.
func lastKeyBegin(b []byte) int {
	i := bytes.LastIndex(b, pemBegin)
	if i < 0 {
		return -1
	}
	if !bytes.Contains(b[i:min(len(b), i+64)], pemKey) {
		return -1
	}
	return bytes.LastIndexByte(b[:i], '\n') + 1
}

// keyEnded reports whether b holds a complete END line of a key block.
func keyEnded(b []byte) bool {
	i := bytes.Index(b, pemEnd)
	if i < 0 {
		return false
	}
	return bytes.Contains(b[i+len(pemEnd):], []byte("-----"))
}

func (rw *redactWriter) emit(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	_, err := io.WriteString(rw.w, rw.r.Redact(string(p)))
	return err
}
