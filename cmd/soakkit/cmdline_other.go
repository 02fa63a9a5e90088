//go:build !windows

package main

import "mvdan.cc/sh/v3/shell"

// splitCommandLine splits a --service value like a POSIX shell, without
// running one and without expanding anything: quotes group words and a
// backslash escapes the next character.
func splitCommandLine(s string) ([]string, error) {
	return shell.Fields(s, func(string) string { return "" })
}
