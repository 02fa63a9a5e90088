// Package canonjson encodes soakkit's JSON artifacts in one canonical form:
// object keys sorted, compact, no HTML escaping, a trailing newline, and
// every timestamp in UTC.
//
// Timestamps: a time.Time anywhere in the value is written in UTC as RFC 3339
// with nanoseconds trimmed of trailing zeros ("2026-11-26T22:20:00.5Z"), and
// so is any string that is already a valid RFC 3339 timestamp with a zone
// offset (the same instant, written in UTC), so that local time can never be
// labelled UTC or the other way round.
//
// Redaction: every string in the value, object keys included, passes the
// process-wide redactor of package boundary, so a new field can never carry
// a secret into an artifact (see normalize for how keys and arrays are
// read).
//
// Two values that encode.json considers equal encode to identical bytes, so
// artifacts can be compared and hashed.
package canonjson
