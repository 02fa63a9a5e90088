package suppress

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseComment(t *testing.T) {
	tests := []struct {
		give      string
		rules     []string
		reason    string
		fileLevel bool
		ok        bool
	}{
		{"// lint-ok: metriclabels/not-allowed -- legacy dashboard", []string{"metriclabels/not-allowed"}, "legacy dashboard", false, true},
		{"# lint-ok: json-write", []string{"json-write"}, "", false, true},
		{"# test-ok: raw-json", []string{"raw-json"}, "", false, true},
		{"//lint-ok: a/b, c/* --why", []string{"a/b", "c/*"}, "why", false, true},
		{"// lint-ok-file: asciilogs -- generated", []string{"asciilogs"}, "generated", true, true},
		{`// write "lint-ok: x" to suppress`, nil, "", false, false},
		{"// not a directive", nil, "", false, false},
		{"// lint-ok:", nil, "", false, false},
		{"// xlint-ok: a", nil, "", false, false},
	}
	for _, tt := range tests {
		rules, reason, fileLevel, ok := ParseComment(tt.give)
		if diff := cmp.Diff(tt.rules, rules); diff != "" || reason != tt.reason || fileLevel != tt.fileLevel || ok != tt.ok {
			t.Errorf("ParseComment(%q) = %v, %q, %v, %v; want %v, %q, %v, %v", tt.give, rules, reason, fileLevel, ok, tt.rules, tt.reason, tt.fileLevel, tt.ok)
		}
	}
}

func TestMatchRule(t *testing.T) {
	tests := []struct {
		pattern, id string
		want        bool
	}{
		{"metriclabels/not-allowed", "metriclabels/not-allowed", true},
		{"metriclabels", "metriclabels/arity", true},
		{"metriclabels/*", "metriclabels/arity", true},
		{"not-allowed", "py-metriclabels/not-allowed", true},
		{"*", "anything/x", true},
		{"json-write", "atomicwrite/json-writefile", true},
		{"json-write", "py-jsonwrite/json-dump", true},
		{"raw-json", "py-jsonwrite/write-dumps", true},
		{"metric-label", "py-metriclabels/not-allowed", true},
		{"metric-label", "metriclabels/denied", false},
		{"ascii", "py-asciilogs/non-ascii", true},
		{"metriclabels/arity", "metriclabels/not-allowed", false},
		{"atomicwrite", "metriclabels/arity", false},
	}
	for _, tt := range tests {
		if got := MatchRule(tt.pattern, tt.id); got != tt.want {
			t.Errorf("MatchRule(%q, %q) = %v, want %v", tt.pattern, tt.id, got, tt.want)
		}
	}
}

func TestParseGoCoverage(t *testing.T) {
	src := `package p

var a = 1 // lint-ok: x/y -- trailing

// lint-ok: x/y -- next statement, all of it
var b = f(
	1,
	2)

func f(...int) int { return 0 }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	type cov struct{ Line, From, To int }
	var got []cov
	for _, d := range ParseGo(fset, f) {
		got = append(got, cov{d.Line, d.From, d.To})
	}
	want := []cov{{3, 3, 3}, {5, 6, 8}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseGo coverage mismatch (-want +got):\n%s", diff)
	}
	s := &Set{Dirs: ParseGo(fset, f)}
	if !s.Suppressed(7, "x/y") || s.Suppressed(7, "x/z") || s.Suppressed(9, "x/y") {
		t.Error("Suppressed does not follow the coverage")
	}
	if diff := cmp.Diff([]Key{{"p.go", 5, 1}}, s.Used()); diff != "" {
		t.Errorf("Used mismatch (-want +got):\n%s", diff)
	}
}

func FuzzParseComment(f *testing.F) {
	f.Add("// lint-ok: a/b, c -- why")
	f.Add("# test-ok: raw-json")
	f.Fuzz(func(t *testing.T, s string) {
		rules, _, _, ok := ParseComment(s)
		if ok && len(rules) == 0 {
			t.Fatalf("ParseComment(%q) ok without rules", s)
		}
		for _, r := range rules {
			if r == "" || strings.ContainsAny(r, " \t,") {
				t.Fatalf("ParseComment(%q): bad rule %q", s, r)
			}
		}
	})
}

func TestParseAll(t *testing.T) {
	got := ParseAll("// lint-ok: a/b -- first reason // lint-ok: c/d -- second")
	want := []Parsed{{Offset: 0, Rules: []string{"a/b"}, Reason: "first reason"}, {Offset: 35, Rules: []string{"c/d"}, Reason: "second"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseAll mismatch (-want +got):\n%s", diff)
	}
}
