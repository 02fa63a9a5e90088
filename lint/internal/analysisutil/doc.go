// Package analysisutil holds what the soakkit analyzers share: lazy
// configuration loading (so an analyzer works under go vet -vettool with a
// -config flag), suppression-aware reporting and constant evaluation.
package analysisutil
