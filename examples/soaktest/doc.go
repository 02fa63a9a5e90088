// Package suite shows a module's soak suite as a Go test: soak_test.go holds
// the ten lines. It runs only when asked:
//
//	go test ./examples/soaktest -run TestSoak -soak=30m -timeout=0
//	SOAKKIT_DURATION=30m go test ./examples/soaktest -run TestSoak -timeout=0
//
// The summary (summary.json, summary.md, junit.xml) is written under the
// artifacts directory the test logs ($SOAKKIT_ARTIFACTS_DIR to choose it).
package suite
