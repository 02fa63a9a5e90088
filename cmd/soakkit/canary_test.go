//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The redaction canary: a real soak copies generated secrets through every
// channel soakkit records (argv, environment, output in its many shapes),
// and no artifact, nor soakkit's own stdout or stderr, may hold one raw.
//
// Shapes × channels: every channel receives a fresh value of every shape,
// so a leak names both. A new channel is one line in canaryChannels.

// A canaryShape generates a secret value and the text it travels in.
type canaryShape struct {
	name string
	gen  func(r *rand.Rand) (value, text string)
}

const (
	canaryAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	canaryB32   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)

func canaryStr(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// canaryGitHub returns a GitHub-shaped token whose base62 CRC-32 checksum
// verifies, so the scanner reports it as it would a real one.
func canaryGitHub(r *rand.Rand) string {
	body := canaryStr(r, canaryAlnum, 30)
	v := crc32.ChecksumIEEE([]byte(body))
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[v%62]
		v /= 62
	}
	return "ghp_" + body + string(sum[:])
}

var canaryShapes = []canaryShape{
	{"github", func(r *rand.Rand) (string, string) { t := canaryGitHub(r); return t, t }},
	{"aws-key-id", func(r *rand.Rand) (string, string) { t := "AKIA" + canaryStr(r, canaryB32, 16); return t, t }},
	{"slack", func(r *rand.Rand) (string, string) {
		t := "xoxb-" + canaryStr(r, "0123456789", 11) + "-" + canaryStr(r, "0123456789", 12) + "-" + canaryStr(r, canaryAlnum, 24)
		return t, t
	}},
	{"password", func(r *rand.Rand) (string, string) { v := canaryStr(r, canaryAlnum, 14); return v, "password: " + v }},
	{"aws-secret", func(r *rand.Rand) (string, string) {
		v := canaryStr(r, canaryAlnum, 40)
		return v, "aws_secret_access_key=" + v
	}},
	{"url-password", func(r *rand.Rand) (string, string) {
		v := canaryStr(r, canaryAlnum, 16)
		return v, "https://deploy:" + v + "@canary-" + canaryStr(r, "abcdefgh", 6) + ".internal/x"
	}},
}

// A canaryScenario collects the soak's configuration and environment.
type canaryScenario struct {
	dir        string
	service    []string
	serviceEnv []string
	steps      []map[string]any
	env        []string
}

// file writes content to a file in the scenario's directory and returns
// its path.
func (s *canaryScenario) file(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(s.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// shq quotes s for sh.
func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func shqAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = shq(s)
	}
	return strings.Join(q, " ")
}

// longLines returns lines longer than 64 KiB with text starting at every
// offset from just before to just after the 64 KiB line limit of the
// redacting writer.
func longLines(texts []string) string {
	const limit = 64 << 10
	var sb strings.Builder
	for _, text := range texts {
		for off := limit - len(text) - 2; off <= limit+2; off++ {
			pad := strings.Repeat("log ", off/4+1)[:off-1] + " "
			sb.WriteString(pad + text + " " + strings.Repeat("tail ", 200) + "\n")
		}
	}
	return sb.String()
}

