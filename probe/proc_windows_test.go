package probe

import (
	"os"
	"slices"
	"testing"

	"golang.org/x/sys/windows"
)

// An exited root that its parent has not waited for (so its process object,
// pid and figures live on) is Gone, whether or not the sampler saw it alive.
func TestProcSamplerExitedNotWaited(t *testing.T) {
	cmd := helperCmd("sleep", "0")
	in, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	s := Tree(cmd.Process.Pid)
	if got := sampleUntil(t, s, func(s Sample) bool { return s.Procs == 1 }); got.Gone {
		t.Fatalf("Sample() of a live process = %+v", got)
	}
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(h)
	in.Close()
	if ev, err := windows.WaitForSingleObject(h, 20000); err != nil || ev != windows.WAIT_OBJECT_0 {
		t.Fatalf("helper did not exit: %v, %v", ev, err)
	}
	got, err := s.Sample(t.Context())
	if err != nil || !got.Gone || got.Procs != 0 {
		t.Errorf("Sample() after exit, handles still open = %+v, %v; want Gone", got, err)
	}
}

// TestSnapshotTable checks the one snapshot per sample that gives the
// sampler every process's parent, thread count and children: it lists this
// process under its parent, with its threads.
func TestSnapshotTable(t *testing.T) {
	tab := snapshotTable()
	if tab == nil {
		t.Fatal("snapshotTable() = nil")
	}
	self, parent := int32(os.Getpid()), int32(os.Getppid())
	e, ok := tab.entry(self)
	if !ok || e.ppid != parent || e.threads < 1 {
		t.Fatalf("entry(%d) = %+v, %v; want parent %d and ≥ 1 thread", self, e, ok, parent)
	}
	if !slices.Contains(tab.children[parent], self) {
		t.Errorf("children of %d = %v, want %d among them", parent, tab.children[parent], self)
	}
}
