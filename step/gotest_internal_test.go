package step

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTestParser(t *testing.T) {
	f, err := os.Open("testdata/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var p testParser
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p.line(sc.Bytes())
	}
	want := []TestResult{
		{Package: "example.com/p", Test: "TestA", Status: Passed, Elapsed: 250 * time.Millisecond},
		{Package: "example.com/p", Test: "TestB/sub", Status: Failed, Elapsed: time.Second},
		{Package: "example.com/p", Test: "TestB", Status: Failed, Elapsed: 1500 * time.Millisecond},
		{Package: "example.com/p", Test: "TestC", Status: Skipped},
		{Package: "example.com/p", Status: Failed, Elapsed: 2010 * time.Millisecond},
		{Package: "example.com/broken", Status: Failed},
	}
	if diff := cmp.Diff(want, p.results); diff != "" {
		t.Errorf("parsed results (-want +got):\n%s", diff)
	}
	if got, want := summarize(p.results), "1 passed, 3 failed (TestB/sub, TestB, example.com/broken), 1 skipped"; got != want {
		t.Errorf("summarize() = %q, want %q", got, want)
	}
}

func TestTestOutput(t *testing.T) {
	tests := []struct {
		give, want string
		drop       bool
	}{
		{give: `{"Action":"output","Output":"--- FAIL: TestX\n"}`, want: "--- FAIL: TestX"},
		{give: `{"Action":"pass","Test":"TestX"}`, drop: true},
		{give: "plain stderr line", want: "plain stderr line"},
		{give: "{broken json", want: "{broken json"},
	}
	for _, tt := range tests {
		got := testOutput([]byte(tt.give))
		if tt.drop != (got == nil) || !tt.drop && string(got) != tt.want {
			t.Errorf("testOutput(%q) = %q, want %q (drop=%v)", tt.give, got, tt.want, tt.drop)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		give string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven char", 10, "eleven ch…"},
		{"ééééé", 3, "éé…"},
		{"bad\xffutf8", 20, "bad\uFFFDutf8"},
	}
	for _, tt := range tests {
		if got := truncate(tt.give, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.give, tt.n, got, tt.want)
		}
	}
}

func TestTracker(t *testing.T) {
	var tr tracker
	s := &lineSink{t: &tr}
	long := strings.Repeat("y", 3*TailBytes)
	for _, chunk := range []string{"fir", "st\n\n  \nsec", "ond\n", long, "\nlast"} {
		s.Write([]byte(chunk))
	}
	s.flush()
	if got := tr.lastLine(); got != "last" {
		t.Errorf("lastLine() = %q, want %q", got, "last")
	}
	tail := tr.tail()
	if len(tail) > TailBytes || !strings.HasSuffix(tail, "last\n") || strings.Contains(tail, "first") {
		t.Errorf("tail() = %d bytes ending %q; want at most %d ending in the last line", len(tail), tail[max(0, len(tail)-10):], TailBytes)
	}
}

// FuzzTestParser checks that the go test -json parser never panics and only
// reports well-formed outcomes, whatever it is fed.
func FuzzTestParser(f *testing.F) {
	b, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f.Add(l)
	}
	f.Add(`{"Action":"pass","Elapsed":1e308}`)
	f.Add(`{"Action":"fail","Elapsed":-5,"Test":"\u0000"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var p testParser
		for _, l := range strings.Split(s, "\n") {
			p.line([]byte(l))
		}
		if len(p.results) > strings.Count(s, "\n")+1 {
			t.Fatalf("%d results from %d lines", len(p.results), strings.Count(s, "\n")+1)
		}
		for _, r := range p.results {
			if r.Status != Passed && r.Status != Failed && r.Status != Skipped {
				t.Errorf("result status %q", r.Status)
			}
			if r.Elapsed < 0 {
				t.Errorf("negative elapsed %v", r.Elapsed)
			}
		}
		summarize(p.results)
		testOutput([]byte(s))
	})
}
