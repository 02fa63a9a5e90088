// Package suppress parses lint-ok comments, shared by the Go analyzers, the
// Python rules and the runner.
//
// A directive is a comment containing
//
//	lint-ok: RULE[, RULE...] [-- reason]
//
// where RULE is "analyzer/rule", "analyzer", "analyzer/*", a bare rule name,
// "*", or a legacy alias (json-write, raw-json, metric-label, ascii). A
// directive trailing code covers its own line; a directive alone on its
// line covers the next statement. "lint-ok-file:" covers the whole file.
// lint_json_writer.py's "test-ok: raw-json" is read as an alias, so
// existing suppressions keep working.
package suppress
