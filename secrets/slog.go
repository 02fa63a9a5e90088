package secrets

import (
	"context"
	"fmt"
	"log/slog"
)

// NewHandler returns a [slog.Handler] that masks secrets in every record's
// message and attribute values, then passes the record to h. Attribute
// keys are kept. A string value is redacted as text, a []string value as a
// command line (see [Redactor.RedactArgv]), an error by its message; any
// other value is formatted with fmt and replaced by the redacted text only
// if redaction changed it, so numbers, times and clean values keep their
// type.
//
// With a nil r, the handler uses a rules-only [Redactor], which leaves
// byte counts, trace IDs and test names alone; pass a [Redactor] without
// RulesOnly (the aggressive mode) only for free text read by people.
func NewHandler(h slog.Handler, r *Redactor) slog.Handler {
	if r == nil {
		r = logRedactor
	}
	return &redactHandler{h: h, r: r}
}

type redactHandler struct {
	h slog.Handler
	r *Redactor
}

var _ slog.Handler = (*redactHandler)(nil)

func (rh *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return rh.h.Enabled(ctx, l)
}

func (rh *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, rh.r.Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(rh.attr(a))
		return true
	})
	return rh.h.Handle(ctx, out)
}

func (rh *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = rh.attr(a)
	}
	return &redactHandler{h: rh.h.WithAttrs(red), r: rh.r}
}

func (rh *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{h: rh.h.WithGroup(name), r: rh.r}
}

func (rh *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, rh.r.Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = rh.attr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case nil:
			return slog.Attr{Key: a.Key, Value: v}
		case []string:
			return slog.Any(a.Key, rh.r.RedactArgv(x))
		case error:
			return slog.String(a.Key, rh.r.Redact(x.Error()))
		default:
			s := fmt.Sprint(x)
			if red := rh.r.Redact(s); red != s {
				return slog.String(a.Key, red)
			}
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
