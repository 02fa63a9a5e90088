// Package atomicwrite defines an analyzer that requires JSON artifacts to
// be written through a sanctioned atomic writer: the Go meaning of the
// Python lint_json_writer.py.
//
// # Analyzer atomicwrite
//
// atomicwrite: JSON files must be written atomically (temp file, Sync, Rename)
//
// A reader of an artifact must see the old or the new content, never a torn
// file. The analyzer flags, outside sanctioned writer functions:
//
//	atomicwrite/json-encoder-file  json.NewEncoder on an *os.File (directly or through bufio.NewWriter)
//	atomicwrite/json-writefile     os.WriteFile, ioutil.WriteFile or (*os.Root).WriteFile of json.Marshal output
//	atomicwrite/json-file-write    (*os.File).Write or WriteString of json.Marshal output
//	atomicwrite/direct-write       with mode "all": any os.Create, os.WriteFile or truncating os.OpenFile
//
// Callees are resolved by identity. Exempt are os.Stdout and os.Stderr,
// files from os.CreateTemp (the first half of the atomic pattern), files
// opened with O_APPEND (JSON Lines logs; atomic_write.allow_append),
// non-file writers, files matching atomic_write.exclude (by default
// _test.go files), the functions listed in atomic_write.sanctioned_go (by
// full name, e.g. "example.com/x/atomicio.WriteJSON"), and any function
// that itself calls os.CreateTemp and os.Rename, which is an atomic writer
// by construction.
//
// JSON data is followed through local variables assigned once, append and
// string/[]byte conversions; data from elsewhere is not flagged.
//
// A file written as a stream of JSON lines — an encoder or a Write in a
// loop, json.Marshal output with a newline appended, or a name ending in
// .jsonl or .ndjson — gets different advice: a temp file and a rename is
// wrong for a stream, so the finding says to open it with os.O_APPEND and
// write each line with a single Write, which makes it exempt. The O_APPEND
// flag is seen in the call or in a local variable assigned once.
package atomicwrite
