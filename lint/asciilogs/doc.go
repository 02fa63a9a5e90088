// Package asciilogs defines an analyzer that keeps log and print output
// ASCII and source lines bounded: the Go meaning of the Python
// lint_ascii_logs.py, without its OS-dependent path bugs (it walked
// nothing on Windows because of lstrip('./')).
//
// # Analyzer asciilogs
//
// asciilogs: log and print text must be ASCII; lines must not be huge
//
// Rules:
//
//	asciilogs/non-ascii  a constant string argument of a print or log call contains a non-ASCII character
//	asciilogs/long-line  a source line is longer than ascii_logs.max_line_length characters (default 10000)
//
// Print and log calls are resolved by identity: the builtins print and
// println; fmt.Print, Printf, Println; fmt.Fprint* to os.Stdout or
// os.Stderr; log's package functions and *log.Logger methods (Print*,
// Fatal*, Panic*); log/slog's package functions and *slog.Logger methods.
// The finding points at the first non-ASCII character in the literal.
// CI consoles and log collectors that are not UTF-8 clean (the reason for
// this lint, e.g. Windows runners) mangle such text.
package asciilogs
