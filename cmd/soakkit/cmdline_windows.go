package main

import (
	"strings"

	"golang.org/x/sys/windows"
)

// splitCommandLine splits a --service value the way Windows programs split
// their own command line (CommandLineToArgvW), which is how a Windows user
// writes one: a backslash in C:\tools\app.exe is part of the path, not an
// escape, and double quotes group words ("C:\Program Files\app.exe" -v).
func splitCommandLine(s string) ([]string, error) {
	s = strings.TrimSpace(s) // a leading blank would make an empty program name
	if s == "" {
		return nil, nil
	}
	return windows.DecomposeCommandLine(s)
}
