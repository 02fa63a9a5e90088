//go:build !linux

package proctree_test

var platformHelpers = map[string]func(args []string) int{}

// canReadEnviron says whether proctree.Contained can see a process's cookie.
const canReadEnviron = false
