// Package configfile reads configuration and baseline files with a size
// limit, so that a huge or endless input (a generated 50 MB config, a FIFO,
// /dev/zero) is refused with a clear error instead of being decoded into
// gigabytes of memory or blocking for ever.
package configfile

import (
	"fmt"
	"io"
	"os"
)

// Limits for the files soakkit reads as input.
const (
	// MaxConfig is the largest configuration file accepted: soakkit.yaml,
	// lint and secrets configurations and the label lists they name. Real
	// configurations are a few KiB.
	MaxConfig = 4 << 20
	// MaxBaseline is the largest baseline accepted (a JSON report of
	// accepted findings may list tens of thousands of them).
	MaxBaseline = 64 << 20
)

// A TooLargeError reports a file over its size limit.
type TooLargeError struct {
	Path string
	Size int64 // bytes, or -1 when only "more than Max" is known
	Max  int64
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s: larger than the %s limit for this file", e.Path, size(e.Max))
	}
	return fmt.Sprintf("%s: %s is over the %s limit for this file", e.Path, size(e.Size), size(e.Max))
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read returns the contents of the regular file at path, or an error if it
// is not a regular file or holds more than max bytes (a *TooLargeError).
// Errors from the file system are returned as they are (*fs.PathError), so
// errors.Is(err, fs.ErrNotExist) still tells a missing file.
func Read(path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, fi.Mode().Type())
	}
	if fi.Size() > max {
		return nil, &TooLargeError{Path: path, Size: fi.Size(), Max: max}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may grow between Stat and the read: read at most max+1.
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Path: path, Size: -1, Max: max}
	}
	return data, nil
}
