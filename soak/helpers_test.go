package soak

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// noisyStep writes bytes of output to <LogDir>/<name>.stdout.log through
// rt.Redact and rt.LogFile, as step.Command does with a program's output,
// and fails when fail says so. It is the cheap step of the byte-cap test.
type noisyStep struct {
	name  string
	bytes int
	fail  func() bool
}

func (s noisyStep) Name() string { return s.name }

func (s noisyStep) Run(ctx context.Context, rt step.Runtime) step.Result {
	start := time.Now()
	res := step.Result{Name: s.name, Start: start, Attempts: 1}
	if err := os.MkdirAll(rt.LogDir, 0o755); err != nil {
		res.Status, res.Details = step.Error, err.Error()
		return res
	}
	path := filepath.Join(rt.LogDir, s.name+".stdout.log")
	f, err := os.Create(path)
	if err != nil {
		res.Status, res.Details = step.Error, err.Error()
		return res
	}
	var fw io.WriteCloser = nopCloser{f}
	if rt.LogFile != nil {
		fw = rt.LogFile(f)
	}
	w := fw
	if rt.Redact != nil {
		w = rt.Redact(fw)
	}
	line := []byte(strings.Repeat("x", 99) + "\n")
	for n := 0; n < s.bytes; n += len(line) {
		w.Write(line[:min(len(line), s.bytes-n)])
	}
	w.Close()
	if rt.Redact != nil {
		fw.Close()
	}
	f.Close()
	res.StdoutLog = path
	res.Status, res.OK = step.Passed, true
	if s.fail != nil && s.fail() {
		res.Status, res.OK, res.ExitCode, res.Details, res.Tail = step.Failed, false, 1, "noise failed", "x\nnoise failed"
	}
	res.Duration = time.Since(start)
	return res
}

// sleepStep is a Func step that takes d unless its context ends first.
func sleepStep(name string, d time.Duration) step.Step {
	return step.Func(name, func(ctx context.Context) error {
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

func readRecords(t testing.TB, l artifact.Layout) []artifact.Record {
	t.Helper()
	var recs []artifact.Record
	err := jsonl.Decode(l.Iterations(), func(r artifact.Record, _ int) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatalf("read %s: %v", l.Iterations(), err)
	}
	return recs
}

// treeWalkDue reports whether a test that checks the artifacts tree while
// a soak runs should walk it after iteration n: after every iteration,
// except under Wine, where a walk of these few directories costs 15-50 ms
// (each directory operation is a round trip to wineserver; microseconds on
// Linux) and after every 20th keeps each test within a minute or two. The
// walk after the soak still checks the end state on every OS.
func treeWalkDue(n int) bool { return !winetest.Detected() || n%20 == 0 }

// treeBytes returns the total size of the regular files under root.
func treeBytes(t testing.TB, root string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fastDir returns a temporary directory on tmpfs if there is one, so that
// the fsyncs of thousands of iterations cost nothing.
func fastDir(t testing.TB) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "soaktest-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

// checkParseable fails unless every JSON and JSON Lines file under root
// parses (a torn final line of a .jsonl file is tolerated, as by jsonl.Read).
func checkParseable(t testing.TB, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || (strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), ".tmp-")) {
			return nil
		}
		switch filepath.Ext(p) {
		case ".jsonl":
			if err := jsonl.Read(p, func([]byte, int) error { return nil }); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		case ".json":
			var v any
			if err := readJSON(p, &v); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		}
		return nil
	})
}

var errTest = errors.New("test failure")

func must[T any](t testing.TB, v T, err error) T {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var _ = fmt.Sprint

func readJSON(p string, v any) error { return canonjson.Read(p, v) }

// newSoak returns a Soak without the environment snapshot (which runs go
// list and git); TestWatchOnlyService covers it.
func newSoak(t testing.TB, cfg Config, it *Iteration, opts ...Option) *Soak {
	t.Helper()
	s, err := New(cfg, it, append([]Option{withoutEnv()}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func sortStrings(s []string) { slices.Sort(s) }

func canonjsonWrite(p string, v any) error { return canonjson.WriteFile(p, v) }
