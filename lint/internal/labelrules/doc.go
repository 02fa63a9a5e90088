// Package labelrules checks metric label names against a lint
// configuration. It is shared by the Go analyzer, the Python rules and the
// exposition linter, so all three give the same verdicts and messages.
package labelrules
