package secrets

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// ctxKey is what the diff-context tests compare of a finding: the
// commit (by its position in the row's versions, from 1), line and
// number of commits carrying it.
type ctxKey struct {
	Rule            string
	Commit          int
	Line, Commits   int
	NotSuppressedOK bool
}

// TestScanHistoryDiffContext checks that a commit changing only a line
// that holds no key (a YAML block scalar's value, an XML element's text, a
// PEM key's body) is seen with the unchanged lines around it, and that a
// secret on unchanged lines is not the commit's: scanning only the last
// commit, which edits a line next to a secret, finds nothing.
func TestScanHistoryDiffContext(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	pw1, pw2 := gen.Str(r, alnum, 16), gen.Str(r, alnum, 16)
	key1, key2 := gen.Str(r, alnum, 32), gen.Str(r, alnum, 32)
	pem1, pem2 := gen.PEM(r, "EC", 8), gen.PEM(r, "EC", 8)
	yaml := func(key, v, port string) string {
		return "db:\n  user: app\n  " + key + ": |\n    " + v + "\n  port: " + port + "\n"
	}
	xml := func(tag, v, port string) string {
		return "<config>\n  <" + tag + ">\n    " + v + "\n  </" + tag + ">\n  <port>" + port + "</port>\n</config>\n"
	}
	cfg, err := ParseConfig("c.toml", []byte(`[[rules]]
id = "api-key-element"
regex = '''<apiKey>\s*([A-Za-z0-9]{32})\s*</apiKey>'''
keywords = ["apikey"]
`))
	if err != nil {
		t.Fatal(err)
	}
	var withCfg Scanner
	cfg.Apply(&withCfg)

	tests := []struct {
		name     string
		file     string
		s        *Scanner // nil: built-in rules
		versions []string // the file's content at each commit
		want     []ctxKey // whole history
		wantLast []ctxKey // the last commit alone (Range HEAD~1..HEAD)
	}{
		{
			name: "yaml block scalar", file: "db.yaml",
			versions: []string{yaml("password", pw1, "5432"), yaml("password", pw2, "5432"), yaml("password", pw2, "5433")},
			want:     []ctxKey{{"generic-password", 1, 4, 1, true}, {"generic-password", 2, 4, 2, true}},
		},
		{
			name: "xml element", file: "app.config",
			versions: []string{xml("password", pw1, "1"), xml("password", pw2, "1"), xml("password", pw2, "2")},
			want:     []ctxKey{{"generic-password", 1, 3, 1, true}, {"generic-password", 2, 3, 2, true}},
		},
		{
			name: "configured multi-line regex", file: "app.xml", s: &withCfg,
			versions: []string{xml("apiKey", key1, "1"), xml("apiKey", key2, "1"), xml("apiKey", key2, "2")},
			want:     []ctxKey{{"api-key-element", 1, 3, 1, true}, {"api-key-element", 2, 3, 2, true}},
		},
		{
			name: "pem body replaced", file: "tls/key.pem",
			versions: []string{pem1 + "\n# server key\n", pem2 + "\n# server key\n", pem2 + "\n# server key, rotated\n"},
			want:     []ctxKey{{"private-key", 1, 1, 1, true}, {"private-key", 2, 1, 2, true}},
		},
		{
			name: "key renamed into reach", file: "db.yaml",
			versions: []string{yaml("notes", pw1, "5432"), yaml("password", pw1, "5432")},
			want:     []ctxKey{{"generic-password", 2, 4, 1, true}},
			wantLast: []ctxKey{{"generic-password", 2, 4, 1, true}},
		},
		{
			name: "secret kept, key line and value untouched", file: "db.yaml",
			versions: []string{yaml("password", pw1, "5432"), yaml("password", pw1, "5433"), yaml("password", pw1, "5434")},
			want:     []ctxKey{{"generic-password", 1, 4, 3, true}},
		},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			repo := newHistRepo(t)
			ids := map[string]int{}
			var order []string
			for i, v := range tt.versions {
				id := repo.commit("Alice", "v", map[string]string{tt.file: v, "other.txt": strings.Repeat("x\n", i+1)})
				ids[id] = i + 1
				order = append(order, id)
			}
			keys := func(rep *Report) []ctxKey {
				var out []ctxKey
				for _, f := range rep.Findings {
					if f.File == tt.file {
						out = append(out, ctxKey{f.RuleID, ids[f.Commit], f.Line, f.Commits, f.Suppressed == NotSuppressed})
					}
				}
				slices.SortFunc(out, func(a, b ctxKey) int { return a.Commit - b.Commit })
				return out
			}
			if diff := cmp.Diff(tt.want, keys(repo.scan(tt.s, History{}))); diff != "" {
				t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantLast, keys(repo.scan(tt.s, History{Range: "HEAD~1..HEAD"}))); diff != "" {
				t.Errorf("ScanHistory(last commit) findings mismatch (-want +got):\n%s", diff)
			}
			// A pull-request diff sees the same: the second commit's diff
			// its findings, the last commit's its own.
			s := tt.s
			if s == nil {
				s = &Scanner{}
			}
			for _, c := range []struct {
				rng  string
				want []ctxKey
			}{
				{order[0] + ".." + order[1], slices.DeleteFunc(slices.Clone(tt.want), func(k ctxKey) bool { return k.Commit != 2 })},
				{"HEAD~1..HEAD", tt.wantLast},
			} {
				grep, err := s.ScanGit(t.Context(), repo.dir, c.rng)
				if err != nil {
					t.Fatal(err)
				}
				var got, want []string
				for _, f := range grep.Findings {
					got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.RuleID))
				}
				for _, k := range c.want {
					want = append(want, fmt.Sprintf("%s:%d %s", tt.file, k.Line, k.Rule))
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("ScanGit(%s) findings mismatch (-want +got):\n%s", c.rng, diff)
				}
			}
		})
	}
}

