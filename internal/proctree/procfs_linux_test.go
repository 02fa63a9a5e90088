package proctree

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadProc(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 1000)
	tests := []struct {
		name string
		give []byte // file content
		buf  int    // capacity of the buffer passed in
	}{
		{"empty", nil, 0},
		{"fits", []byte("1 (a) S 0"), 64},
		{"exactly the buffer", []byte("0123456789abcdef"), 16},
		{"grows from nil", big, 0},
		{"grows from small", big, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.give, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readProc(path, make([]byte, 0, tt.buf))
			if err != nil {
				t.Fatalf("readProc(%q): %v", tt.name, err)
			}
			if !bytes.Equal(got, tt.give) {
				t.Errorf("readProc(%q) = %d bytes, want %d bytes (content differs)", tt.name, len(got), len(tt.give))
			}
		})
	}
	if _, err := readProc(filepath.Join(dir, "missing"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("readProc(missing) error = %v, want fs.ErrNotExist", err)
	}
	// A real /proc file, whose size stat reports as 0.
	got, err := readProc("/proc/self/stat", nil)
	if err != nil || !bytes.HasPrefix(got, []byte(strconv.Itoa(os.Getpid())+" (")) {
		t.Errorf("readProc(/proc/self/stat) = %q, %v", got, err)
	}
}

func TestProcDirNames(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for i := range 600 { // more entries than one getdents buffer holds
		name := "entry-with-a-longish-name-" + strconv.Itoa(i)
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	got, err := procDirNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("procDirNames mismatch (-want +got):\n%s", diff)
	}
	if _, err := procDirNames(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("procDirNames(missing) error = %v, want fs.ErrNotExist", err)
	}
}
