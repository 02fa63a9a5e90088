package jsonl

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type rec struct {
	N int    `json:"n"`
	S string `json:"s"`
}

func readAll(t *testing.T, path string) []rec {
	t.Helper()
	var got []rec
	if err := Decode(path, func(r rec, _ int) error { got = append(got, r); return nil }); err != nil {
		t.Fatalf("Decode(%s): %v", path, err)
	}
	return got
}

func TestAppendConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x", "a.jsonl")
	a, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				if err := a.Append(rec{N: g*1000 + i, S: strings.Repeat("x", 1000)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if got := len(readAll(t, path)); got != 800 {
		t.Errorf("read %d records, want 800", got)
	}
}

func TestTornLineRepairedOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	if err := os.WriteFile(path, []byte(`{"n":1,"s":"a"}`+"\n"+`{"n":2,"s":"b`), 0o644); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]rec{{1, "a"}}, readAll(t, path)); diff != "" {
		t.Errorf("Read of torn file (-want +got):\n%s", diff)
	}
	a, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Append(rec{3, "c"}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if diff := cmp.Diff([]rec{{1, "a"}, {3, "c"}}, readAll(t, path)); diff != "" {
		t.Errorf("after repair and append (-want +got):\n%s", diff)
	}
}

func TestRepairWithoutAnyNewline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(path, []byte(`{"n":1`), 0o644)
	a, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	a.Append(rec{2, "b"})
	a.Close()
	if diff := cmp.Diff([]rec{{2, "b"}}, readAll(t, path)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadReportsBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(path, []byte("{\"n\":1}\nnot json\n{\"n\":2}\n"), 0o644)
	err := Read(path, func([]byte, int) error { return nil })
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || pe.File != path {
		t.Errorf("Read error = %v, want *ParseError at %s:2", err, path)
	}
}

func TestAppendRawRejectsMultiline(t *testing.T) {
	a, err := Open(filepath.Join(t.TempDir(), "a.jsonl"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, give := range []string{"", "{}", "{}\n{}\n"} {
		if err := a.AppendRaw([]byte(give)); err == nil {
			t.Errorf("AppendRaw(%q) accepted", give)
		}
	}
}

func TestLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	a, _ := Open(path, false)
	long := strings.Repeat("y", 200<<10)
	a.Append(rec{1, long})
	a.Append(rec{2, "z"})
	a.Close()
	got := readAll(t, path)
	if len(got) != 2 || got[0].S != long || got[1].N != 2 {
		t.Errorf("long line round trip failed: %d records", len(got))
	}
}

func TestAppenderReplace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.jsonl")
	a, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for i := range 3 {
		if err := a.Append(map[string]int{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
	// A failing fill leaves the file as it was.
	if err := a.Replace(func(w io.Writer) error { return errors.New("no") }); err == nil {
		t.Error("Replace with a failing fill: no error")
	}
	if err := a.Replace(func(w io.Writer) error {
		old, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		_, err = w.Write(old[bytes.IndexByte(old, '\n')+1:]) // drop the first line
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.Append(map[string]int{"i": 3}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n"
	if string(got) != want || a.Size() != int64(len(want)) {
		t.Errorf("after Replace and Append: %q (size %d), want %q", got, a.Size(), want)
	}
}
