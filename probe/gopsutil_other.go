//go:build !windows

package probe

// snapshotTable returns nil: elsewhere gopsutil reads a process's parent,
// threads and children without a snapshot of the whole table.
func snapshotTable() *procTable { return nil }
