package junit

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestWriteGolden(t *testing.T) {
	s := &Suites{Name: "soak", Suites: []Suite{{
		Name:      "iteration-1",
		Timestamp: "2026-11-26T22:00:00Z",
		Cases: []Case{
			{Name: "vet", Classname: "soak.iteration-1", Time: Seconds(1500 * time.Millisecond)},
			{Name: "tests", Classname: "soak.iteration-1", Time: Seconds(2 * time.Second),
				Failure: &Problem{Message: "exit status 1", Type: "failed", Text: "--- FAIL: TestX\x00 <bad> & \"odd\""}},
			{Name: "lint", Classname: "soak.iteration-1", Error: &Problem{Message: "missing binary"}},
			{Name: "dry", Classname: "soak.iteration-1", Skipped: &Skip{Message: "skip_if: no network"}},
		},
	}}}
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	if s.Tests != 4 || s.Failures != 1 || s.Errors != 1 || s.Skipped != 1 {
		t.Errorf("Tally: tests=%d failures=%d errors=%d skipped=%d, want 4 1 1 1", s.Tests, s.Failures, s.Errors, s.Skipped)
	}
	var back Suites
	if err := xml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, buf.String())
	}
	golden := filepath.Join("testdata", "report.xml")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("JUnit output differs from %s:\n%s", golden, buf.String())
	}
}
