// Package atomicfile writes files atomically: readers see either the old
// content or the new, never a mix, and a crash at any moment leaves the file
// readable.
//
// The content goes to a temporary file in the destination's directory (so the
// rename never crosses a file system), which is synced, closed and renamed
// over the destination; on Unix the directory is then synced so the rename
// itself survives a power loss. Windows has no directory sync; os.Rename there
// uses MoveFileEx with MOVEFILE_REPLACE_EXISTING, which is atomic on NTFS for
// files on the same volume.
package atomicfile
