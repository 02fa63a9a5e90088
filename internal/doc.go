// Package internal is the parent of soakkit's shared, unexported building
// blocks. Each subpackage is used by more than one public package:
//
//   - asciidec: parse plain decimal digits without allocating (/proc
//     fields, integers of JSON Lines artifacts).
//   - atomicfile: write a whole file atomically (temp file, fsync, rename,
//     directory fsync), so a crash leaves either the old or the new file.
//   - benchtest: what a benchmark costs besides wall time (CPU time, peak
//     RSS, peak live heap); for benchmarks only.
//   - canonjson: canonical JSON (sorted keys, compact, trailing newline, UTC
//     RFC 3339 timestamps), the one encoding of every JSON artifact.
//   - jsonl: a line-atomic JSON Lines appender and a reader that tolerates a
//     torn final line left by a crash.
//   - rerun: run some of a test binary's tests again in a copy started
//     with a mode variable set (subreaper mode); for tests only.
package internal
