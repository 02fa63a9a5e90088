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

func TestParseStat(t *testing.T) {
	const tail = " 0 0 0 0 0 0 20 0 1 0 4242 1000 200 18446744073709551615\n"
	tests := []struct {
		name string
		give string
		want stat
		ok   bool
	}{
		{"plain", "42 (sleep) S 1 42 42 0 -1 4194560 0 0" + tail, stat{state: 'S', ppid: 1, pgrp: 42, flags: 4194560, start: 4242}, true},
		{"comm with spaces and parens", "7 (a) b (c) d) Z 3 5 5 0 -1 2097152 0 0" + tail, stat{state: 'Z', ppid: 3, pgrp: 5, flags: 2097152, start: 4242}, true},
		{"ppid 0", "1 (init) S 0 1 1 0 -1 4194560 0 0" + tail, stat{state: 'S', ppid: 0, pgrp: 1, flags: 4194560, start: 4242}, true},
		{"no comm", "42 sleep S 1 42", stat{}, false},
		{"truncated", "42 (sleep) S 1 42 42 0 -1 4194560 0 0 0 0", stat{}, false},
		{"two-letter state", "42 (sleep) SS 1 42 42 0 -1 4194560 0 0" + tail, stat{}, false},
		{"bad ppid", "42 (sleep) S x 42 42 0 -1 4194560 0 0" + tail, stat{}, false},
		{"negative start", "42 (sleep) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 20 0 1 0 -5 1000\n", stat{}, false},
		{"empty", "", stat{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseStat([]byte(tt.give))
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseStat(%q) = %+v, %v; want %+v, %v", tt.give, got, ok, tt.want, tt.ok)
			}
		})
	}
	// A real one: this process, and no allocation to parse it.
	b, err := readProc("/proc/self/stat", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := parseStat(b)
	if !ok || st.ppid != os.Getppid() || st.start == 0 {
		t.Errorf("parseStat(/proc/self/stat) = %+v, %v; want ppid %d and a start time", st, ok, os.Getppid())
	}
	if n := testing.AllocsPerRun(100, func() { parseStat(b) }); n != 0 {
		t.Errorf("parseStat allocates %v times per call, want 0", n)
	}
}

// TestParseStatLive checks parseStat against a plain field split on the
// stat file of every process on the host.
func TestParseStatLive(t *testing.T) {
	names, err := procDirNames("/proc")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range names {
		if _, err := strconv.Atoi(name); err != nil {
			continue
		}
		b, err := readProc("/proc/"+name+"/stat", nil)
		if err != nil {
			continue // gone meanwhile
		}
		f := bytes.Fields(b[bytes.LastIndexByte(b, ')')+1:])
		ppid, _ := strconv.Atoi(string(f[1]))
		pgrp, _ := strconv.Atoi(string(f[2]))
		flags, _ := strconv.ParseUint(string(f[6]), 10, 64)
		start, _ := strconv.ParseUint(string(f[19]), 10, 64)
		want := stat{state: f[0][0], ppid: ppid, pgrp: pgrp, flags: flags, start: start}
		if got, ok := parseStat(b); !ok || got != want {
			t.Errorf("parseStat(%q) = %+v, %v; want %+v", b, got, ok, want)
		}
		checked++
	}
	if checked == 0 {
		t.Error("no process checked")
	}
}
