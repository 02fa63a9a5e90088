// Command soakkit-vet runs soakkit's Go analyzers (metriclabels,
// metricnames, atomicwrite, asciilogs) as a go vet tool:
//
//	go install github.com/soakkit/soakkit/cmd/soakkit-vet
//	SOAKKIT_LINT_CONFIG=$PWD/lint.yaml go vet -vettool=$(go env GOPATH)/bin/soakkit-vet ./...
//
// $SOAKKIT_LINT_CONFIG (or -config=FILE) names the lint configuration;
// give an absolute path, as go vet runs the tool from each package's
// directory. Prefer the variable: go vet caches results, and the file's
// contents are part of the cache key only when the variable names it
// (soakkit-vet folds them into its -V=full identity). After editing a file
// given with -config, go vet serves stale results unless run with -a.
//
// Run standalone (soakkit-vet ./...) it is a multichecker: findings exit
// with status 3. lint-ok comments are honoured in both modes.
package main
