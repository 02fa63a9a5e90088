// Package jsonl appends JSON Lines records line-atomically and reads them
// back, tolerating the torn final line a crash can leave.
//
// Each record is encoded canonically (see canonjson) and written with a
// single write(2) on a file opened with O_APPEND, so concurrent appenders in
// one process never interleave and a reader never sees half a record except
// possibly the very last line after a crash. Opening a file whose last line
// is torn truncates that fragment first, so the next record starts on a line
// of its own.
package jsonl