func pctEncode(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(canaryAlnum+"-_.~", c) >= 0 {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}

func canaryStep(name string, argv ...string) map[string]any {
	return map[string]any{"name": name, "run": argv}
}

// canaryChannels lists every way a secret reaches a soak. Each gets one
// value of every shape (texts, in canaryShapes order).
var canaryChannels = []struct {
	name string
	add  func(t *testing.T, s *canaryScenario, texts []string)
}{
	{"service-argv", func(t *testing.T, s *canaryScenario, texts []string) {
		s.service = append([]string{"sh", "-c", "sleep 600; :", "svc", "--token", texts[0], "--api-key=" + texts[1]}, texts[2:]...)
	}},
	{"service-env", func(t *testing.T, s *canaryScenario, texts []string) {
		for i, x := range texts {
			s.serviceEnv = append(s.serviceEnv, fmt.Sprintf("CANARY_SVC_%d=%s", i, x))
		}
	}},
	{"step-argv", func(t *testing.T, s *canaryScenario, texts []string) {
		s.steps = append(s.steps, canaryStep("argv", append([]string{"sh", "-c", ":", "step", "--password", texts[3]}, texts...)...))
	}},
	{"leftover-argv", func(t *testing.T, s *canaryScenario, texts []string) {
		s.steps = append(s.steps, canaryStep("leftover", "sh", "-c", "sh -c 'sleep 600; :' worker --token "+shqAll(texts)+" & echo started"))
	}},
	{"survivor-argv", func(t *testing.T, s *canaryScenario, texts []string) {
		if _, err := exec.LookPath("setsid"); err != nil {
			t.Log("no setsid: the survivor channel is not exercised")
			return
		}
		st := canaryStep("survivor", "sh", "-c", "setsid sh -c 'sleep 600; :' survivor --secret "+shqAll(texts)+" >/dev/null 2>&1 & echo started")
		st["allow_leftovers"] = true
		s.steps = append(s.steps, st)
	}},
	{"last-line", func(t *testing.T, s *canaryScenario, texts []string) {
		p := s.file(t, "last.txt", "starting\nfatal: "+strings.Join(texts, " ")+"\n")
		s.steps = append(s.steps, canaryStep("lastline", "sh", "-c", "cat "+shq(p)+" >&2; exit 3"))
	}},
	{"split-writes", func(t *testing.T, s *canaryScenario, texts []string) {
		var sc strings.Builder
		for _, x := range texts {
			for i := 0; i < len(x); i += 3 {
				sc.WriteString("printf %s " + shq(x[i:min(len(x), i+3)]) + "; ")
			}
			sc.WriteString("echo; ")
		}
		s.steps = append(s.steps, canaryStep("split", "sh", "-c", sc.String()))
	}},
	{"long-line", func(t *testing.T, s *canaryScenario, texts []string) {
		s.steps = append(s.steps, canaryStep("longline", "cat", s.file(t, "long.txt", longLines(texts))))
	}},
	{"json-escaped", func(t *testing.T, s *canaryScenario, texts []string) {
		var sb strings.Builder
		for _, x := range texts {
			fmt.Fprintf(&sb, `{"msg":"first\n%s","k":"x\t%s"}`+"\n", x, x)
		}
		s.steps = append(s.steps, canaryStep("jsonlog", "cat", s.file(t, "json.txt", sb.String())))
	}},
	{"url-encoded", func(t *testing.T, s *canaryScenario, texts []string) {
		var sb strings.Builder
		for _, x := range texts {
			sb.WriteString("GET /cb?a=1&token%3D" + pctEncode(x) + "%26b=2\n")
		}
		s.steps = append(s.steps, canaryStep("urlenc", "cat", s.file(t, "url.txt", sb.String())))
	}},
	{"process-env", func(t *testing.T, s *canaryScenario, texts []string) {
		for i, x := range texts {
			s.env = append(s.env, fmt.Sprintf("CANARY_ENV_%d=%s", i, x))
		}
		s.env = append(s.env, "CANARY_DB_PASSWORD="+texts[3][len("password: "):])
	}},
	{"step-env", func(t *testing.T, s *canaryScenario, texts []string) {
		env := map[string]string{}
		for i, x := range texts {
			env[fmt.Sprintf("CANARY_STEP_%d", i)] = x
		}
		st := canaryStep("printenv", "env")
		st["env"] = env
		s.steps = append(s.steps, st)
	}},
}

func TestCanariesNeverReachArtifacts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a soak with a service and 20 MB of output")
	}
	r := rand.New(rand.NewPCG(0xca, 0x4a))
	dir := t.TempDir()
	s := &canaryScenario{dir: dir}
	where := map[string]string{} // canary value -> shape/channel
	for _, ch := range canaryChannels {
		texts := make([]string, len(canaryShapes))
		for i, sh := range canaryShapes {
			v, text := sh.gen(r)
			texts[i] = text
			where[v] = sh.name + " in " + ch.name
		}
		ch.add(t, s, texts)
	}
	cfg := map[string]any{
		"plan": map[string]any{"timeout": "2m", "steps": s.steps},
		"soak": map[string]any{
			"count": 2, "iteration_timeout": "2m", "sample_interval": "100ms", "keep_going": true,
			"service": map[string]any{"argv": s.service, "env": s.serviceEnv},
		},
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := s.file(t, "soakkit.yaml", string(b))
	art := filepath.Join(dir, "artifacts")
	res := soakkit(t, dir, append(s.env, "SOAKKIT_HEARTBEAT=10ms"), "soak", "--config", cfgPath, "--artifacts", art)
	if res.code == exitOK || res.code == exitUsage {
		t.Fatalf("soak: exit %d, want a failure (the plan fails)\nstdout: %s\nstderr: %s", res.code, res.stdout, res.stderr)
	}

	seen := map[string]bool{}
	check := func(name string, content []byte) {
		seen[name] = true
		for v, w := range where {
			if strings.Contains(string(content), v) {
				t.Errorf("%s holds the %s canary", name, w)
			}
		}
	}
	check("stdout", []byte(res.stdout))
	check("stderr", []byte(res.stderr))
	var files []string
	err = filepath.WalkDir(art, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(art, p)
			files = append(files, filepath.ToSlash(rel))
			check(filepath.ToSlash(rel), data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for _, want := range []string{"env.json", "soak/state.json", "soak/iterations.jsonl", "soak/summary.json", "soak/summary.md", "soak/junit.xml", "soak/report.html", "soak/manifest.json"} {
		if !seen[want] {
			t.Errorf("artifact %s missing; have %v", want, files)
		}
	}
	// The channels did reach the artifacts, masked: the leftover and the
	// service are recorded, the long lines are in the logs.
	state, _ := os.ReadFile(filepath.Join(art, "soak", "state.json"))
	if !strings.Contains(string(state), `"--token","****"`) {
		t.Errorf("state.json does not record the service argv masked: %.2000s", state)
	}

	// The artifacts hold no finding at all; the same canaries in a source
	// tree are found.
	if r := soakkit(t, dir, nil, "secrets", "--artifacts", art, art); r.code != exitOK {
		t.Errorf("secrets --artifacts on the run's artifacts: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	var code strings.Builder
	code.WriteString("package canary\n\nconst (\n")
	for i, sh := range canaryShapes {
		_, text := sh.gen(r)
		fmt.Fprintf(&code, "\tc%d = %q // %s\n", i, text, sh.name)
	}
	code.WriteString(")\n")
	os.WriteFile(filepath.Join(src, "canary.go"), []byte(code.String()), 0o644)
	r2 := soakkit(t, dir, nil, "secrets", "--format", "json", src)
	if r2.code != exitFailed {
		t.Fatalf("secrets on a tree holding canaries: exit %d, want %d\n%s%s", r2.code, exitFailed, r2.stdout, r2.stderr)
	}
	var rep struct {
		Findings []struct {
			Line int `json:"line"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r2.stdout), &rep); err != nil {
		t.Fatalf("secrets --format json: %v\n%s", err, r2.stdout)
	}
	lines := map[int]bool{}
	for _, f := range rep.Findings {
		lines[f.Line] = true
	}
	for i, sh := range canaryShapes {
		if !lines[4+i] {
			t.Errorf("the scanner does not find the %s canary in a source tree", sh.name)
		}
	}
}
