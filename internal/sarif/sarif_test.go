package sarif

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/sarif/sariftest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestURI(t *testing.T) {
	root := filepath.FromSlash("/repo")
	tests := []struct {
		name, root, give, want string
	}{
		{"relative", "", "a/b.go", "a/b.go"},
		{"dot prefix", "", "./a/b.go", "a/b.go"},
		{"under root", root, filepath.Join(root, "x", "y z.go"), "x/y%20z.go"},
		{"outside root kept", root, filepath.FromSlash("/other/f.go"), "/other/f.go"},
		{"percent", "", "100%.txt", "100%25.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := URI(tt.root, tt.give); got != tt.want {
				t.Errorf("URI(%q, %q) = %q, want %q", tt.root, tt.give, got, tt.want)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	b := New("soakkit", "1.0.0", "https://example.invalid/soakkit", "")
	b.AddRule(Rule{ID: "secrets/github-pat", Short: "GitHub token", Level: LevelError, Tags: []string{"security"}, SecuritySev: "8.0"})
	b.Add(Result{RuleID: "secrets/github-pat", Message: "GitHub token ghp_****", Path: "z/b.go", Line: 3, Col: 7,
		Fingerprints: map[string]string{"soakkitFingerprint/v1": "abc"}})
	b.Add(Result{RuleID: "lint/unregistered", Level: LevelNote, Message: "a note", Path: "a.py", Line: 1, Col: 1})
	b.Add(Result{RuleID: "secrets/github-pat", Message: "no location"})
	b.AddError("bad.bin", "permission denied")
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "log.sarif")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(buf.Bytes()); err != nil {
		t.Errorf("output is not valid SARIF 2.1.0: %v", err)
	}
	var g, w any
	if err := json.Unmarshal(buf.Bytes(), &g); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	json.Unmarshal(want, &w)
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("SARIF mismatch (-want +got):\n%s", diff)
	}
}

func TestEmptyLogHasEmptyResults(t *testing.T) {
	var buf bytes.Buffer
	New("t", "", "", "").Write(&buf)
	if err := sariftest.Validate(buf.Bytes()); err != nil {
		t.Errorf("empty log is not valid SARIF 2.1.0: %v", err)
	}
	var l struct {
		Runs []struct {
			Results     []any `json:"results"`
			Invocations []struct {
				OK bool `json:"executionSuccessful"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &l); err != nil {
		t.Fatal(err)
	}
	if l.Runs[0].Results == nil || len(l.Runs[0].Results) != 0 || !l.Runs[0].Invocations[0].OK {
		t.Errorf("empty log = %s; want results [] and a successful invocation", buf.String())
	}
}
