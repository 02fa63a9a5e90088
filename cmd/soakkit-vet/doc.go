// Command soakkit-vet runs soakkit's Go analyzers (metriclabels,
// metricnames, atomicwrite, asciilogs) as a go vet tool:
//
//	go install github.com/soakkit/soakkit/cmd/soakkit-vet
//	go vet -vettool=$(go env GOPATH)/bin/soakkit-vet [-config=/abs/lint.yaml] ./...
//
// -config (or $SOAKKIT_LINT_CONFIG) names the lint configuration; give an
// absolute path, as go vet runs the tool from each package's directory.
// Run standalone (soakkit-vet ./...) it is a multichecker: findings exit
// with status 3. lint-ok comments are honoured in both modes.
package main
