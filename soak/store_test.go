package soak

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/soak/artifact"
)

// writeIterLogs writes one log file per step for iteration n through the
// store, as an iteration would, and finishes the iteration.
func writeIterLogs(t *testing.T, st *store, n int, failed bool, size int, steps ...string) {
	t.Helper()
	dir := st.layout.IterationLogs(n)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		f, err := os.Create(filepath.Join(dir, s+".stdout.log"))
		if err != nil {
			t.Fatal(err)
		}
		w := st.logWriter(f, f.Name(), useLog)
		w.Write(make([]byte, size))
		w.Close()
		f.Close()
	}
	st.finishIteration(n, failed)
}

// openTestStore opens a store of l without its reserve file and without
// the room kept for the closing files, so that byte counts are the test's
// own.
func openTestStore(t *testing.T, l artifact.Layout, capBytes int64, keep int) *store {
	t.Helper()
	st, err := openStore(l, capBytes, keep, func(int) bool { return false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.releaseReserve()
	st.openClosing()
	return st
}

func keptIterations(t *testing.T, l artifact.Layout) []int {
	t.Helper()
	entries, _ := os.ReadDir(l.Logs())
	var out []int
	for _, e := range entries {
		if n, ok := parseIterationDir(e.Name()); ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func TestStoreRotation(t *testing.T) {
	l := artifact.Layout{Root: t.TempDir()}
	st := openTestStore(t, l, 1<<30, 2)
	// Iterations 1..6; 3 fails. "a" runs every time, "b" only in 1 and 2.
	for n := 1; n <= 6; n++ {
		steps := []string{"a"}
		if n <= 2 {
			steps = append(steps, "b")
		}
		writeIterLogs(t, st, n, n == 3, 100, steps...)
	}
	// Passing: keep the newest 2 per step: a in 5, 6; b in 1, 2 (its only
	// ones). Failing 3 is kept whole.
	if diff := cmp.Diff([]int{1, 2, 3, 5, 6}, keptIterations(t, l)); diff != "" {
		t.Errorf("iterations with logs (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(l.IterationLogs(1), "a.stdout.log")); err == nil {
		t.Error("step a's log of iteration 1 survived rotation")
	}
	used, _, _ := st.usage()
	if got := treeBytes(t, l.Root); got != used || used != 5*100 { // 1b 2b 3a 5a 6a
		t.Errorf("accounted %d bytes, tree holds %d, want 500", used, got)
	}
}

func TestStoreEvictionOrder(t *testing.T) {
	l := artifact.Layout{Root: t.TempDir()}
	const capBytes = 1 << 20
	st := openTestStore(t, l, capBytes, 100)
	// Each iteration writes 250 KiB; logs may use the cap minus 128 KiB of
	// headroom (896 KiB), so three fit, counting the running one.
	for n := 1; n <= 6; n++ {
		writeIterLogs(t, st, n, n%2 == 1, 250<<10, "x")
		if got := treeBytes(t, l.Root); got > capBytes {
			t.Fatalf("after iteration %d: %d bytes > cap", n, got)
		}
	}
	// Passing 2, 4, 6 and failing 1, 3, 5: passing ones go first, oldest
	// first, so the newest failing ones outlive all but the newest passing.
	if diff := cmp.Diff([]int{3, 5, 6}, keptIterations(t, l)); diff != "" {
		t.Errorf("iterations with logs (-want +got):\n%s", diff)
	}
	used, evicted, _ := st.usage()
	if got := treeBytes(t, l.Root); got != used {
		t.Errorf("accounted %d bytes, tree holds %d", used, got)
	}
	if evicted != 3*250<<10 {
		t.Errorf("evicted %d bytes, want three iterations' worth", evicted)
	}
}

func TestStoreRecordsNeverExceedCap(t *testing.T) {
	l := artifact.Layout{Root: t.TempDir()}
	st := openTestStore(t, l, 1<<20, 1)
	big := map[string]string{"pad": strings.Repeat("a", 300<<10)}
	var errs int
	for i := 0; i < 5; i++ {
		if err := st.writeJSON(filepath.Join(l.Dir(), "x.json"), big); err != nil {
			errs++
		}
		if err := st.writeJSON(filepath.Join(l.Dir(), "y.json"), big); err != nil {
			errs++
		}
	}
	if got := treeBytes(t, l.Root); got > 1<<20 {
		t.Errorf("tree %d bytes > cap", got)
	}
	if errs != 0 {
		t.Errorf("%d rewrites of two 300 KiB files under a 1 MiB cap failed", errs)
	}
	bigger := map[string]string{"pad": strings.Repeat("a", 500<<10)}
	if err := st.writeJSON(filepath.Join(l.Dir(), "z.json"), bigger); !errors.Is(err, errCapReached) {
		t.Errorf("writing a file that cannot fit: %v, want errCapReached", err)
	}
	if used, _, _ := st.usage(); treeBytes(t, l.Root) != used {
		t.Errorf("accounted %d bytes, tree holds %d", used, treeBytes(t, l.Root))
	}
}

// TestStoreKeepsClosingRoom: while the soak runs, records may not use the
// room kept for the closing files; once it closes, they may.
func TestStoreKeepsClosingRoom(t *testing.T) {
	l := artifact.Layout{Root: t.TempDir()}
	const capBytes = 4 << 20
	st, err := openStore(l, capBytes, 1, func(int) bool { return false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.releaseReserve()
	room := closingRoom(capBytes)
	if room != 512<<10 || st.budget() != capBytes-room {
		t.Fatalf("closing room %d, budget %d; want 512 KiB kept of %d", room, st.budget(), capBytes)
	}
	fill := map[string]string{"pad": strings.Repeat("a", int(capBytes-room))}
	if err := st.writeJSON(filepath.Join(l.Dir(), "x.json"), fill); !errors.Is(err, errCapReached) {
		t.Errorf("a record into the closing room: %v, want errCapReached", err)
	}
	st.openClosing()
	if err := st.writeJSON(filepath.Join(l.Dir(), "x.json"), fill); err != nil {
		t.Errorf("the same record once the soak closes: %v", err)
	}
	if got := treeBytes(t, l.Root); got > capBytes {
		t.Errorf("tree %d bytes > cap %d", got, capBytes)
	}
}

func TestClosingRoom(t *testing.T) {
	tests := []struct{ give, want int64 }{
		{1 << 20, 512 << 10},
		{4 << 20, 512 << 10},
		{64 << 20, 8 << 20},
		{1 << 30, 16 << 20},
	}
	for _, tt := range tests {
		if got := closingRoom(tt.give); got != tt.want {
			t.Errorf("closingRoom(%d) = %d, want %d", tt.give, got, tt.want)
		}
	}
}
