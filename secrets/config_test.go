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
		{"composite", "[[rules]]\nid = \"a\"\nregex = \"a\"\n[[rules.required]]\nid = \"b\""},
		{"bad-condition", "[[allowlists]]\ncondition = \"XOR\""},
		{"bad-glob", "[[allowlists]]\nglobs = [\"[\"]"},
		{"missing-extend", "[extend]\npath = \"nope.toml\""},
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
