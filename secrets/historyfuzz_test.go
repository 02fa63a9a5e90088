package secrets

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// newFileDiff returns git's diff of a new file f holding s.
func newFileDiff(f, s string) string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/%s b/%s\nnew file mode 100644\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n", f, f, f, len(lines))
	for _, l := range lines {
		b.WriteString("+" + strings.TrimSuffix(l, "\n") + "\n")
	}
	return b.String()
}

// fuzzKey is what FuzzParseDiff compares of a finding.
type fuzzKey struct {
	Rule, Secret string
	Line, Column int
}

func fuzzKeys(fs []Finding) []fuzzKey {
	var out []fuzzKey
	for _, f := range fs {
		out = append(out, fuzzKey{f.RuleID, f.Secret, f.Line, f.Column})
	}
	return out
}

// FuzzParseDiff feeds the diff parsers of git and history scans. Any
// input is a diff that must parse without a panic; and a file added whole
// must give the findings a scan of its content gives (a differential
// check of hunk assembly, line numbers and the changed-line filter).
func FuzzParseDiff(f *testing.F) {
	fuzzSeeds(f)
	f.Add("db:\n  password: |\n    Xq7vR2mLp9Kw4Ts8\n") // soakkit:allow: fixture
	f.Add("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a: |\n-  old\n+  Xq7vR2mLp9Kw4Ts8\n \\ No newline at end of file\n")
	f.Add("\x00c0ffee\x00A\x00a@x\x002024\ndiff --git a/y b/y\nBinary files a/y and b/y differ\n")
	f.Fuzz(func(t *testing.T, s string) {
		ctx := context.Background()
		c, err := (&Scanner{Root: "/r"}).compile()
		if err != nil {
			t.Fatal(err)
		}
		// Any input.
		if err := c.parseDiff(strings.NewReader(s), "/r"); err != nil {
			t.Fatalf("parseDiff: %v", err)
		}
		hc, _ := (&Scanner{Root: "/r"}).compile()
		hs := &histScan{c: hc, top: "/r", ctx: ctx, events: map[string][]histEvent{}, binary: map[string]bool{}}
		if err := (&patchParser{hs: hs, w: hc.newWorker()}).parse(strings.NewReader(s)); err != nil {
			t.Fatalf("patchParser.parse: %v", err)
		}

		// s as the content of a new file. ReadLine drops a '\r' before
		// '\n' and a scan skips binary input: leave both out.
		if s == "" || strings.ContainsAny(s, "\r\x00") || len(s) > 64<<10 {
			return
		}
		rep, err := (&Scanner{}).ScanReader(ctx, "f.txt", strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		c, _ = (&Scanner{Root: "/r"}).compile()
		if err := c.parseDiff(strings.NewReader(newFileDiff("f.txt", s)), "/r"); err != nil {
			t.Fatal(err)
		}
		got := c.finish(time.Now()).Findings
		if diff := cmp.Diff(fuzzKeys(rep.Findings), fuzzKeys(got)); diff != "" {
			t.Errorf("findings of a new file's diff differ from a scan of %q (-scan +diff):\n%s", s, diff)
		}
	})
}
