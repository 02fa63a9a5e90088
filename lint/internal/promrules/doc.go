// Package promrules maps client_golang promlint problem texts to stable
// rule IDs. promlint has no rule identifiers, only messages, so the texts
// of client_golang v1.25.0 are pinned here and a test fails if they change.
package promrules
