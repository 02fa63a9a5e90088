// Package corpus generates a deterministic, labelled test corpus for secret
// scanners: many file types (Go, Python, JavaScript bundles, YAML,
// Kubernetes Secrets, JSON, .env, XML, Markdown, logs, PEM files, binaries)
// with planted fake secrets of every built-in kind and decoys that look like
// secrets but are not — placeholders, masked values, documentation
// examples, tokens with a bad checksum, public keys, and UUIDs and hashes
// under key-like names.
//
// Every value comes from a seeded generator; the same Options give the same
// bytes on every run and OS. No real credential is involved.
package corpus
