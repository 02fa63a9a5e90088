package configfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("x", 2048)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		max      int64
		want     string
		wantErr  string
		tooLarge bool
		notExist bool
	}{
		{name: "small", path: small, max: 1024, want: "a: 1\n"},
		{name: "exactly max", path: small, max: 5, want: "a: 1\n"},
		{name: "over", path: big, max: 1024, wantErr: "big.yaml: 2.0 KiB is over the 1.0 KiB limit", tooLarge: true},
		{name: "directory", path: dir, max: 1024, wantErr: "not a regular file"},
		{name: "missing", path: filepath.Join(dir, "nope"), max: 1024, notExist: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.path, tt.max)
			if tt.want != "" {
				if err != nil || string(got) != tt.want {
					t.Fatalf("Read(%q, %d) = %q, %v; want %q, nil", tt.path, tt.max, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Read(%q, %d) = %q, nil; want an error", tt.path, tt.max, got)
			}
			if tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Read(%q, %d) error = %q, want it to contain %q", tt.path, tt.max, err, tt.wantErr)
			}
			var tl *TooLargeError
			if errors.As(err, &tl) != tt.tooLarge {
				t.Errorf("Read(%q, %d) error %v: *TooLargeError = %v, want %v", tt.path, tt.max, err, !tt.tooLarge, tt.tooLarge)
			}
			if errors.Is(err, fs.ErrNotExist) != tt.notExist {
				t.Errorf("Read(%q, %d) error %v: fs.ErrNotExist = %v, want %v", tt.path, tt.max, err, !tt.notExist, tt.notExist)
			}
		})
	}
}
