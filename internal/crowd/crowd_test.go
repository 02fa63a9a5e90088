//go:build linux

package crowd

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestStartAndEnd: Start has n sleepers running in a group of their own,
// and the test's cleanup ends every one of them.
func TestStartAndEnd(t *testing.T) {
	const n = 20
	var pgid int
	t.Run("start", func(t *testing.T) {
		pgid = Start(t, n)
		if got := groupSize(pgid); got != n {
			t.Errorf("groupSize = %d after Start(%d)", got, n)
		}
	})
	if pgid == 0 {
		t.Fatal("Start returned no process group")
	}
	deadline := time.Now().Add(30 * time.Second)
	for groupSize(pgid) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d sleepers still running 30s after cleanup", groupSize(pgid))
		}
		time.Sleep(10 * time.Millisecond)
	}
}
