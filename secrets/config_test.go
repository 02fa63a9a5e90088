package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const gitleaksConfig = `
title = "team config"
[extend]
useDefault = true
disabledRules = ["jwt"]

[[rules]]
id = "internal-token"
description = "Internal service token"
regex = '''\b(itk_[a-z0-9]{24})\b'''
keywords = ["itk_"]
entropy = 3.0
  [[rules.allowlists]]
  regexTarget = "line"
  regexes = ['''fake''']

[[rules]]
id = "github-pat"
  [rules.allowlist]
  stopwords = ["zzzz"]

[[allowlists]]
description = "vendored"
paths = ['''^vendor/''']

[[allowlists]]
globs = ["**/testdata/**"]
values = ["itk_0000aaaa1111bbbb2222cccc"]
`

func TestLoadGitleaksConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".gitleaks.toml")
	os.WriteFile(path, []byte(gitleaksConfig), 0o644)
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range cfg.Rules {
		ids = append(ids, r.ID)
		if r.ID == "github-pat" && (len(r.Allowlists) != 1 || r.match == nil) {
			t.Errorf("github-pat: allowlist not merged or matcher lost: %+v", r)
		}
	}
	if strings.Contains(strings.Join(ids, ","), "jwt") || ids[len(ids)-1] != "internal-token" {
		t.Errorf("rule ids = %v", ids)
	}
	writeFiles(t, dir, map[string]string{
		"a.go":             "tok := \"itk_q8zk2lmp0vn7xr4tw9yb3c5d\"\n",
		"b.go":             "tok := \"itk_q8zk2lmp0vn7xr4tw9yb3c5e\" // fake\n",
		"vendor/x/c.go":    "tok := \"itk_q8zk2lmp0vn7xr4tw9yb3c5f\"\n",
		"x/testdata/d.txt": "tok := \"itk_q8zk2lmp0vn7xr4tw9yb3c5g\"\n",
		"e.go":             "tok := \"itk_0000aaaa1111bbbb2222cccc\"\n",
	})
	s := &Scanner{Root: dir}
	cfg.Apply(s)
	rep, err := s.Scan(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Suppression{}
	for _, f := range rep.Findings {
		got[f.File] = f.Suppressed
	}
	want := map[string]Suppression{".gitleaks.toml": Allowlisted, "a.go": "", "b.go": Allowlisted, "vendor/x/c.go": Allowlisted, "x/testdata/d.txt": Allowlisted, "e.go": Allowlisted}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppression mismatch (-want +got):\n%s", diff)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ name, give string }{
		{"syntax", "title = "},
		{"unknown-key", "colour = 1"},
		{"bad-regex", "[[rules]]\nid = \"a\"\nregex = \"(\""},
		{"no-id", "[[rules]]\nregex = \"a\""},
		{"composite-unknown-rule", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[rules.required]]\nid = \"b\""},
		{"bad-condition", "[[allowlists]]\ncondition = \"XOR\""},
		{"bad-glob", "[[allowlists]]\nglobs = [\"[\"]"},
		{"missing-extend", "[extend]\npath = \"nope.toml\""},
		{"extend-both", "[extend]\npath = \"b.toml\"\nuseDefault = true"},
		{"duplicate-id", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[rules]]\nid = \"a\"\nregex = \"b\""},
		{"blank-id", "[[rules]]\nid = \" \"\nregex = \"a\""},
		{"secret-group", "[[rules]]\nid = \"a\"\nregex = \"(a)\"\nsecretGroup = 2"},
		{"both-rule-allowlist-forms", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[rules.allowlist]\nstopwords = [\"x\"]\n[[rules.allowlists]]\nstopwords = [\"y\"]"},
		{"both-global-allowlist-forms", "[allowlist]\nstopwords = [\"x\"]\n[[allowlists]]\nstopwords = [\"y\"]"},
		{"empty-allowlist", "[[allowlists]]\ndescription = \"nothing\""},
		{"unknown-target", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[allowlists]]\ntargetRules = [\"b\"]\nstopwords = [\"x\"]"},
		{"override-unknown", "[[rules]]\nid = \"a\"\n[[rules.allowlists]]\nstopwords = [\"x\"]"},
		{"bad-min-version", "minVersion = \"eight\""},
	}
	for _, tt := range tests {
		_, err := ParseConfig(filepath.Join(t.TempDir(), "c.toml"), []byte(tt.give))
		if err == nil {
			t.Errorf("%s: ParseConfig succeeded", tt.name)
			continue
		}
		var ce *ConfigError
		if tt.name != "missing-extend" && !errors.As(err, &ce) {
			t.Errorf("%s: error %v is not a *ConfigError", tt.name, err)
		}
	}
}

