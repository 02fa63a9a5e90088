//go:build !linux

package proctree_test

var platformHelpers = map[string]func(args []string) int{}
