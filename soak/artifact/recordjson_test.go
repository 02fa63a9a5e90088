package artifact

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/step"
)

// fullRecord uses every field the fast decoder knows.
func fullRecord() Record {
	t := time.Date(2026, 11, 20, 8, 0, 0, 123456789, time.UTC)
	return Record{Iteration: 42, Start: t, End: t.Add(1500 * time.Millisecond), DurationMS: 1500, BudgetMS: 60000, Cut: true,
		Result: "FAIL", Status: IterFailed, Reason: "step tests failed: \"quoted\" \\ ünïcode\n", LogDir: "soak/logs/000042",
		Steps: []StepRecord{
			{Name: "build", Status: step.Passed, OK: true, DurationMS: 300, Attempts: 1, PeakRSS: 1 << 30, Logs: []string{"a.log", "b.log"}},
			{Name: "tests", Status: step.Failed, Details: "1 failed", ExitCode: -1, DurationMS: 1200, Attempts: 2, Tail: "--- FAIL\n\tx <b>",
				Tests:     []TestRecord{{Package: "example.com/app", Test: "TestA", Status: step.Failed, ElapsedMS: 12}, {Package: "example.com/app", Status: step.Failed}},
				Steps:     []StepRecord{{Name: "inner", Status: step.TimedOut, Cut: true, Steps: []StepRecord{}}},
				Leftovers: []Process{{PID: 7, Cmdline: "sleep 300", Escaped: true}}},
		},
		Survivors: []Process{{PID: 9}},
		Resources: map[string]Figures{"self": {RSS: 1, PeakRSS: 2, FDs: 3, Threads: 4, Procs: 5, Goroutines: 6, HeapLive: 7}, "step:tests": {}},
	}
}

// The fast decoder gives what encoding/json gives, or declines.
func TestRecordDecoder(t *testing.T) {
	full, err := json.Marshal(fullRecord())
	if err != nil {
		t.Fatal(err)
	}
	lines := []struct {
		name     string
		line     string
		declines bool
	}{
		{"full", string(full), false},
		{"empty steps", `{"iteration":1,"start":"2026-11-20T08:00:00Z","steps":[]}`, false},
		{"whitespace", " {\"iteration\" : 1 , \"steps\":[ ] }\n", false},
		{"range", `{"iteration":1,"status":"passed","range":{"last":3,"count":3,"steps":[]}}`, true},
		{"null", `{"iteration":1,"reason":null}`, true},
		{"cased key", `{"Iteration":1}`, true},
		{"unknown key", `{"iteration":1,"extra":{"a":[1]}}`, true},
		{"float in an int", `{"iteration":1.5}`, true},
		{"negative uint", `{"steps":[{"peak_rss":-1}]}`, true},
		{"duplicate key", `{"iteration":1,"iteration":2}`, true},
		{"escaped key", `{"iter\u0061tion":1}`, true},
		{"bad time", `{"start":"yesterday"}`, true},
		{"trailing data", `{"iteration":1} {}`, true},
		{"invalid UTF-8", "{\"reason\":\"\xff\"}", true},
	}
	var d recordDecoder
	for _, tt := range lines {
		t.Run(tt.name, func(t *testing.T) {
			var got Record
			ok := d.decode([]byte(tt.line), &got)
			if ok == tt.declines {
				t.Fatalf("decode(%s) = %v, want %v", tt.line, ok, !tt.declines)
			}
			if !ok {
				return
			}
			var want Record
			if err := json.Unmarshal([]byte(tt.line), &want); err != nil {
				t.Fatalf("encoding/json: %v; the fast path accepted %s", err, tt.line)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decode(%s) mismatch (-encoding/json +fast):\n%s", tt.line, diff)
			}
		})
	}
}

// FuzzRecordDecoder: whatever the fast decoder accepts, encoding/json
// decodes to the same record.
func FuzzRecordDecoder(f *testing.F) {
	full, _ := json.Marshal(fullRecord())
	f.Add(full)
	f.Add([]byte(`{"iteration":1,"steps":[{"name":"a","tests":[{"package":"p"}]}],"resources":{"x":{"rss":1}}}`))
	for _, p := range []string{"testdata/*/soak/iterations.jsonl", "../summary/testdata/*/soak/iterations.jsonl"} {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			fh, err := os.Open(file)
			if err != nil {
				continue
			}
			sc := bufio.NewScanner(fh)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				f.Add(append([]byte(nil), sc.Bytes()...))
			}
			fh.Close()
		}
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var d recordDecoder
		var got Record
		if !d.decode(line, &got) {
			return
		}
		var want Record
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json: %v", line, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decode(%q) mismatch (-encoding/json +fast):\n%s", line, diff)
		}
	})
}
