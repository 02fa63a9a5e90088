package probe

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// snapshotTable reads the process table once (CreateToolhelp32Snapshot),
// or returns nil if it cannot, in which case the sampler asks gopsutil per
// process.
func snapshotTable() *procTable {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return nil
	}
	defer windows.CloseHandle(snap)
	var pe windows.ProcessEntry32
	pe.Size = uint32(unsafe.Sizeof(pe))
	t := &procTable{}
	for err = windows.Process32First(snap, &pe); err == nil; err = windows.Process32Next(snap, &pe) {
		t.add(int32(pe.ProcessID), int32(pe.ParentProcessID), int32(pe.Threads))
	}
	if t.entries == nil {
		return nil
	}
	return t
}
