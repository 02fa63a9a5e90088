//go:build !linux

package step

import "os"

// createLog creates the log file at path, which must not exist, for
// writing.
func createLog(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// pipe returns a pipe for a child's output.
func pipe() (r, w *os.File, err error) { return os.Pipe() }
