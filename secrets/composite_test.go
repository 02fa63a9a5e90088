package secrets

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// compositeScanner loads testdata/composite.toml.
func compositeScanner(t *testing.T) *Scanner {
	t.Helper()
	cfg, err := LoadConfig(filepath.Join("testdata", "composite.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var s Scanner
	cfg.Apply(&s)
	return &s
}

// ruleLine is what the composite tests compare of a finding.
type ruleLine struct {
	Rule string
	Line int
}

func ruleLines(fs []Finding) []ruleLine {
	var out []ruleLine
	for _, f := range fs {
		if f.Suppressed == NotSuppressed {
			out = append(out, ruleLine{f.RuleID, f.Line})
		}
	}
	return out
}

func TestCompositeRules(t *testing.T) {
	pad := strings.Repeat(" ", 40)
	tests := []struct {
		name string
		give string
		want []ruleLine
	}{
		{"fragment level", "user = \"admin\"\n\n\n\npin = \"4711x\"\n", []ruleLine{{"pin-rule", 5}}},
		{"required below", "pin = \"4711x\"\nx\nuser = \"admin\"\n", []ruleLine{{"pin-rule", 1}}},
		{"no required finding", "pin = \"4711x\"\n", nil},
		{"required only", "user = \"admin\"\n", nil},
		{"inline-allowed required", "user = \"admin\" # gitleaks:allow\npin = \"4711x\"\n", nil},
		{"within lines", "KID123456\n\nKSECabcdefgh\n", []ruleLine{{"key-id", 1}, {"key-secret", 3}}},
		{"within lines above", "KSECabcdefgh\nx\nKID123456\n", []ruleLine{{"key-secret", 1}, {"key-id", 3}}},
		{"too many lines", "KID123456\n\n\nKSECabcdefgh\n", []ruleLine{{"key-secret", 4}}},
		{"each primary alone", "KID111111\nKSECabcdefgh\nx\nx\nx\nKID222222\n", []ruleLine{{"key-id", 1}, {"key-secret", 2}}},
		{"rectangle", "host=alpha ticket=tk1234\nport=8080\n", []ruleLine{{"host-ticket", 1}}},
		{"port above", "port=8080\nhost=alpha ticket=tk1234\n", []ruleLine{{"host-ticket", 2}}},
		{"too many columns", "host=alpha" + pad + "ticket=tk1234\nport=8080\n", nil},
		{"host on another line", "host=alpha\nticket=tk1234\nport=8080\n", nil},
		{"allowlisted required", "host=alpha ticket=tk1234\nport=0\n", nil},
		{"one of two requirements", "host=alpha ticket=tk1234\n", nil},
	}
	s := compositeScanner(t)
	for _, tt := range tests {
		rep, err := s.ScanReader(t.Context(), "app.conf", strings.NewReader(tt.give))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, ruleLines(rep.Findings)); diff != "" {
			t.Errorf("%s: ScanReader(%q) findings mismatch (-want +got):\n%s", tt.name, tt.give, diff)
		}
	}
}

// TestCompositeFragments checks that a requirement is met only inside the
// composite finding's fragment: its file in a directory scan, the lines a
// commit adds in a history scan.
func TestCompositeFragments(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.conf": "user = \"admin\"\npin = \"4711x\"\n",
		"b.conf": "pin = \"4712x\"\n",
		"c.conf": "user = \"admin\"\n",
	})
	s := compositeScanner(t)
	s.Root = dir
	rep, err := s.Scan(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.File+" "+f.RuleID)
	}
	if diff := cmp.Diff([]string{"a.conf pin-rule"}, got); diff != "" {
		t.Errorf("Scan findings mismatch (-want +got):\n%s", diff)
	}

	// In git scans the fragment is the lines a commit adds to a file, in
	// all its hunks.
	r := newHistRepo(t)
	intro := r.commit("Alice", "both", map[string]string{"a.conf": "user = \"admin\"\npin = \"4711x\"\n"})
	r.commit("Bob", "pin only", map[string]string{"b.conf": "pin = \"4712x\"\n"})
	middle := strings.Repeat("keep\n", 10)
	r.commit("Carol", "base", map[string]string{"c.conf": "a\n" + middle + "b\n"})
	hunks := r.commit("Carol", "two hunks", map[string]string{"c.conf": "user = \"ops\"\n" + middle + "pin = \"4713x\"\n"})
	hrep := r.scan(compositeScanner(t), History{})
	want := []histKey{
		{Rule: "pin-rule", File: "a.conf", Commit: intro, Author: "Alice", Line: 2, Commits: 4},
		{Rule: "pin-rule", File: "c.conf", Commit: hunks, Author: "Carol", Line: 12, Commits: 1},
	}
	if diff := cmp.Diff(want, histKeys(hrep)); diff != "" {
		t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
	}
	grep, err := compositeScanner(t).ScanGit(t.Context(), r.dir, "HEAD~3..HEAD")
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, f := range grep.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.RuleID))
	}
	if diff := cmp.Diff([]string{"c.conf:12 pin-rule"}, got); diff != "" {
		t.Errorf("ScanGit findings mismatch (-want +got):\n%s", diff)
	}
}

