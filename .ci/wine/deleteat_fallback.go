// Added to internal/syscall/windows by `go test -overlay` for the Wine runs
// only (.ci/wine-tests); never part of soakkit.
//
// Wine 8.0 answers FileDispositionInformationEx with "invalid function"
// (STATUS_INVALID_DEVICE_REQUEST), which Go's os.RemoveAll does not take as
// "unsupported", so every t.TempDir cleanup failed. Real Windows supports
// it. This selects Go's own fallback deletion path, as Go's tests do.

package windows

func init() { TestDeleteatFallback = true }
