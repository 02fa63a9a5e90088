package secrets

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soakkit/soakkit/internal/configfile"
)

// GitleaksIgnore is a set of fingerprints from a gitleaks .gitleaksignore
// file, read as allowlist entries: "commit:file:rule:line" names a finding
// in one commit, "file:rule:line" one at that place in any commit or in a
// directory scan. Like gitleaks' own, the entries are positional: they do
// not hold the secret, so another secret later put on an ignored line is
// ignored too; prefer a [Baseline], whose fingerprints hash the secret.
// An entry naming a gitleaks rule that a built-in rule covers under
// another id (aws-access-token, stripe-access-token, slack-bot-token, …)
// also matches that rule; one naming a rule soakkit does not have matches
// nothing.
type GitleaksIgnore map[string]bool

// gitleaksRules maps gitleaks v8 default rule ids to the built-in rules
// that find the same secrets, so existing .gitleaksignore files keep
// working. Rules with the same id in both need no entry.
var gitleaksRules = map[string][]string{
	"aws-access-token":                   {"aws-access-key-id"},
	"github-oauth":                       {"github-pat"},
	"github-app-token":                   {"github-pat"},
	"github-refresh-token":               {"github-pat"},
	"gitlab-pat":                         {"gitlab-token"},
	"gitlab-pat-routable":                {"gitlab-token"},
	"gitlab-deploy-token":                {"gitlab-token"},
	"gitlab-runner-authentication-token": {"gitlab-token"},
	"gitlab-ptt":                         {"gitlab-token"},
	"gitlab-cicd-job-token":              {"gitlab-token"},
	"gitlab-scim-token":                  {"gitlab-token"},
	"gitlab-feature-flag-client-token":   {"gitlab-token"},
	"gitlab-incoming-mail-token":         {"gitlab-token"},
	"gitlab-oauth-app-secret":            {"gitlab-token"},
	"slack-bot-token":                    {"slack-token"},
	"slack-user-token":                   {"slack-token"},
	"slack-app-token":                    {"slack-token"},
	"slack-config-access-token":          {"slack-token"},
	"slack-config-refresh-token":         {"slack-token"},
	"slack-legacy-token":                 {"slack-token"},
	"slack-legacy-bot-token":             {"slack-token"},
	"slack-legacy-workspace-token":       {"slack-token"},
	"stripe-access-token":                {"stripe-secret-key"},
	"gcp-api-key":                        {"google-api-key"},
	"npm-access-token":                   {"npm-token"},
	"sendgrid-api-token":                 {"sendgrid-api-key"},
	"telegram-bot-api-token":             {"telegram-bot-token"},
	"generic-api-key":                    {"generic-secret", "generic-password"},
	"jwt-base64":                         {"jwt"},
}

// Has reports whether an entry names f.
func (g GitleaksIgnore) Has(f Finding) bool {
	if len(g) == 0 {
		return false
	}
	short := fmt.Sprintf("%s:%s:%d", f.File, f.RuleID, f.Line)
	return g[short] || f.Commit != "" && g[f.Commit+":"+short]
}

// ReadGitleaksIgnore reads a .gitleaksignore file; see [ParseGitleaksIgnore].
func ReadGitleaksIgnore(name string) (GitleaksIgnore, error) {
	// configfile.Read refuses a FIFO or device (which would block or never
	// end) and a file over the limit.
	data, err := configfile.Read(name, configfile.MaxBaseline)
	if err != nil {
		return nil, fmt.Errorf("secrets: gitleaks ignore file: %w", err)
	}
	return ParseGitleaksIgnore(name, data)
}

// ParseGitleaksIgnore parses .gitleaksignore data: one fingerprint per
// line, blank lines and lines starting with '#' skipped, as gitleaks reads
// it. A line that is not "[commit:]file:rule:line" with a numeric line is
// a [ConfigError] naming it; the line itself is not echoed, since it may
// be a secret pasted by mistake.
func ParseGitleaksIgnore(name string, data []byte) (GitleaksIgnore, error) {
	g := GitleaksIgnore{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		e := strings.TrimSpace(sc.Text())
		if e == "" || strings.HasPrefix(e, "#") {
			continue
		}
		// The file may hold ':' (gitleaks does not escape it), so the
		// line number and rule are taken from the right.
		i := strings.LastIndexByte(e, ':')
		var j int
		if i > 0 {
			j = strings.LastIndexByte(e[:i], ':')
		}
		if i <= 0 || j <= 0 || j+1 == i {
			return nil, &ConfigError{File: name, Line: n, Field: "gitleaks ignore entry", Err: errIgnoreEntry}
		}
		if ln, err := strconv.Atoi(e[i+1:]); err != nil || ln < 0 {
			return nil, &ConfigError{File: name, Line: n, Field: "gitleaks ignore entry", Err: errIgnoreEntry}
		}
		g[e] = true
		for _, id := range gitleaksRules[e[j+1:i]] {
			g[e[:j+1]+id+e[i:]] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("secrets: read %s: %w", name, err)
	}
	return g, nil
}

var errIgnoreEntry = errors.New("not a fingerprint of the form [commit:]file:rule-id:line")
