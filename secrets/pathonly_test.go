package secrets

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A fastCommit is one commit of a history built with git fast-import:
// files to write (nil content: an empty file), files to delete, and files
// whose mode becomes executable.
type fastCommit struct {
	write map[string][]byte
	del   []string
	exec  []string
}

// fastRepo builds a history of commits on main with git fast-import; the
// author of commit n (from 1) is "C<n>". It returns the repository.
func fastRepo(t *testing.T, commits []fastCommit) *histRepo {
	t.Helper()
	r := newHistRepo(t)
	var in bytes.Buffer
	content := map[string][]byte{}
	for i, c := range commits {
		n := i + 1
		fmt.Fprintf(&in, "commit refs/heads/main\nmark :%d\nauthor C%d <c%d@example.test> %d +0000\ncommitter T <t@example.test> %d +0000\ndata 2\nc\n",
			n, n, n, 1_700_000_000+n, 1_700_000_000+n)
		if n > 1 {
			fmt.Fprintf(&in, "from :%d\n", n-1)
		}
		for _, p := range c.del {
			fmt.Fprintf(&in, "D %s\n", p)
		}
		for p, b := range c.write {
			content[p] = b
			fmt.Fprintf(&in, "M 100644 inline %s\ndata %d\n%s\n", p, len(b), b)
		}
		for _, p := range c.exec {
			fmt.Fprintf(&in, "M 100755 inline %s\ndata %d\n%s\n", p, len(content[p]), content[p])
		}
	}
	imp := exec.Command("git", "-C", r.dir, "fast-import", "--quiet")
	imp.Stdin = &in
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("git fast-import: %v\n%s", err, out)
	}
	return r
}

// TestScanHistoryPathOnlyCommits checks that a path-only finding counts
// every commit whose tree holds the file, whatever git prints for its
// diffs: binary files and empty files have no "---"/"+++" lines, and a
// mode change no hunk at all.
func TestScanHistoryPathOnlyCommits(t *testing.T) {
	const total = 140
	pkcs := []byte("\x30\x82\x0a\x3f\x02\x01\x03\x30\x82\x0a\x05\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01\xa0\x00")
	commits := make([]fastCommit, total)
	for i := range commits {
		commits[i].write = map[string][]byte{"main.go": fmt.Appendf(nil, "package main\n\n// rev %d\n", i+1)}
	}
	at := func(n int) *fastCommit { return &commits[n-1] }
	at(1).write["certs/root.p12"] = pkcs                          // binary, in the root commit
	at(50).write["certs/root.p12"] = append(bytes.Clone(pkcs), 1) // binary change
	at(5).write["certs/mode.p12"] = pkcs                          // binary
	at(60).exec = []string{"certs/mode.p12"}                      // mode change only
	at(10).write["certs/empty.pfx"] = []byte{}                    // empty file
	at(30).del = []string{"certs/empty.pfx"}                      // gone after 20 commits
	at(100).write["keys/late.p12"] = []byte{}                     // empty, then text
	at(120).write["keys/late.p12"] = []byte("-----BEGIN PKCS12-----\n")
	at(70).write["keys/text.p12"] = []byte("placeholder\n")         // text file
	at(90).write["keys/text.p12"] = []byte("placeholder, edited\n") // text change
	r := fastRepo(t, commits)

	cfg, err := ParseConfig("c.toml", []byte("[[rules]]\nid = \"pkcs12-file\"\npath = '''(?i)(?:^|/)[^/]+\\.p(?:12|fx)$'''\n"))
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		File, Author string
		Commits      int
	}
	want := []key{
		{"certs/empty.pfx", "C10", 20},
		{"certs/mode.p12", "C5", total - 4},
		{"certs/root.p12", "C1", total},
		{"keys/late.p12", "C100", total - 99},
		{"keys/text.p12", "C70", total - 69},
	}
	for _, workers := range []int{1, 3} {
		var s Scanner
		cfg.Apply(&s)
		rep := r.scan(&s, History{Workers: workers})
		var got []key
		for _, f := range rep.Findings {
			got = append(got, key{f.File, f.Author, f.Commits})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ScanHistory(Workers: %d) path-only findings mismatch (-want +got):\n%s", workers, diff)
		}
		if rep.Commits != total {
			t.Errorf("ScanHistory(Workers: %d).Commits = %d, want %d", workers, rep.Commits, total)
		}
	}
}

// TestScanStagedPathOnly checks that the path-only rules see every file a
// diff adds, including the binary and empty ones git prints no "+++" line
// for.
func TestScanStagedPathOnly(t *testing.T) {
	r := newHistRepo(t)
	r.commit("Alice", "base", map[string]string{"main.go": "package main\n"})
	writeFiles(t, r.dir, map[string]string{
		"certs/bin.p12":   "\x30\x82\x0a\x3f\x00\x01binary",
		"certs/text.pfx":  "placeholder\n",
		"certs/other.crt": "\x30\x82\x00",
	})
	if err := os.WriteFile(filepath.Join(r.dir, "certs", "empty.p12"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r.git("add", "-A")
	cfg, err := ParseConfig("c.toml", []byte("[[rules]]\nid = \"pkcs12-file\"\npath = '''(?i)(?:^|/)[^/]+\\.p(?:12|fx)$'''\n"))
	if err != nil {
		t.Fatal(err)
	}
	var s Scanner
	cfg.Apply(&s)
	rep, err := s.ScanStaged(t.Context(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.RuleID+" "+f.File)
	}
	want := []string{"pkcs12-file certs/bin.p12", "pkcs12-file certs/empty.p12", "pkcs12-file certs/text.pfx"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ScanStaged path-only findings mismatch (-want +got):\n%s", diff)
	}
}

// TestBuiltinPKCS12Rule checks the built-in path-only rule: a PKCS#12 file
// is a finding by its name alone, binary or empty, and only its name.
func TestBuiltinPKCS12Rule(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"certs/server.p12", true},
		{"KEYSTORE.PFX", true},
		{"deep/dir/client.P12", true},
		{"certs/server.p12.bak", false},
		{"certs/p12", false},
		{"store.p12/readme.txt", false},
		{"server.p7b", false},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{tt.give: "\x30\x82\x0a\x3f\x00binary"})
		rep, err := (&Scanner{Root: dir}).Scan(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		got := len(rep.Findings) == 1 && rep.Findings[0].RuleID == "pkcs12-file" && rep.Findings[0].File == tt.give
		if got != tt.want || len(rep.Findings) > 1 {
			t.Errorf("Scan(%q) findings = %v, want a pkcs12-file finding: %v", tt.give, rep.Findings, tt.want)
		}
	}
}