// TestCompositeBuiltinAlias checks a requirement naming a gitleaks rule id
// that a built-in rule covers under another name.
func TestCompositeBuiltinAlias(t *testing.T) {
	cfg, err := ParseConfig("c.toml", []byte(`[extend]
useDefault = true
[[rules]]
id = "deploy-region"
regex = '''region\s*=\s*"(eu-[a-z]+-[0-9])"'''
[[rules.required]]
id = "aws-access-token"
withinLines = 3
`))
	if err != nil {
		t.Fatal(err)
	}
	var s Scanner
	cfg.Apply(&s)
	for _, tt := range []struct {
		give string
		want []string
	}{
		{"region = \"eu-west-1\"\nkey = \"AKIA" + "Z7Q2WX5RCV3NB4MH\"\n", []string{"deploy-region", "aws-access-key-id"}},
		{"region = \"eu-west-1\"\n", nil},
	} {
		rep, err := s.ScanReader(t.Context(), "x.tf", strings.NewReader(tt.give))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, f.RuleID)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ScanReader(%q) rules mismatch (-want +got):\n%s", tt.give, diff)
		}
	}
}

func TestCompositeConfigErrors(t *testing.T) {
	const base = "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[rules]]\nid = \"b\"\nregex = \"b\"\n"
	tests := []struct {
		name, give string
		field      string
		line       int
	}{
		{"missing id", base + "[[rules.required]]\nwithinLines = 2\n", "rules[1].required[0].id", 7},
		{"unknown rule", base + "[[rules.required]]\nid = \"a\"\n[[rules.required]]\nid = \"c\"\n", "rules[1].required[1].id", 10},
		{"itself", base + "[[rules.required]]\nid = \"b\"\n", "rules[1].required[0].id", 8},
		{"negative lines", base + "[[rules.required]]\nid = \"a\"\nwithinLines = -1\n", "rules[1].required[0].withinLines", 9},
		{"negative columns", base + "[[rules.required]]\nid = \"a\"\nwithinColumns = -3\n", "rules[1].required[0].withinColumns", 9},
		{"unknown field", base + "[[rules.required]]\nid = \"a\"\nwithinLine = 2\n", "rules.required.withinLine", 9},
		{"not a number", base + "[[rules.required]]\nid = \"a\"\nwithinLines = \"2\"\n", "rules.required.withinLines", 9},
	}
	for _, tt := range tests {
		_, err := ParseConfig("c.toml", []byte(tt.give))
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: ParseConfig error = %v, want a *ConfigError", tt.name, err)
			continue
		}
		if ce.File != "c.toml" || ce.Field != tt.field || ce.Line != tt.line {
			t.Errorf("%s: ParseConfig error %q at %s:%d: %s, want c.toml:%d: %s", tt.name, err, ce.File, ce.Line, ce.Field, tt.line, tt.field)
		}
	}
	// A Scanner built without a config checks its rules too.
	s := Scanner{Rules: []Rule{{ID: "a", Keywords: []string{"a"}, Regex: regexp.MustCompile("a+"), Required: []Required{{RuleID: "nope"}}}}}
	if _, err := s.ScanReader(t.Context(), "x", strings.NewReader("aaa\n")); !errors.As(err, new(*ConfigError)) {
		t.Errorf("ScanReader with a requirement naming no rule: error %v, want a *ConfigError", err)
	}
}

