// Package python lints Python sources with a pure-Go tokenizer: no cgo, no
// Python interpreter. It is the native replacement of the Python
// lint_metrics_labels.py, lint_json_writer.py and lint_ascii_logs.py,
// immune to strings and comments (which those scripts' regular
// expressions matched) and aware of import aliases.
//
// # Tokenizer
//
// [Tokenize] follows CPython's tokenize module: the same token kinds and
// positions on the standard library (checked by a differential test
// against python3 when it is on PATH). f-strings are single STRING tokens
// whose replacement fields are scanned as code, so PEP 701 nesting
// (f"{d["k"]}") works; triple quotes, comments, backslash continuations
// and brackets spanning lines are handled.
//
// # Rules
//
//	py-metriclabels/not-allowed, denied, reserved, invalid-name, case, duplicate, …
//	                             labelnames of Counter/Gauge/Histogram/Summary/Info/Enum
//	                             declarations (positional or labelnames=, literal lists or
//	                             module constants) and .labels(k=…) keywords, checked like
//	                             the Go metriclabels rules
//	py-metriclabels/undeclared   .labels(k=…) keyword the metric does not declare
//	py-metriclabels/missing      declared label not given (prometheus_client raises)
//	py-metriclabels/arity        positional .labels(…) count differs from the declaration
//	py-metriclabels/unverifiable **kwargs or *args in .labels(…)
//	py-jsonwrite/json-dump       json.dump( outside a sanctioned writer (write_json_atomic)
//	py-jsonwrite/write-dumps     .write(json.dumps(…)) or .write_text(json.dumps(…)) likewise
//	py-asciilogs/non-ascii       non-ASCII text in print( or logging.info( & co.
//	py-asciilogs/long-line       line longer than ascii_logs.max_line_length characters
//
// Names are resolved through imports: "import json as j", "from json import
// dump", "from prometheus_client import Counter as C" and
// "import prometheus_client as pc" are all understood. json.dump to
// sys.stdout or sys.stderr is exempt, and so is every call inside the body
// of a function named in atomic_write.sanctioned_python.
//
// # Compatibility with the Python lints
//
// lint_json_writer.py skipped a whole file when its first 4096
// bytes contained "# lint-ok: json-write" or "# test-ok: raw-json"; those
// markers keep that meaning here. Its other exemption, any mention of
// write_json_atomic anywhere in the file, is available as
// compat.file_level_exemption. Differences, all deliberate: calls inside
// strings and comments are no longer matched; get_labels( is not taken for
// .labels(; multi-line calls are seen whole; paths are matched the same on
// every OS.
package python