// TestScanHistoryLongHunk checks a hunk longer than one scan (maxFragment):
// a YAML value on the first line after the cut is seen with its key, and a
// secret on the lines carried over as context is counted once (commit 2
// removes it, so only commit 1 carries it).
func TestScanHistoryLongHunk(t *testing.T) {
	ghp, _, _ := fixedSecrets()
	pw := gen.Str(rand.New(rand.NewPCG(8, 8)), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16)
	const lineLen = 64
	cut := maxFragment / lineLen // the last line of the first scan
	lines := make([]string, cut+200)
	for i := range lines {
		s := "filler " + strings.Repeat("z", lineLen)
		lines[i] = s[:lineLen-1]
	}
	lines[cut-3] = ("token: " + ghp + strings.Repeat(" ", lineLen))[:lineLen-1]
	lines[cut-1] = ("password: | # " + strings.Repeat("c", lineLen))[:lineLen-1]
	lines[cut] = ("  " + pw + strings.Repeat(" ", lineLen))[:lineLen-1]
	body := strings.Join(lines, "\n") + "\n"
	repo := newHistRepo(t)
	first := repo.commit("Alice", "big", map[string]string{"big.yaml": body})
	lines[cut-3] = strings.Repeat("y", lineLen-1)
	repo.commit("Bob", "drop token", map[string]string{"big.yaml": strings.Join(lines, "\n") + "\n"})

	rep := repo.scan(nil, History{})
	got := histKeys(rep)
	want := []histKey{
		{Rule: "github-pat", File: "big.yaml", Commit: first, Author: "Alice", Line: cut - 2, Commits: 1},
		{Rule: "generic-password", File: "big.yaml", Commit: first, Author: "Alice", Line: cut + 1, Commits: 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
	}
}

func TestDiffSideCarry(t *testing.T) {
	tests := []struct {
		name     string
		lines    []string
		changed  []bool
		wantText string
		wantFrom int
	}{
		{"short lines", []string{"a", "b", "c", "d", "e", "f", "g"}, []bool{true, true, false, true, true, true, true}, "c\nd\ne\nf\ng\n", 12},
		{"fewer lines", []string{"a", "b"}, []bool{true, true}, "a\nb\n", 10},
		{"long last line", []string{"a", strings.Repeat("x", maxReach+1)}, []bool{true, true}, "", 12},
		{"bytes bound", []string{"a", strings.Repeat("x", maxReach/2), strings.Repeat("y", maxReach/2)}, []bool{true, true, true}, strings.Repeat("y", maxReach/2) + "\n", 12},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			var d diffSide
			d.reset(10)
			for i, l := range tt.lines {
				d.add([]byte(l), tt.changed[i])
			}
			d.carry()
			if string(d.b) != tt.wantText || d.nChange != 0 || slices.Contains(d.changed, true) {
				t.Errorf("carry() kept %q (%d changed), want %q and none changed", d.b, d.nChange, tt.wantText)
			}
			if d.first != tt.wantFrom {
				t.Errorf("carry() first = %d, want %d", d.first, tt.wantFrom)
			}
			for i, s := range d.starts {
				if i > 0 && d.b[s-1] != '\n' || s >= len(d.b) {
					t.Errorf("carry() starts[%d] = %d is not a line start in %q", i, s, d.b)
				}
			}
		})
	}
}

// TestScanHistoryFiles checks what Report.Files counts in a history scan:
// every file diff of a scanned commit but deletions and excluded paths,
// binary ones included.
func TestScanHistoryFiles(t *testing.T) {
	r := fastRepo(t, []fastCommit{
		{write: map[string][]byte{"a.txt": []byte("a\n"), "img.bin": []byte("\x00\x01PNG")}}, // 2
		{write: map[string][]byte{"img.bin": []byte("\x00\x02PNG"), "empty.txt": nil}},       // 2
		{exec: []string{"a.txt"}}, // 1: mode change
		{del: []string{"empty.txt"}, write: map[string][]byte{"skip/x.txt": []byte("x\n")}}, // 0: deletion, excluded
	})
	tests := []struct {
		name string
		h    History
		want int
	}{
		{"all commits", History{}, 5},
		{"last two", History{Range: "HEAD~2..HEAD"}, 1},
		{"first", History{Range: "HEAD~3"}, 2},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			rep := r.scan(&Scanner{Exclude: []string{"skip/**"}}, tt.h)
			if rep.Files != tt.want {
				t.Errorf("ScanHistory(%+v).Files = %d, want %d", tt.h, rep.Files, tt.want)
			}
		})
	}
}

// TestDiffBlankContextConfig checks that a user's diff.suppressBlankEmpty,
// which prints an empty context line as an empty line, does not end a hunk
// early: the secret added after one is found.
func TestDiffBlankContextConfig(t *testing.T) {
	ghp, _, _ := fixedSecrets()
	r := newHistRepo(t)
	r.git("config", "diff.suppressBlankEmpty", "true")
	r.commit("Alice", "base", map[string]string{"a.env": "x=1\n\ny=2\n"})
	leak := r.commit("Bob", "token", map[string]string{"a.env": "x=1\n\ny=2\nTOKEN=" + ghp + "\n"})
	want := []histKey{{Rule: "github-pat", File: "a.env", Commit: leak, Author: "Bob", Line: 4, Commits: 1}}
	if diff := cmp.Diff(want, histKeys(r.scan(nil, History{}))); diff != "" {
		t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
	}
	rep, err := (&Scanner{}).ScanGit(t.Context(), r.dir, "HEAD~1..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Line != 4 {
		t.Errorf("ScanGit findings = %v, want one on line 4", rep.Findings)
	}
}
