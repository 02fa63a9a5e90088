package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/sarif/sariftest"
)

// histRepo is a git repository built by a test. Every git command runs
// with the user's and the system's configuration switched off, a fixed
// identity and dates, and signing disabled, so no local setting changes
// what the test builds or what ScanHistory reads.
type histRepo struct {
	t    *testing.T
	dir  string
	tick int
}

func newHistRepo(t *testing.T) *histRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	// ScanHistory's own git processes inherit these too.
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	r := &histRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

// git runs git in the repository as author "name <email>" (default
// "Tester <tester@example.test>") and returns its trimmed output.
func (r *histRepo) gitAs(name, email string, args ...string) string {
	r.t.Helper()
	r.tick++
	date := fmt.Sprintf("2024-01-01T00:%02d:%02dZ", r.tick/60, r.tick%60)
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=" + name, "-c", "user.email=" + email,
		"-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *histRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitAs("Tester", "tester@example.test", args...)
}

// commit writes files ("" deletes one), commits them all and returns the
// new commit's id.
func (r *histRepo) commit(author, msg string, files map[string]string) string {
	r.t.Helper()
	for name, body := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if body == "" {
			if err := os.Remove(p); err != nil {
				r.t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git("add", "-A")
	r.gitAs(author, strings.ToLower(author)+"@example.test", "commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func (r *histRepo) scan(s *Scanner, h History) *Report {
	r.t.Helper()
	if s == nil {
		s = &Scanner{}
	}
	rep, err := s.ScanHistory(r.t.Context(), r.dir, h)
	if err != nil {
		r.t.Fatalf("ScanHistory(%+v): %v", h, err)
	}
	return rep
}

// histKey is what the history tests compare of a finding.
type histKey struct {
	Rule, File, Commit, Author string
	Line, Commits              int
	Suppressed                 Suppression
}

func histKeys(rep *Report) []histKey {
	var out []histKey
	for _, f := range rep.Findings {
		out = append(out, histKey{f.RuleID, f.File, f.Commit, f.Author, f.Line, f.Commits, f.Suppressed})
	}
	return out
}

func TestScanHistoryAddedThenRemoved(t *testing.T) {
	ghp, _, _ := fixedSecrets()
	r := newHistRepo(t)
	r.commit("Bob", "base", map[string]string{"app.go": "package app\n"})
	leak := r.commit("Alice", "add config", map[string]string{"config.env": "# settings\nGITHUB_TOKEN=" + ghp + "\n"})
	r.commit("Bob", "remove token", map[string]string{"config.env": "# settings\n"})

	// The work tree is clean: only the history holds the secret.
	if dirRep, err := (&Scanner{}).Scan(t.Context(), r.dir); err != nil || len(dirRep.Findings) != 0 {
		t.Fatalf("Scan(work tree) = %v, %v; want no findings", dirRep.Findings, err)
	}
	rep := r.scan(nil, History{})
	want := []histKey{{Rule: "github-pat", File: "config.env", Commit: leak, Author: "Alice", Line: 2, Commits: 1}}
	if diff := cmp.Diff(want, histKeys(rep)); diff != "" {
		t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
	}
	if rep.Commits != 3 || rep.ExitCode() != ExitFindings {
		t.Errorf("Commits = %d, ExitCode = %d; want 3, %d", rep.Commits, rep.ExitCode(), ExitFindings)
	}
	f := rep.Findings[0]
	if f.Email != "alice@example.test" || !strings.HasPrefix(f.Date, "2024-01-01T00:00:") {
		t.Errorf("Email, Date = %q, %q; want alice@example.test, 2024-01-01T00:00:…", f.Email, f.Date)
	}
	if f.Fingerprint != Fingerprint("github-pat", ghp, "config.env") {
		t.Errorf("Fingerprint = %s, not the directory scan's fingerprint of the same secret", f.Fingerprint)
	}
	if strings.Contains(f.String(), ghp) || !strings.Contains(f.String(), leak[:12]) {
		t.Errorf("String() = %q: want the short commit and no secret", f.String())
	}
}

func TestScanHistoryCountsCommitsCarryingSecret(t *testing.T) {
	ghp, stripe, _ := fixedSecrets()
	r := newHistRepo(t)
	body := func(n int, comment string) string {
		var b strings.Builder
		b.WriteString("TOKEN=" + ghp + " " + comment + "\n")
		for i := range n {
			fmt.Fprintf(&b, "line%d=%d\n", i, i)
		}
		return b.String()
	}
	intro := r.commit("Alice", "add", map[string]string{"settings.ini": body(0, "# v1")})
	for i := 1; i < 20; i++ {
		comment := "# v1"
		if i >= 10 {
			comment = "# v2" // commit 10 rewrites the secret's own line; it stays
		}
		files := map[string]string{"settings.ini": body(i, comment)}
		if i == 15 {
			files["other.txt"] = "unrelated " + stripe[:5] + "\n"
		}
		r.commit("Bob", fmt.Sprintf("edit %d", i), files)
	}
	r.commit("Carol", "drop token", map[string]string{"settings.ini": "line0=0\n"})
	r.commit("Carol", "more", map[string]string{"other.txt": "more\n"})

	rep := r.scan(nil, History{})
	want := []histKey{{Rule: "github-pat", File: "settings.ini", Commit: intro, Author: "Alice", Line: 1, Commits: 20}}
	if diff := cmp.Diff(want, histKeys(rep)); diff != "" {
		t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
	}
}

func TestScanHistoryDeletedFileEndsSecret(t *testing.T) {
	ghp, _, _ := fixedSecrets()
	r := newHistRepo(t)
	intro := r.commit("Alice", "add", map[string]string{"a/creds.txt": "token: " + ghp + "\n"})
	r.commit("Bob", "x", map[string]string{"b.txt": "b\n"})
	r.commit("Bob", "rm", map[string]string{"a/creds.txt": ""})
	r.commit("Bob", "y", map[string]string{"b.txt": "c\n"})
	rep := r.scan(nil, History{})
	want := []histKey{{Rule: "github-pat", File: "a/creds.txt", Commit: intro, Author: "Alice", Line: 1, Commits: 2}}
	if diff := cmp.Diff(want, histKeys(rep)); diff != "" {
		t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
	}
}

func TestScanHistoryGitleaksIgnore(t *testing.T) {
	ghp, _, _ := fixedSecrets()
	r := newHistRepo(t)
	leak := r.commit("Alice", "add", map[string]string{"config.env": "GITHUB_TOKEN=" + ghp + "\n"})
	r.commit("Bob", "remove", map[string]string{"config.env": "\n"})
	// The same secret added again later is a second occurrence of one finding.
	again := r.commit("Carol", "re-add", map[string]string{"config.env": "\nGITHUB_TOKEN=" + ghp + "\n"})

	tests := []struct {
		name   string
		ignore string
		want   []histKey
	}{
		{"none", "", []histKey{{"github-pat", "config.env", leak, "Alice", 1, 2, NotSuppressed}}},
		{"first commit only", leak + ":config.env:github-pat:1\n",
			[]histKey{{"github-pat", "config.env", again, "Carol", 2, 2, NotSuppressed}}},
		{"both commits", "# accepted\n" + leak + ":config.env:github-pat:1\n\n" + again + ":config.env:github-pat:2\n",
			[]histKey{{"github-pat", "config.env", leak, "Alice", 1, 2, Allowlisted}}},
		{"global form", "config.env:github-pat:1\nconfig.env:github-pat:2\n",
			[]histKey{{"github-pat", "config.env", leak, "Alice", 1, 2, Allowlisted}}},
		{"other rule", leak + ":config.env:generic-secret:1\n",
			[]histKey{{"github-pat", "config.env", leak, "Alice", 1, 2, NotSuppressed}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ig, err := ParseGitleaksIgnore(".gitleaksignore", []byte(tt.ignore))
			if err != nil {
				t.Fatal(err)
			}
			rep := r.scan(&Scanner{GitleaksIgnore: ig}, History{})
			if diff := cmp.Diff(tt.want, histKeys(rep)); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
			wantExit := ExitFindings
			if tt.want[0].Suppressed != NotSuppressed {
				wantExit = ExitClean
			}
			if got := rep.ExitCode(); got != wantExit {
				t.Errorf("ExitCode() = %d, want %d", got, wantExit)
			}
		})
	}
	// The fingerprint a finding reports is the one that suppresses it.
	rep := r.scan(nil, History{})
	if got, want := rep.Findings[0].GitleaksFingerprint(), leak+":config.env:github-pat:1"; got != want {
		t.Errorf("GitleaksFingerprint() = %q, want %q", got, want)
	}
}

func TestScanHistoryMerges(t *testing.T) {
	ghp, stripe, _ := fixedSecrets()
	r := newHistRepo(t)
	r.commit("Bob", "base", map[string]string{"main.txt": "a\n"})
	r.git("checkout", "-q", "-b", "topic")
	leak := r.commit("Alice", "topic adds token", map[string]string{"topic.env": "TOKEN=" + ghp + "\n"})
	r.git("checkout", "-q", "main")
	r.commit("Bob", "main moves on", map[string]string{"main.txt": "b\n"})
	r.git("merge", "-q", "--no-ff", "--no-edit", "topic")
	merge := r.git("rev-parse", "HEAD")
	// An "evil" merge: content that only the merge commit adds.
	r.git("checkout", "-q", "-b", "topic2", "HEAD~1")
	r.commit("Alice", "topic2", map[string]string{"t2.txt": "x\n"})
	r.git("checkout", "-q", "main")
	r.git("merge", "-q", "--no-ff", "--no-commit", "topic2")
	if err := os.WriteFile(filepath.Join(r.dir, "evil.env"), []byte("STRIPE="+stripe+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.git("add", "evil.env")
	r.gitAs("Mallory", "mallory@example.test", "commit", "-q", "--no-edit")
	evil := r.git("rev-parse", "HEAD")

	topicFinding := histKey{Rule: "github-pat", File: "topic.env", Commit: leak, Author: "Alice", Line: 1, Commits: 3}
	tests := []struct {
		merges Merges
		want   []histKey
	}{
		{"", []histKey{topicFinding}},
		{MergesSkip, []histKey{topicFinding}},
		{MergesFirstParent, []histKey{
			{Rule: "stripe-secret-key", File: "evil.env", Commit: evil, Author: "Mallory", Line: 1, Commits: 1},
			topicFinding,
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.merges), func(t *testing.T) {
			rep := r.scan(nil, History{Merges: tt.merges})
			if diff := cmp.Diff(tt.want, histKeys(rep)); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
			if rep.Commits != 6 {
				t.Errorf("Commits = %d, want 6", rep.Commits)
			}
		})
	}
	// The merge's first-parent diff re-adds the topic's token, yet the
	// finding stays at the commit that introduced it.
	rep := r.scan(nil, History{Merges: MergesFirstParent, Range: merge})
	if len(rep.Findings) != 1 || rep.Findings[0].Commit != leak {
		t.Errorf("Range %s: findings %v, want one at %s", merge[:7], rep.Findings, leak[:7])
	}
}

func TestScanHistoryRangeAllAndBinary(t *testing.T) {
	ghp, stripe, _ := fixedSecrets()
	r := newHistRepo(t)
	r.commit("Alice", "old", map[string]string{"old.env": "TOKEN=" + ghp + "\n"})
	r.git("tag", "base")
	prc := r.commit("Bob", "pr", map[string]string{"new.env": "STRIPE=" + stripe + "\n", "logo.bin": "\x00\x01binary"})
	r.git("checkout", "-q", "-b", "side", "base")
	side := r.commit("Carol", "side", map[string]string{"side.env": "K=" + ghp + "\n"})
	r.git("checkout", "-q", "main")

	tests := []struct {
		name string
		h    History
		want []string // commit of each finding, by file
	}{
		{"head", History{}, []string{"new.env@" + prc, "old.env@"}},
		{"range", History{Range: "base..main"}, []string{"new.env@" + prc}},
		{"two revisions", History{Range: "^base main"}, []string{"new.env@" + prc}},
		{"all", History{All: true}, []string{"new.env@" + prc, "old.env@", "side.env@" + side}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := r.scan(nil, tt.h)
			var got []string
			for _, f := range rep.Findings {
				c := f.Commit
				if f.File == "old.env" {
					c = ""
				}
				got = append(got, f.File+"@"+c)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"logo.bin"}, rep.Binary); diff != "" {
				t.Errorf("Binary mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanHistoryWorkersAgree(t *testing.T) {
	ghp, stripe, _ := fixedSecrets()
	r := newHistRepo(t)
	// More commits than one batch, so several git processes share them.
	for i := range 3*histBatch + 5 {
		files := map[string]string{fmt.Sprintf("f%d.txt", i%7): fmt.Sprintf("rev %d\n", i)}
		switch i {
		case 10:
			files["a.env"] = "A=" + ghp + "\n"
		case 100:
			files["b.env"] = "B=" + stripe + "\n"
		case 150:
			files["a.env"] = ""
		}
		r.commit("Bot", fmt.Sprint(i), files)
	}
	one := histKeys(r.scan(nil, History{Workers: 1}))
	many := histKeys(r.scan(nil, History{Workers: 4}))
	if len(one) != 2 || one[0].Commits != 140 || one[1].Commits != 3*histBatch+5-100 {
		t.Errorf("Workers 1: %+v; want a.env in 140 commits, b.env in %d", one, 3*histBatch+5-100)
	}
	if diff := cmp.Diff(one, many); diff != "" {
		t.Errorf("Workers 1 vs 4 mismatch (-1 +4):\n%s", diff)
	}
}

func TestScanHistoryErrors(t *testing.T) {
	r := newHistRepo(t)
	r.commit("Alice", "one", map[string]string{"a.txt": "a\n"})
	tests := []struct {
		name string
		h    History
	}{
		{"option as range", History{Range: "--output=/tmp/x"}},
		{"unknown revision", History{Range: "nosuchref..HEAD"}},
		{"all and range", History{All: true, Range: "HEAD"}},
		{"bad merge mode", History{Merges: "octopus"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rep, err := (&Scanner{}).ScanHistory(t.Context(), r.dir, tt.h); err == nil {
				t.Errorf("ScanHistory(%+v) = %v, nil; want an error", tt.h, rep.Summary())
			}
		})
	}
	if _, err := (&Scanner{}).ScanHistory(t.Context(), t.TempDir(), History{}); err == nil {
		t.Errorf("ScanHistory(not a repository) succeeded")
	}
	ctx, cancel := context.WithCancelCause(t.Context())
	stop := errors.New("stop")
	cancel(stop)
	if _, err := (&Scanner{}).ScanHistory(ctx, r.dir, History{}); !errors.Is(err, stop) {
		t.Errorf("ScanHistory(canceled) error = %v, want the cancellation cause", err)
	}
}

func TestParseGitleaksIgnore(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		want     GitleaksIgnore
		wantLine int // of the ConfigError; 0: no error
	}{
		{"forms", "# c\n\nabc123:dir/a:b.txt:github-pat:4\n  f.go:generic-secret:10  \n",
			GitleaksIgnore{"abc123:dir/a:b.txt:github-pat:4": true, "f.go:generic-secret:10": true}, 0},
		{"no line number", "f.go:generic-secret:ten\n", nil, 1},
		{"too few fields", "ok.go:r:1\nghp_notafingerprint\n", nil, 2},
		{"empty rule", "f.go::3\n", nil, 1},
		{"gitleaks rule id", "c1:a:b.env:aws-access-token:7\n",
			GitleaksIgnore{"c1:a:b.env:aws-access-token:7": true, "c1:a:b.env:aws-access-key-id:7": true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseGitleaksIgnore(".gitleaksignore", []byte(tt.give))
			var ce *ConfigError
			switch {
			case tt.wantLine == 0 && err != nil:
				t.Fatalf("ParseGitleaksIgnore: %v", err)
			case tt.wantLine != 0 && (!errors.As(err, &ce) || ce.Line != tt.wantLine):
				t.Fatalf("ParseGitleaksIgnore error = %v, want a ConfigError at line %d", err, tt.wantLine)
			case tt.wantLine != 0 && strings.Contains(err.Error(), "ghp_"):
				t.Errorf("error %q echoes the entry", err)
			}
			if diff := cmp.Diff(tt.want, got); tt.wantLine == 0 && diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	f := Finding{File: "f.go", RuleID: "generic-secret", Line: 10, Commit: "abc"}
	ig := GitleaksIgnore{"f.go:generic-secret:10": true}
	if !ig.Has(f) || ig.Has(Finding{File: "f.go", RuleID: "generic-secret", Line: 11}) {
		t.Errorf("Has: global entry does not match exactly its file, rule and line")
	}
}

func TestHistoryReportGolden(t *testing.T) {
	ghp, stripe, _ := fixedSecrets()
	r := newHistRepo(t)
	r.git("remote", "add", "origin", "https://ci:tok3n-in-url@example.test/org/repo.git") // soakkit:allow: fixture
	r.commit("Alice", "add", map[string]string{"config.env": "# settings\nGITHUB_TOKEN=" + ghp + "\n", "img.bin": "\x00PNG"})
	r.commit("Bob", "stripe", map[string]string{"pay/keys.go": "package pay\n\nconst key = \"" + stripe + "\"\n"})
	r.commit("Bob", "remove token", map[string]string{"config.env": "# settings\n"})
	rep := r.scan(nil, History{})
	rep.Duration = 0
	if rep.RepositoryURI != "https://example.test/org/repo.git" || len(rep.Revision) != 40 {
		t.Errorf("RepositoryURI, Revision = %q, %q; want the remote without credentials and HEAD's id", rep.RepositoryURI, rep.Revision)
	}
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := rep.Write(&buf, f); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			for _, sec := range []string{ghp, stripe, ghp[4:], stripe[8:], "tok3n"} {
				if bytes.Contains(got, []byte(sec)) {
					t.Errorf("%s output contains a secret", f)
				}
			}
			if f == FormatSARIF {
				if err := sariftest.Validate(got); err != nil {
					t.Errorf("SARIF output is not valid against the 2.1.0 schema: %v", err)
				}
			}
			path := filepath.Join("testdata", "history."+string(f))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if f == FormatJSON || f == FormatSARIF {
				var g, w any
				if err := json.Unmarshal(got, &g); err != nil {
					t.Fatalf("output is not JSON: %v", err)
				}
				json.Unmarshal(want, &w)
				if diff := cmp.Diff(w, g); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", f, diff)
				}
				return
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", f, diff)
			}
		})
	}
}

func TestRemoteURI(t *testing.T) {
	tests := []struct{ give, want string }{
		{"https://user:secret@github.com/o/r.git", "https://github.com/o/r.git"},
		{"https://github.com/o/r.git?token=x", "https://github.com/o/r.git"},
		{"git@github.com:o/r.git", "ssh://github.com/o/r.git"},
		{"ssh://git@host:2222/o/r", "ssh://host:2222/o/r"},
		{"/srv/git/r.git", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := remoteURI(tt.give); got != tt.want {
			t.Errorf("remoteURI(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestScanHistoryExclude(t *testing.T) {
	ghp, stripe, _ := fixedSecrets()
	r := newHistRepo(t)
	r.commit("Alice", "add", map[string]string{"vendor/x/keys.go": "K=" + ghp + "\n", "app.env": "S=" + stripe + "\n"})
	r.commit("Alice", "edit", map[string]string{"vendor/x/keys.go": "K=" + ghp + "\nmore\n"})
	rep := r.scan(&Scanner{Exclude: []string{"vendor/**"}}, History{})
	if len(rep.Findings) != 1 || rep.Findings[0].File != "app.env" || rep.Excluded != 2 {
		t.Errorf("findings %v, Excluded %d; want only app.env, 2 excluded file diffs", rep.Findings, rep.Excluded)
	}
}

// TestScanHistoryCanceledMidScan cancels the scan from inside a rule
// matcher, while git processes are running: ScanHistory returns the cause,
// and TestMain's leak check sees no goroutine left behind.
func TestScanHistoryCanceledMidScan(t *testing.T) {
	r := newHistRepo(t)
	for i := range 2*histBatch + 3 {
		r.commit("Bot", fmt.Sprint(i), map[string]string{fmt.Sprintf("f%d.txt", i%5): fmt.Sprintf("cancelme %d\n", i)})
	}
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	stop := errors.New("stop")
	rule := Rule{ID: "canceler", Keywords: []string{"cancelme"}, match: func(b []byte, i, j int) (span, bool) {
		cancel(stop)
		return span{}, false
	}}
	_, err := (&Scanner{Rules: []Rule{rule}}).ScanHistory(ctx, r.dir, History{Workers: 2})
	if !errors.Is(err, stop) {
		t.Errorf("ScanHistory error = %v, want the cancellation cause", err)
	}
}

func TestGitleaksRuleAliasesNameBuiltinRules(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range DefaultRules() {
		ids[r.ID] = true
	}
	for gl, ours := range gitleaksRules {
		for _, id := range ours {
			if !ids[id] {
				t.Errorf("gitleaks rule %s maps to %q, which is not a built-in rule", gl, id)
			}
		}
	}
}

// BenchmarkScanHistory scans a 400-commit history built with git
// fast-import: ten files edited a few lines at a time, a token planted in
// one commit. bench/secrets/history-compare.sh is the comparison with
// gitleaks on a real repository.
func BenchmarkScanHistory(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("no git")
	}
	b.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	b.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir := b.TempDir()
	if out, err := exec.Command("git", "-C", dir, "init", "-q", "-b", "main").CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	ghp, _, _ := fixedSecrets()
	var stream bytes.Buffer
	files := make([][]string, 10)
	for i := range files {
		for j := range 200 {
			files[i] = append(files[i], fmt.Sprintf("\tvalue%d := compute(%d, %q)", j, i*j, "request"))
		}
	}
	for c := 1; c <= 400; c++ {
		f := c % len(files)
		for k := range 8 {
			files[f][(c*7+k*13)%len(files[f])] = fmt.Sprintf("\tresult%d := handler(%d) // rev %d", k, c, c)
		}
		if c == 100 {
			files[f][5] = "\ttoken := \"" + ghp + "\""
		}
		fmt.Fprintf(&stream, "commit refs/heads/main\nmark :%d\ncommitter Bench <b@example.test> %d +0000\ndata 2\nc\n", c, 1_700_000_000+c)
		if c > 1 {
			fmt.Fprintf(&stream, "from :%d\n", c-1)
		}
		body := strings.Join(files[f], "\n") + "\n"
		fmt.Fprintf(&stream, "M 100644 inline f%d.go\ndata %d\n%s\n", f, len(body), body)
	}
	imp := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	imp.Stdin = &stream
	if out, err := imp.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
	b.ResetTimer()
	var rep *Report
	for b.Loop() {
		var err error
		if rep, err = (&Scanner{}).ScanHistory(b.Context(), dir, History{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if rep.Commits != 400 || len(rep.Findings) != 1 {
		b.Fatalf("scanned %d commits, %d findings; want 400 and 1", rep.Commits, len(rep.Findings))
	}
	b.ReportMetric(float64(rep.Commits)*float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