// TestCompositePathOnly checks composite rules where one side is a
// path-only rule, with the same fragment in every kind of scan: a file in
// a directory scan, and in a history scan the file as one commit adds
// lines to it (its path-only findings plus the findings on those lines).
func TestCompositePathOnly(t *testing.T) {
	cfg, err := ParseConfig("c.toml", []byte(`
# A token counts only in a .env file.
[[rules]]
id = "env-token"
regex = '''TOKEN=([a-z0-9]{12})'''
keywords = ["token"]
[[rules.required]]
id = "env-file"

[[rules]]
id = "env-file"
path = '''\.env$'''
skipReport = true

# A keystore descriptor counts only when it holds a store password.
[[rules]]
id = "keystore-file"
path = '''keystore\.properties$'''
[[rules.required]]
id = "store-password"

[[rules]]
id = "store-password"
regex = '''storePassword=(\S{8,})'''
keywords = ["storepassword"]
skipReport = true
`))
	if err != nil {
		t.Fatal(err)
	}
	scanner := func(root string) *Scanner {
		var s Scanner
		cfg.Apply(&s)
		s.Root = root
		return &s
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string // "file rule"
	}{
		{"token in env file", map[string]string{"prod.env": "TOKEN=abcdef123456\n"}, []string{"prod.env env-token"}}, // soakkit:allow: fixture
		{"token elsewhere", map[string]string{"notes.txt": "TOKEN=abcdef123456\n"}, nil},                             // soakkit:allow: fixture
		{"keystore with password", map[string]string{"app/keystore.properties": "storeFile=a.jks\nstorePassword=hunter2hunter2\n"}, // soakkit:allow: fixture
			[]string{"app/keystore.properties keystore-file"}},
		{"keystore without password", map[string]string{"app/keystore.properties": "storeFile=a.jks\n"}, nil},
		{"password outside keystore", map[string]string{"app/other.properties": "storePassword=hunter2hunter2\n"}, nil}, // soakkit:allow: fixture
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			rep, err := scanner(dir).Scan(t.Context(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, fileRules(rep)); diff != "" {
				t.Errorf("Scan findings mismatch (-want +got):\n%s", diff)
			}
			r := newHistRepo(t)
			r.commit("Alice", "base", map[string]string{"README": "x\n"})
			r.commit("Alice", "add", tt.files)
			hrep := r.scan(scanner(""), History{})
			if diff := cmp.Diff(tt.want, fileRules(hrep)); diff != "" {
				t.Errorf("ScanHistory findings mismatch (-want +got):\n%s", diff)
			}
			grep, err := scanner("").ScanGit(t.Context(), r.dir, "HEAD~1..HEAD")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, fileRules(grep)); diff != "" {
				t.Errorf("ScanGit findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func fileRules(rep *Report) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Suppressed == NotSuppressed {
			out = append(out, f.File+" "+f.RuleID)
		}
	}
	return out
}

// TestGenericPrecedence checks gitleaks' precedence of specific rules over
// a configured generic rule: decided on findings, after allowlists, by
// line and secret containment.
func TestGenericPrecedence(t *testing.T) {
	cfg, err := ParseConfig("c.toml", []byte(`
[[rules]]
id = "aws-key-id"
regex = '''\b(AKIA[A-Z0-9]{16})\b'''
keywords = ["akia"]
[[rules.allowlists]]
regexes = ['''EXAMPLE$''']

[[rules]]
id = "generic-token"
regex = '''(?i)token\s*=\s*"?([\w.=-]{10,})'''
keywords = ["token"]
`))
	if err != nil {
		t.Fatal(err)
	}
	var s Scanner
	cfg.Apply(&s)
	tests := []struct {
		name string
		give string
		want []ruleLine // unsuppressed findings
	}{
		{"specific wins", "token = \"AKIAZZZZZZZZZZZZZZZZ\"\n", []ruleLine{{"aws-key-id", 1}}},
		{"specific allowlisted", "token = \"AKIAIOSFODNN7EXAMPLE\"\n", []ruleLine{{"generic-token", 1}}},
		{"generic secret longer", "token=AKIAZZZZZZZZZZZZZZZZ.tail\n", []ruleLine{{"generic-token", 1}, {"aws-key-id", 1}}},
		{"other line", "token = \"AKIAZZZZZZZZZZZZZZZZ\"\nid: AKIAZZZZZZZZZZZZZZZZ\n", []ruleLine{{"aws-key-id", 1}, {"aws-key-id", 2}}},
		{"generic alone", "token = \"abcdefghij123\"\n", []ruleLine{{"generic-token", 1}}}, // soakkit:allow: fixture
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			rep, err := s.ScanReader(t.Context(), "app.conf", strings.NewReader(tt.give))
			if err != nil {
				t.Fatal(err)
			}
			got := ruleLines(rep.Findings)
			slices.SortStableFunc(got, func(a, b ruleLine) int { return a.Line - b.Line })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ScanReader(%q) findings mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}
