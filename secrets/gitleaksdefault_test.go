package secrets

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// gitleaksDefault is gitleaks' default configuration (v8.30.1,
// config/gitleaks.toml, MIT licensed; see testdata/gitleaks/LICENSE).
const gitleaksDefault = "testdata/gitleaks/gitleaks.toml"

// TestGitleaksDefaultConfig loads gitleaks' own default configuration
// through LoadConfig and runs it on the team's samples (a value of each
// built-in rule's kind, in each file syntax). What it finds is what
// gitleaks v8.30.1 itself finds on the same files, checked with the
// release binary when this table was written: the rule gitleaks names,
// and nothing where gitleaks has no rule (Telegram tokens without the
// word "telegr", database URIs, passwords with symbols) or where its
// rules' suffix class stops them (a value followed by "<" in an XML
// element, or by `\"` in escaped JSON).
func TestGitleaksDefaultConfig(t *testing.T) {
	cfg, err := LoadConfig(gitleaksDefault)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(gitleaksDefault)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Count(string(data), "\n[[rules]]\n"); len(cfg.Rules) != want || want < 200 {
		t.Errorf("LoadConfig(%s): %d rules, want %d", gitleaksDefault, len(cfg.Rules), want)
	}
	if len(cfg.Allowlists) != 1 {
		t.Errorf("LoadConfig(%s): %d global allowlists, want 1", gitleaksDefault, len(cfg.Allowlists))
	}

	notXML := []string{"xml", "escaped-json"}
	all := []string{"env", "yaml", "yaml-quoted", "json", "go", "python", "toml", "xml", "escaped-json", "shell"}
	tests := map[string]struct { // by gen.Kind name
		rule string   // the gitleaks rule that finds it
		miss []string // syntaxes where gitleaks finds nothing
	}{
		"aws_access_key_id":               {"aws-access-token", nil},
		"AWS_ACCESS_KEY_ID":               {"aws-access-token", nil},
		"aws_secret_access_key":           {"generic-api-key", notXML},
		"GITHUB_TOKEN":                    {"github-pat", nil},
		"gh_oauth":                        {"github-oauth", nil},
		"installation":                    {"github-app-token", nil},
		"GH_PAT":                          {"github-fine-grained-pat", nil},
		"GITLAB_TOKEN":                    {"gitlab-pat", nil},
		"SLACK_BOT_TOKEN":                 {"slack-bot-token", nil},
		"slack_user":                      {"slack-user-token", nil},
		"webhook":                         {"slack-webhook-url", nil},
		"STRIPE_KEY":                      {"stripe-access-token", notXML},
		"stripe":                          {"stripe-access-token", notXML},
		"GOOGLE_API_KEY":                  {"gcp-api-key", notXML},
		"OPENAI_API_KEY":                  {"openai-api-key", notXML},
		"openai":                          {"openai-api-key", notXML},
		"ANTHROPIC_API_KEY":               {"anthropic-api-key", notXML},
		"NPM_TOKEN":                       {"npm-access-token", notXML},
		"SENDGRID_API_KEY":                {"sendgrid-api-token", notXML},
		"bot":                             {"", all},
		"id_token":                        {"jwt", []string{"xml"}},
		"private_key":                     {"private-key", nil},
		"ssh_key":                         {"private-key", nil},
		"key":                             {"private-key", nil},
		"DATABASE_URL":                    {"", all},
		"AZURE_STORAGE_CONNECTION_STRING": {"generic-api-key", nil},
		"db_password":                     {"", all},
		"client_secret":                   {"generic-api-key", notXML},
		"api_key":                         {"generic-api-key", notXML},
	}

	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	const perCell = 3
	for ki, k := range gen.Kinds {
		for si, sx := range syntaxes {
			for n := range perCell {
				text := "line one\n" + sx.fmt(k.Name, k.Gen(r)) + "\nline three\n"
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-%02d-%d.txt", ki, si, n)), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	s := &Scanner{Root: dir}
	cfg.Apply(s)
	rep, err := s.Scan(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// found[kind][syntax][sample]: rule ids reported on the sample's line.
	found := map[[3]int][]string{}
	for _, f := range rep.Findings {
		var ki, si, n int
		if _, err := fmt.Sscanf(f.File, "%02d-%02d-%d.txt", &ki, &si, &n); err != nil {
			t.Fatalf("finding in unexpected file %s", f.File)
		}
		if f.Suppressed == NotSuppressed && f.Line == 2 {
			found[[3]int{ki, si, n}] = append(found[[3]int{ki, si, n}], f.RuleID)
		}
	}
	for ki, k := range gen.Kinds {
		tt, ok := tests[k.Name]
		if !ok {
			t.Logf("%s (%s): no expectation for gitleaks' config", k.Name, k.Rule)
			continue
		}
		for si, sx := range syntaxes {
			if !slices.Contains(all, sx.name) {
				continue // a syntax added since the table was written
			}
			var want []string
			if !slices.Contains(tt.miss, sx.name) {
				want = []string{tt.rule}
			}
			hits := 0
			for n := range perCell {
				got := found[[3]int{ki, si, n}]
				slices.Sort(got)
				got = slices.Compact(got)
				if len(got) > 0 {
					hits++
				}
				if len(got) > 0 && !cmp.Equal(want, got) {
					t.Errorf("%s in %s: rules %v, want %v", k.Name, sx.name, got, want)
				}
			}
			// generic-api-key drops some random values, as in gitleaks:
			// those with a stopword in them or too little entropy.
			switch {
			case want == nil && hits > 0, want != nil && hits == 0:
				t.Errorf("%s in %s: %d of %d samples found, want %v", k.Name, sx.name, hits, perCell, want)
			case want != nil && tt.rule != "generic-api-key" && hits < perCell:
				t.Errorf("%s in %s: %d of %d samples found by %s, want all", k.Name, sx.name, hits, perCell, tt.rule)
			}
		}
	}
}
