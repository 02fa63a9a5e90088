package artifact

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestRecords(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		want     []int // iteration numbers
		wantLine int   // line of the *jsonl.ParseError; 0: no error
	}{
		{"empty", "", nil, 0},
		{"two", `{"iteration":1,"status":"passed"}` + "\n" + `{"iteration":2,"status":"failed"}` + "\n", []int{1, 2}, 0},
		{"torn last line", `{"iteration":1,"status":"passed"}` + "\n" + `{"iteration":2,"sta`, []int{1}, 0},
		{"blank lines", "\n" + `{"iteration":1}` + "\n\n", []int{1}, 0},
		{"garbage", `{"iteration":1}` + "\nnot json\n" + `{"iteration":3}` + "\n", []int{1}, 2},
		{"wrong type", `{"iteration":"one"}` + "\n", nil, 1},
		{"range", `{"iteration":1,"status":"passed","range":{"last":3,"count":3,"steps":[]}}` + "\n" + `{"iteration":4,"status":"failed"}` + "\n", []int{1, 4}, 0},
		{"range miscounted", `{"iteration":1,"status":"passed"}` + "\n" + `{"iteration":2,"status":"passed","range":{"last":3,"count":5,"steps":[]}}` + "\n", []int{1}, 2},
		{"range backwards", `{"iteration":5,"status":"passed","range":{"last":3,"count":-1,"steps":[]}}` + "\n", nil, 1},
		{"range failed", `{"iteration":1,"status":"failed","range":{"last":2,"count":2,"steps":[]}}` + "\n", nil, 1},
		{"range with steps", `{"iteration":1,"status":"passed","steps":[{"name":"a"}],"range":{"last":1,"count":1,"steps":[]}}` + "\n", nil, 1},
		{"range step statuses", `{"iteration":1,"status":"passed","range":{"last":1,"count":1,"steps":[{"name":"a","statuses":{"passed":2}}]}}` + "\n", nil, 1},
		{"range bad sketch", `{"iteration":1,"status":"passed","range":{"last":1,"count":1,"steps":[{"name":"a","duration_ms":{"n":1}}]}}` + "\n", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, "iterations.jsonl", tt.give)
			recs, err := collect(t, Records(p))
			var got []int
			for _, r := range recs {
				got = append(got, r.Iteration)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Records(%q) iterations mismatch (-want +got):\n%s", tt.give, diff)
			}
			var pe *jsonl.ParseError
			switch {
			case tt.wantLine == 0 && err != nil:
				t.Errorf("Records(%q) error %v, want none", tt.give, err)
			case tt.wantLine != 0 && (!errors.As(err, &pe) || pe.Line != tt.wantLine || pe.File != p):
				t.Errorf("Records(%q) error %v, want a ParseError at %s:%d", tt.give, err, p, tt.wantLine)
			}
		})
	}
}

func TestRecordsMissingAndBreak(t *testing.T) {
	_, err := collect(t, Records(filepath.Join(t.TempDir(), "none.jsonl")))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Records of a missing file: error %v, want fs.ErrNotExist", err)
	}
	p := writeFile(t, "iterations.jsonl", strings.Repeat(`{"iteration":1}`+"\n", 5))
	n := 0
	for _, err := range Records(p) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("ranged %d records after break at 2", n)
	}
}

func TestSamples(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	want := []probe.Sample{
		{Time: at, Target: Self, RSS: 10 << 20, Goroutines: 7},
		{Time: at.Add(time.Second), Target: StepTarget("unit"), PID: 42, Procs: 2, RSS: 3 << 20, CPU: 0.5},
		{Time: at.Add(2 * time.Second), Target: `odd "name"`, FDs: 9}, // escapes: the encoding/json path
	}
	var b strings.Builder
	for _, s := range want {
		line, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteString(`{"t":"2026-12-01T10:00:03Z","rss":`) // torn by a crash
	got, err := collect(t, Samples(writeFile(t, "samples.jsonl", b.String())))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Samples mismatch (-want +got):\n%s", diff)
	}

	_, err = collect(t, Samples(writeFile(t, "samples.jsonl", "{\"t\":1}\n")))
	var pe *jsonl.ParseError
	if !errors.As(err, &pe) || pe.Line != 1 {
		t.Errorf("Samples of a non-sample line: error %v, want a ParseError at line 1", err)
	}
}

func TestReadState(t *testing.T) {
	if _, err := ReadState(filepath.Join(t.TempDir(), "state.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadState of a missing file: error %v, want fs.ErrNotExist", err)
	}
	p := writeFile(t, "state.json", `{"version":1,"run_id":"ab`)
	if _, err := ReadState(p); err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), p) {
		t.Errorf("ReadState of a corrupt file: error %v, want one naming %s", err, p)
	}
	p = writeFile(t, "state.json", `{"version":1,"run_id":"ab","counts":{"iterations":3,"passed":2,"failed":1},"stop":"count","config":{"count":3}}`)
	st, err := ReadState(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.RunID != "ab" || st.Counts != (Counts{Iterations: 3, Passed: 2, Failed: 1}) || st.Stop != StopCount || string(st.Config) != `{"count":3}` {
		t.Errorf("ReadState = %+v", st)
	}
}

func TestTargets(t *testing.T) {
	if got := StepTarget("unit"); got != "step:unit" || !IsStep(got) {
		t.Errorf("StepTarget(unit) = %q, IsStep %v", got, IsStep(got))
	}
	if name, ok := StepName("step:a/b"); !ok || name != "a/b" {
		t.Errorf("StepName(step:a/b) = %q, %v", name, ok)
	}
	if _, ok := StepName(Self); ok || IsStep(Self) || IsStep(ServiceTarget("api")) {
		t.Errorf("self or a service taken for a step target")
	}
}

// FuzzParseSample: whatever line the fast path accepts decodes as
// encoding/json decodes it.
func FuzzParseSample(f *testing.F) {
	f.Add(`{"t":"2026-11-26T23:00:00Z","target":"service","pid":42,"rss":1,"fd_pct":1.5,"took_ns":12}`)
	f.Add(`{"t":"2026-11-26T23:00:00Z","target":"step:x","gone":true}`)
	f.Add(`{"rss":1e3}`)
	f.Fuzz(func(t *testing.T, line string) {
		var got probe.Sample
		if !parseSample([]byte(line), &got) {
			return
		}
		var want probe.Sample
		if err := json.Unmarshal([]byte(line), &want); err != nil {
			t.Fatalf("parseSample accepted %q, which encoding/json rejects: %v", line, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parseSample(%q) mismatch with encoding/json (-want +got):\n%s", line, diff)
		}
	})
}
