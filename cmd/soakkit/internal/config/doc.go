// Package config reads soakkit.yaml, the one configuration file of the
// soakkit command, and turns it into library values: a soak.Iteration (the
// plan), a soak.Config, and the settings of the lint and secrets commands.
//
// Decoding is strict (internal/strictyaml): an unknown key, a wrong type or a
// bad duration is an error naming file:line: field. Checks made after
// decoding name the line too. Relative paths in the file are relative to the
// file's directory. Secrets are never written in the file: notifier tokens
// are read from environment variables the file names.
//
// When no file is found, [Default] is the embedded default plan for a Go
// module: go vet, the metrics-label and JSON-writer lints, a secret scan and
// go test.
package config
