package step_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soakkit/soakkit/step"
)

// assertGone fails unless every pid has ended within a bounded wait (alive
// is per OS: /proc on Linux, signal 0 on other Unix, the exit code on
// Windows).
func assertGone(t *testing.T, pids ...int) {
	t.Helper()
	if len(pids) == 0 {
		t.Fatal("assertGone: no pids; the test proves nothing")
	}
	waitFor(t, 10*time.Second, fmt.Sprintf("processes %v to end", pids), func() bool {
		for _, p := range pids {
			if alive(p) {
				return false
			}
		}
		return true
	})
}

func TestTreeOfHelpersEndsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	dir := t.TempDir()
	c := helper("helpers", "spawn=2", "hang")
	done := make(chan step.Result, 1)
	go func() { done <- c.Run(ctx, step.Runtime{LogDir: dir}) }()
	logPath := filepath.Join(dir, "helpers.stdout.log")
	waitFor(t, 60*time.Second, "two helper pids", func() bool {
		b, _ := os.ReadFile(logPath)
		return bytes.Count(b, []byte("\n")) >= 2
	})
	pids := readPids(t, logPath)
	cancel()
	var r step.Result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return 30s after cancel")
	}
	if r.Status != step.Error || !strings.HasPrefix(r.Details, "canceled") {
		t.Errorf("Run: status %q details %q, want error \"canceled…\"", r.Status, r.Details)
	}
	assertGone(t, append(pids, r.PID)...)
}

// untilEscaped ends a shell command line that starts a background process:
// it waits until that process has its own process group (setsid has run),
// then prints its pid.
const untilEscaped = `& p=$!; until read -r _ _ _ _ pg _ < /proc/$p/stat && [ "$pg" = "$p" ]; do sleep 0.01; done; echo $p`

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