// TestConfigMinVersion: minVersion is read as a version with or without
// its "v", the later of a file's and the file it extends wins, and Newer
// says whether it is later than the gitleaks release soakkit follows.
func TestConfigMinVersion(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte("minVersion = \"v8.99.0\"\n[[rules]]\nid = \"only\"\nregex = 'only-[0-9]{6}'\n"), 0o644)
	tests := []struct {
		give      string
		want      string
		wantNewer bool
	}{
		{"title = \"x\"", "", false},
		{"minVersion = \"8.25.0\"", "v8.25.0", false},
		{"minVersion = \"v8.30.1\"", "v8.30.1", false},
		{"minVersion = \"v8.30\"", "v8.30.0", false},
		{"minVersion = \"v8.31.0\"", "v8.31.0", true},
		{"minVersion = \"9.0.0-rc.1\"", "v9.0.0-rc.1", true},
		{"minVersion = \"v8.1.0\"\n[extend]\npath = \"base.toml\"", "v8.99.0", true},
	}
	for _, tt := range tests {
		cfg, err := ParseConfig(filepath.Join(dir, "c.toml"), []byte(tt.give))
		if err != nil {
			t.Errorf("%q: %v", tt.give, err)
			continue
		}
		if cfg.MinVersion != tt.want || cfg.Newer() != tt.wantNewer {
			t.Errorf("%q: MinVersion %q, Newer %v; want %q, %v", tt.give, cfg.MinVersion, cfg.Newer(), tt.want, tt.wantNewer)
		}
	}
	_, err := ParseConfig("c.toml", []byte("title = \"t\"\nminVersion = \"8.x\"\n"))
	if want := `secrets: c.toml:2: minVersion: "8.x" is not a version such as v8.25.0`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestConfigExtendPath(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte("[[rules]]\nid = \"only\"\nregex = '''only-[0-9]{6}'''\n"), 0o644)
	cfg, err := ParseConfig(filepath.Join(dir, "c.toml"), []byte("[extend]\npath = \"base.toml\"\n[[allowlists]]\nstopwords = [\"x\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Rules) != 1 || cfg.Rules[0].ID != "only" || len(cfg.Allowlists) != 1 {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestPathOnlyRuleOnBinary(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"certs/a.p12": "\x30\x82\x00\x00binary", "b.txt": "x\n"})
	cfg, err := ParseConfig("c.toml", []byte("[extend]\nuseDefault = true\n[[rules]]\nid = \"pkcs12-file\"\npath = '''(?i)\\.p(?:12|fx)$'''\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Scanner{Root: dir}
	cfg.Apply(s)
	rep, err := s.Scan(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].RuleID != "pkcs12-file" || rep.Findings[0].File != "certs/a.p12" || len(rep.Binary) != 1 {
		t.Errorf("findings %v, binary %v", rep.Findings, rep.Binary)
	}
}

func TestLoadConfigOriginalFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "allowlist.txt")
	os.WriteFile(path, []byte("# scan_secrets.py format\ntests/**\nPLACEHOLDER\n"), 0o644)
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rules != nil || len(cfg.Allowlists) != 2 {
		t.Errorf("LoadConfig(allowlist.txt) = %+v", cfg)
	}
}

func TestConfigErrorLines(t *testing.T) {
	tests := []struct {
		name, give string
		want       int
	}{
		{"unknown-top", "title = \"x\"\ncolour = 1\n", 2},
		{"unknown-in-rule", "[[rules]]\nid = \"a\"\nregex = \"a\"\n\n[[rules]]\nid = \"b\"\nregexx = \"b\"\n", 7},
		{"unknown-table", "title = \"x\"\n[extnd]\npath = \"x\"\n", 2},
		{"bad-regex-second-rule", "[[rules]]\nid = \"a\"\nregex = '''a'''\n[[rules]]\nid = \"b\"\ndescription = '''\nmulti\nregex = line\n'''\nregex = \"(\"\n", 10},
		{"no-id", "title = \"x\"\n[[rules]]\nregex = \"a\"\n", 2},
		{"no-id-then-id", "[[rules]]\nregex = \"a\"\n[[rules]]\nid = \"b\"\nregex = \"b\"\n", 1},
		{"rule-allowlist", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[rules.allowlists]]\nregexes = [\"x\"]\n[[rules.allowlists]]\ncondition = \"XOR\"\n", 7},
		{"global-allowlist", "[[allowlists]]\nglobs = [\"*.md\"]\n[[allowlists]]\n\nglobs = [\"[\"]\n", 5},
		{"missing-extend", "title = \"x\"\n[extend]\npath = \"nope.toml\"\n", 3},
		{"duplicate-id", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[rules]]\nid = \"a\"\nregex = \"b\"\n", 5},
		{"secret-group", "[[rules]]\nid = \"a\"\nregex = \"(a)\"\nsecretGroup = 2\n", 4},
		{"unknown-target", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[allowlists]]\nstopwords = [\"x\"]\ntargetRules = [\"b\"]\n", 6},
	}
	for _, tt := range tests {
		_, err := ParseConfig(filepath.Join(t.TempDir(), "c.toml"), []byte(tt.give))
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: ParseConfig error = %v, want a *ConfigError", tt.name, err)
			continue
		}
		if ce.Line != tt.want {
			t.Errorf("%s: ParseConfig error %q has line %d, want %d", tt.name, err, ce.Line, tt.want)
		}
	}
}

