// Command embed is a custom soak runner: the library without the soakkit
// command. It soaks a command (default `go vet ./...`) and a Go function,
// closes the soak with soak.Finish — the same summary, JUnit, HTML report
// and manifest as `soakkit soak` — and exits with the soak's status: 0
// only for a pass, 130 when stopped by Ctrl+C.
//
//	go run ./examples/embed -duration 1m
//	go run ./examples/embed -iterations 3 -artifacts /tmp/a -- go test ./pkg
package main
