// Package gen generates fake credentials in the formats of the secrets
// package's built-in rules, and decoys that look like them but are not
// secrets. Nothing it produces is a real credential: every value is drawn
// from a seeded pseudo-random source.
package gen