func TestParseBaselineErrors(t *testing.T) {
	const pasted = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc" // soakkit:allow: Stripe's documented example key
	tests := []struct {
		name, give string
		wantLine   int
	}{
		{"pasted-secret", "# accepted\n0123456789abcdef0123456789abcdef\n" + pasted + "\n", 3},
		{"json-syntax", "{\n  \"findings\": [\n    {\"fingerprint\": \"x\"},,\n  ]\n}\n", 3},
		{"json-type", "{\n  \"findings\": [\n    {\"fingerprint\": 7}\n  ]\n}\n", 3},
	}
	for _, tt := range tests {
		_, err := ParseBaseline("b", []byte(tt.give))
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: ParseBaseline error = %v, want a *ConfigError", tt.name, err)
			continue
		}
		if ce.Line != tt.wantLine {
			t.Errorf("%s: ParseBaseline error %q has line %d, want %d", tt.name, err, ce.Line, tt.wantLine)
		}
		if strings.Contains(err.Error(), "4eC39HqLyjWD") {
			t.Errorf("%s: ParseBaseline error %q echoes the pasted secret", tt.name, err)
		}
	}
}

// TestConfigOverrideRegexMasksWholeSecret checks that a rule overriding a
// built-in's matcher with a regex does not inherit the built-in's public
// prefix: the redacted match must not show the first bytes of the secret.
func TestConfigOverrideRegexMasksWholeSecret(t *testing.T) {
	cfg, err := ParseConfig("c.toml", []byte("[extend]\nuseDefault = true\n[[rules]]\nid = \"github-pat\"\nregex = '''zq[a-z0-9]{18}'''\nkeywords = [\"zq\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Scanner{}
	cfg.Apply(s)
	rep, err := s.ScanReader(t.Context(), "f", strings.NewReader("value zqabcdefghij0123456789 end\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Match != Mask {
		t.Errorf("findings %v, want one with Match %q", rep.Findings, Mask)
	}
}

// TestConfigEntropyOnBuiltin checks that an entropy floor set on a
// built-in rule (without a regex) is applied, as Rule.Entropy documents.
func TestConfigEntropyOnBuiltin(t *testing.T) {
	in := "password = \"Winter2024!x\"\n" // soakkit:allow: fixture
	if len(ScanString(in)) != 1 {
		t.Fatalf("ScanString(%q) = %v, want one finding without a floor", in, ScanString(in))
	}
	cfg, err := ParseConfig("c.toml", []byte("[extend]\nuseDefault = true\n[[rules]]\nid = \"generic-password\"\nentropy = 4.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Scanner{}
	cfg.Apply(s)
	rep, err := s.ScanReader(t.Context(), "f", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Errorf("with entropy = 4.5, findings %v, want none (entropy %.2f)", rep.Findings, entropy("Winter2024!x"))
	}
}

// TestConfigAllowlistSemantics runs one rule under rule and global
// allowlists of each kind and checks gitleaks' semantics: what the regexes
// see (regexTarget), stopwords on the secret only, OR and AND conditions,
// and targetRules.
func TestConfigAllowlistSemantics(t *testing.T) {
	const line = "token = tok-abcdefabcdef // owner: build team\n" // secret: abcdefabcdef // soakkit:allow: fixture
	tests := []struct {
		name  string
		allow string // TOML appended after the rule
		want  Suppression
	}{
		{"none", "", NotSuppressed},
		{"secret regex", "[[rules.allowlists]]\nregexes = ['''^abcdef''']", Allowlisted},
		{"secret regex sees only the secret", "[[rules.allowlists]]\nregexes = ['''^tok-''']", NotSuppressed},
		{"match regex", "[[rules.allowlists]]\nregexTarget = \"match\"\nregexes = ['''^tok-''']", Allowlisted},
		{"match regex sees only the match", "[[rules.allowlists]]\nregexTarget = \"match\"\nregexes = ['''owner''']", NotSuppressed},
		{"line regex", "[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''owner: build''']", Allowlisted},
		{"stopword in the secret", "[[rules.allowlists]]\nstopwords = [\"CDEFA\"]", Allowlisted},
		{"stopword elsewhere on the line", "[[rules.allowlists]]\nstopwords = [\"owner\"]", NotSuppressed},
		{"path", "[[rules.allowlists]]\npaths = ['''^dir/''']", Allowlisted},
		{"or: one of two", "[[rules.allowlists]]\npaths = ['''^elsewhere/''']\nstopwords = [\"abc\"]", Allowlisted},
		{"and: both", "[[rules.allowlists]]\ncondition = \"AND\"\npaths = ['''^dir/''']\nstopwords = [\"abc\"]", Allowlisted},
		{"and: one of two", "[[rules.allowlists]]\ncondition = \"&&\"\npaths = ['''^elsewhere/''']\nstopwords = [\"abc\"]", NotSuppressed},
		{"old single table", "[rules.allowlist]\nregexes = ['''^abcdef''']", Allowlisted},
		{"global", "[[allowlists]]\nregexes = ['''^abcdef''']", Allowlisted},
		{"global old table", "[allowlist]\nregexTarget = \"line\"\nregexes = ['''build team''']", Allowlisted},
		{"global targeting the rule", "[[allowlists]]\ntargetRules = [\"tok\"]\nstopwords = [\"abc\"]", Allowlisted},
		{"global targeting another rule", "[[rules]]\nid = \"other\"\nregex = '''zz[0-9]{9}'''\n[[allowlists]]\ntargetRules = [\"other\"]\nstopwords = [\"abc\"]", NotSuppressed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig("c.toml", []byte("[[rules]]\nid = \"tok\"\nregex = '''tok-([a-z0-9]{12})'''\nkeywords = [\"tok-\"]\n"+tt.allow+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			s := &Scanner{}
			cfg.Apply(s)
			rep, err := s.ScanReader(t.Context(), "dir/f.txt", strings.NewReader(line))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) != 1 {
				t.Fatalf("findings %v, want one", rep.Findings)
			}
			if f := rep.Findings[0]; f.Secret != "abcdefabcdef" || f.Suppressed != tt.want {
				t.Errorf("finding %v (secret %q) suppressed %q, want %q", f, f.Secret, f.Suppressed, tt.want)
			}
		})
	}
}

// TestConfigPathOnlyAllowlist checks that a path-only finding, which has
// no secret, is suppressed by a path allowlist but not by an AND allowlist
// that also needs a regex to match.
func TestConfigPathOnlyAllowlist(t *testing.T) {
	tests := []struct {
		name, allow string
		want        Suppression
	}{
		{"path", "[[rules.allowlists]]\npaths = ['''^certs/''']", Allowlisted},
		{"path and regex", "[[rules.allowlists]]\ncondition = \"AND\"\npaths = ['''^certs/''']\nregexes = ['''.*''']", NotSuppressed},
	}
	for _, tt := range tests {
		cfg, err := ParseConfig("c.toml", []byte("[[rules]]\nid = \"p12\"\npath = '''\\.p12$'''\n"+tt.allow+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		s := &Scanner{}
		cfg.Apply(s)
		rep, err := s.ScanReader(t.Context(), "certs/a.p12", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 1 || rep.Findings[0].Suppressed != tt.want {
			t.Errorf("%s: findings %v, want one suppressed %q", tt.name, rep.Findings, tt.want)
		}
	}
}

// TestConfigGitleaksRuleIDs checks that settings for a gitleaks rule id
// the built-in rules cover under another name (generic-api-key) reach
// those rules, through [[rules]] and through targetRules.
func TestConfigGitleaksRuleIDs(t *testing.T) {
	const in = "client_secret = \"q8Zk2LmP0vN7xR4tW9yB3c5DzzA1\"\n" // soakkit:allow: fixture
	if fs := ScanString(in); len(fs) != 1 || fs[0].RuleID != "generic-secret" {
		t.Fatalf("ScanString(%q) = %v, want one generic-secret finding", in, fs)
	}
	for _, give := range []string{
		"[extend]\nuseDefault = true\n[[rules]]\nid = \"generic-api-key\"\n[[rules.allowlists]]\nstopwords = [\"zza1\"]\n",
		"[extend]\nuseDefault = true\n[[allowlists]]\ntargetRules = [\"generic-api-key\"]\nstopwords = [\"zza1\"]\n",
	} {
		cfg, err := ParseConfig("c.toml", []byte(give))
		if err != nil {
			t.Fatal(err)
		}
		s := &Scanner{}
		cfg.Apply(s)
		rep, err := s.ScanReader(t.Context(), "f", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 1 || rep.Findings[0].Suppressed != Allowlisted {
			t.Errorf("config %q: findings %v, want one allowlisted", give, rep.Findings)
		}
	}
}

// TestConfigExtendMerges checks gitleaks' merge of a rule extending a rule
// of the same id: set fields override, keywords and allowlists append.
func TestConfigExtendMerges(t *testing.T) {
	dir := t.TempDir()
	base := "[[rules]]\nid = \"tok\"\nregex = '''tok-([a-z]{4})([0-9]{4})'''\nkeywords = [\"tok-\"]\nentropy = 1.0\n"
	if err := os.WriteFile(filepath.Join(dir, "base.toml"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(filepath.Join(dir, "c.toml"), []byte("[extend]\npath = \"base.toml\"\n[[rules]]\nid = \"tok\"\nsecretGroup = 2\nkeywords = [\"TOK_\"]\n[[rules.allowlists]]\nstopwords = [\"0000\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Rules) != 1 {
		t.Fatalf("rules %+v, want one", cfg.Rules)
	}
	r := cfg.Rules[0]
	got := struct {
		Keywords    []string
		SecretGroup int
		Entropy     float64
		Allowlists  int
	}{r.Keywords, r.SecretGroup, r.Entropy, len(r.Allowlists)}
	want := got
	want.Keywords, want.SecretGroup, want.Entropy, want.Allowlists = []string{"tok-", "tok_"}, 2, 1.0, 1
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("merged rule mismatch (-want +got):\n%s", diff)
	}
	s := &Scanner{}
	cfg.Apply(s)
	rep, err := s.ScanReader(t.Context(), "f", strings.NewReader("a tok-abcd1234 b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Secret != "1234" {
		t.Errorf("findings %v, want one with the second group as its secret", rep.Findings)
	}
}
