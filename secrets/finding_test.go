package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/secrets/internal/gen"
)

// TestFindingNeverPrintsSecret checks every way a Finding is commonly
// printed: String, the fmt verbs (including %#v, which bypasses String),
// JSON and slog.
func TestFindingNeverPrintsSecret(t *testing.T) {
	tok := gen.Kinds[slices.IndexFunc(gen.Kinds, func(k gen.Kind) bool { return k.Rule == "github-pat" })].Gen(rand.New(rand.NewPCG(1, 2)))
	fds := ScanString("token: " + tok + "\n")
	if len(fds) == 0 {
		t.Fatal("ScanString found nothing in a planted GitHub token")
	}
	fd := fds[0]
	if fd.Secret == "" {
		t.Fatal("finding has no Secret")
	}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("found", "finding", fd, "ptr", &fd)
	js, err := json.Marshal(fd)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{
		"String":    fd.String(),
		"%v":        fmt.Sprintf("%v", fd),
		"%+v":       fmt.Sprintf("%+v", fd),
		"%#v":       fmt.Sprintf("%#v", fd),
		"%#v ptr":   fmt.Sprintf("%#v", []*Finding{&fd}),
		"%#v slice": fmt.Sprintf("%#v", fds),
		"json":      string(js),
		"slog":      logBuf.String(),
	}
	for how, out := range outs {
		if strings.Contains(out, fd.Secret) {
			t.Errorf("%s of a Finding contains its secret: %s", how, out)
		}
	}
	if got := fmt.Sprintf("%#v", fd); !strings.HasPrefix(got, "secrets.Finding{") || !strings.Contains(got, `Secret:"****"`) {
		t.Errorf("%%#v = %s, want secrets.Finding{… Secret:\"****\" …}", got)
	}
}

// TestMatchMasksEveryOccurrence checks that a secret repeated elsewhere in
// the match (here the user name equals the password) is masked there too,
// as Redact masks it.
func TestMatchMasksEveryOccurrence(t *testing.T) {
	in := "DATABASE_URL=postgres://Zq7vR2kPx9:Zq7vR2kPx9@db:5432/app\n" // soakkit:allow: generated fixture
	fds := ScanString(in)
	if len(fds) == 0 {
		t.Fatalf("ScanString(%q) found nothing", in)
	}
	for _, fd := range fds {
		if strings.Contains(fd.Match, "Zq7vR2kPx9") {
			t.Errorf("ScanString(%q): %s match %q shows the password", in, fd.RuleID, fd.Match)
		}
	}
	if got := Redact(in); strings.Contains(got, "Zq7vR2kPx9") {
		t.Errorf("Redact(%q) = %q", in, got)
	}
}
