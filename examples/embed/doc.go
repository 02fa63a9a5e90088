// Command embed is a custom soak runner in thirty lines: the library without
// the soakkit command. It soaks `go vet` and a Go function for a minute and
// exits with the soak's verdict.
//
//	go run ./examples/embed
package main
