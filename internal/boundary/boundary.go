// Package boundary is soakkit's one redaction boundary: the writers every
// artifact passes through (canonjson, jsonl, atomicfile, ghactions) hand
// their text to the process-wide [Redactor] set here before it reaches a
// file, so a new field or a new file cannot bypass redaction.
//
// Package secrets installs its rules-only redactor when it is initialized;
// soak imports secrets, so every program that writes soak artifacts has
// the boundary. With no Redactor set (a program that links none of them),
// text passes unchanged.
package boundary

import (
	"io"
	"sync/atomic"
)

// A Redactor masks secrets. *secrets.Redactor implements it.
type Redactor interface {
	Redact(s string) string
	RedactArgv(argv []string) []string
	RedactEnv(name, value string) string
	NewWriter(w io.Writer) io.WriteCloser
}

type holder struct{ r Redactor }

var current atomic.Pointer[holder]

// Set makes r the process-wide redactor (nil: none) and returns the
// previous one, so that a test can restore it.
func Set(r Redactor) Redactor {
	old := current.Swap(&holder{r})
	if old == nil {
		return nil
	}
	return old.r
}

// Get returns the process-wide redactor, or nil.
func Get() Redactor {
	if h := current.Load(); h != nil {
		return h.r
	}
	return nil
}

// String returns s redacted as text.
func String(s string) string {
	if r := Get(); r != nil {
		return r.Redact(s)
	}
	return s
}

// Argv returns a redacted as a command line (flag values, NAME=value,
// URL user information, tokens).
func Argv(a []string) []string {
	if r := Get(); r != nil {
		return r.RedactArgv(a)
	}
	return a
}

// Env returns value redacted as the value of a variable or field called
// name: masked whole when the name looks secret.
func Env(name, value string) string {
	if r := Get(); r != nil {
		return r.RedactEnv(name, value)
	}
	return value
}

// Writer returns a writer that redacts a stream on its way to w. Close
// flushes it; it does not close w.
func Writer(w io.Writer) io.WriteCloser {
	if r := Get(); r != nil {
		return r.NewWriter(w)
	}
	return nopCloser{w}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
