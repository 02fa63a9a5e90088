//go:build unix

package secrets_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/secrets"
)

// TestScanSpecialFiles checks that FIFOs and sockets, inside a walked tree
// or named directly, are counted and reported without being opened: a FIFO
// with no writer would block an open for ever.
func TestScanSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// Unix socket paths are short; a socket under the temp dir may not fit.
	sockDir, err := os.MkdirTemp("", "sk")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	sock := filepath.Join(sockDir, "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	if err := os.Symlink(sock, filepath.Join(dir, "sock")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plain.txt"), []byte("nothing here\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name        string
		paths       []string
		wantSpecial []string
		wantFiles   int
	}{
		{"walked", []string{dir}, []string{"pipe"}, 1},
		{"named fifo", []string{fifo}, []string{"pipe"}, 0},
		{"named socket", []string{sock}, []string{sock}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s := &secrets.Scanner{Root: dir}
			rep, err := s.Scan(ctx, tt.paths...)
			if err != nil {
				t.Fatalf("Scan(%v): %v", tt.paths, err)
			}
			if diff := cmp.Diff(tt.wantSpecial, rep.Special); diff != "" {
				t.Errorf("Scan(%v).Special mismatch (-want +got):\n%s", tt.paths, diff)
			}
			if rep.Files != tt.wantFiles {
				t.Errorf("Scan(%v).Files = %d, want %d", tt.paths, rep.Files, tt.wantFiles)
			}
		})
	}
}
