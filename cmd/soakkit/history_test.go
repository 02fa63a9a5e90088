package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitEnv keeps the user's and the system's git configuration out of the
// repositories the tests build and of the git processes soakkit starts.
var gitEnv = []string{"GIT_CONFIG_GLOBAL=" + os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
	"GIT_AUTHOR_DATE=2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z"}

func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=Alice", "-c", "user.email=alice@example.test",
		"-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), gitEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// historyRepo builds a repository whose second commit adds a token that
// the third removes, and returns it with the second commit's id.
func historyRepo(t *testing.T, token string) (dir, leak string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir = t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, dir, "init", "-q", "-b", "main")
	write("a.txt", "hello\n")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "one")
	write("cfg.env", "AWS_ACCESS_KEY_ID="+token+"\n")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "two")
	leak = gitRun(t, dir, "rev-parse", "HEAD")
	write("cfg.env", "AWS_ACCESS_KEY_ID=\n")
	gitRun(t, dir, "commit", "-q", "-am", "three")
	return dir, leak
}

func TestSecretsHistory(t *testing.T) {
	token := "AKIA" + "IOSFODNN7EXAMPLQ"
	dir, leak := historyRepo(t, token)
	tests := []struct {
		name     string
		args     []string
		ignore   string // .gitleaksignore content
		yaml     string // soakkit.yaml content
		wantCode int
		want     string // in stdout
	}{
		{"files only", []string{"."}, "", "", exitOK, "RESULT=CLEAN"},
		{"history", []string{"--history"}, "", "", exitFailed, "(commit " + leak[:12] + ")"},
		{"range argument", []string{"--history", "HEAD~1..HEAD"}, "", "", exitOK, "RESULT=CLEAN"},
		{"range flag", []string{"--history=HEAD~2..HEAD", "."}, "", "", exitFailed, "RESULT=FOUND"},
		{"all refs", []string{"--history", "--all", "--merges", "first-parent"}, "", "", exitFailed, "RESULT=FOUND"},
		{"gitleaksignore", []string{"--history"}, leak + ":cfg.env:aws-access-key-id:1\n", "", exitOK, "[suppressed: allowlist]"},
		{"soakkit.yaml", nil, "", "secrets:\n  history: true\n", exitFailed, "RESULT=FOUND"},
		{"soakkit.yaml range", []string{".", "--format", "json"}, "", "secrets:\n  history: HEAD~1..HEAD\n", exitOK, `"commits":1,`},
		{"all without history", []string{"--all"}, "", "", exitUsage, ""},
		{"bad merges", []string{"--history", "--merges", "octopus"}, "", "", exitUsage, ""},
		{"git and history", []string{"--history", "--git", "HEAD~1..HEAD"}, "", "", exitUsage, ""},
		{"bad range", []string{"--history", "nosuch..HEAD"}, "", "", exitUsage, "RESULT=ERROR"},
		{"bad gitleaksignore", []string{"--history"}, "not a fingerprint\n", "", exitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, body := range map[string]string{".gitleaksignore": tt.ignore, "soakkit.yaml": tt.yaml} {
				p := filepath.Join(dir, name)
				os.Remove(p)
				if body != "" {
					if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			r := soakkit(t, dir, gitEnv, append([]string{"secrets"}, tt.args...)...)
			if r.code != tt.wantCode || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("exit %d, want %d; stdout should hold %q\nstdout: %s\nstderr: %s", r.code, tt.wantCode, tt.want, r.stdout, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, token) {
				t.Errorf("output contains the raw secret")
			}
		})
	}
}

func TestSecretsHistorySARIF(t *testing.T) {
	dir, leak := historyRepo(t, "AKIA"+"IOSFODNN7EXAMPLQ")
	r := soakkit(t, dir, gitEnv, "secrets", "--history", "--format", "sarif")
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]any    `json:"properties"`
			} `json:"results"`
			VersionControlProvenance []struct {
				RepositoryURI string `json:"repositoryUri"`
				RevisionID    string `json:"revisionId"`
			} `json:"versionControlProvenance"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("stdout is not SARIF JSON: %v\n%s", err, r.stdout)
	}
	head := gitRun(t, dir, "rev-parse", "HEAD")
	if len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || len(log.Runs[0].VersionControlProvenance) != 1 {
		t.Fatalf("SARIF runs %+v, want one run, one result, one versionControlProvenance", log.Runs)
	}
	res, vcs := log.Runs[0].Results[0], log.Runs[0].VersionControlProvenance[0]
	if res.PartialFingerprints["commitSha"] != leak || res.Properties["author"] != "Alice" || res.Properties["commits"] != 1.0 {
		t.Errorf("result fingerprints %v, properties %v; want commitSha %s, author Alice, commits 1", res.PartialFingerprints, res.Properties, leak)
	}
	if vcs.RevisionID != head || !strings.HasPrefix(vcs.RepositoryURI, "file:///") {
		t.Errorf("versionControlProvenance %+v, want revision %s and a file URI", vcs, head)
	}
}
