package secrets

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/internal/canonjson"

	"github.com/soakkit/soakkit/internal/sarif/sariftest"
)

func goldenReport(t *testing.T) *Report {
	t.Helper()
	dir := testTree(t)
	s := &Scanner{Root: dir, ArtifactsDir: filepath.Join(dir, "artifacts"), Allowlists: []Allowlist{{Globs: []string{"tests/**"}}}}
	rep, err := s.Scan(t.Context(), filepath.Join(dir, "src"), filepath.Join(dir, "config"), filepath.Join(dir, "tests"), filepath.Join(dir, "assets"))
	if err != nil {
		t.Fatal(err)
	}
	rep.Duration = 0
	rep.Errors = append(rep.Errors, UnreadFile{Path: "locked/file.txt", Err: "open locked/file.txt: permission denied"})
	return rep
}

func TestReportGolden(t *testing.T) {
	rep := goldenReport(t)
	ghp, stripe, pw := fixedSecrets()
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := rep.Write(&buf, f); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			for _, sec := range []string{ghp, stripe, pw, ghp[4:], stripe[8:]} {
				if bytes.Contains(got, []byte(sec)) {
					t.Errorf("%s output contains a secret", f)
				}
			}
			if f == FormatSARIF {
				if err := sariftest.Validate(got); err != nil {
					t.Errorf("SARIF output is not valid against the 2.1.0 schema: %v", err)
				}
			}
			path := filepath.Join("testdata", "report."+string(f))
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
	if err := rep.Write(&bytes.Buffer{}, "csv"); err == nil {
		t.Errorf("Write(csv) succeeded")
	}
}

func TestSARIFFingerprintsStable(t *testing.T) {
	var a, b bytes.Buffer
	goldenReport(t).Write(&a, FormatSARIF)
	goldenReport(t).Write(&b, FormatSARIF)
	if a.String() != b.String() {
		t.Errorf("SARIF differs between runs")
	}
	if !strings.Contains(a.String(), FingerprintKey) {
		t.Errorf("SARIF lacks partialFingerprints")
	}
}

func TestFindingNeverLeaks(t *testing.T) {
	ghp, _, _ := fixedSecrets()
	fs := ScanString("x = \"" + ghp + "\"\n")
	if len(fs) != 1 {
		t.Fatalf("findings = %v", fs)
	}
	f := fs[0]
	js, _ := json.Marshal(f)
	var logged bytes.Buffer
	logged.WriteString(f.String())
	logged.WriteString(f.LogValue().String())
	for _, out := range []string{string(js), logged.String()} {
		if strings.Contains(out, ghp[4:]) {
			t.Errorf("output leaks the secret: %s", out)
		}
	}
	if f.Secret != ghp {
		t.Errorf("Secret = %q, want the raw token", f.Secret)
	}
}

func TestJSONIsCanonical(t *testing.T) {
	for _, rep := range []*Report{goldenReport(t), {}} {
		var buf bytes.Buffer
		if err := rep.Write(&buf, FormatJSON); err != nil {
			t.Fatal(err)
		}
		want, err := canonjson.Marshal(rep.jsonReport())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), buf.String()); diff != "" {
			t.Errorf("streamed JSON differs from canonjson (-want +got):\n%s", diff)
		}
	}
}

func TestWriteOriginalLog(t *testing.T) {
	tests := []struct {
		name string
		give Report
		want []string
	}{
		{"clean", Report{Files: 3}, []string{"[INFO] Scanned 3 file(s), 0 match(es) found", "[OK] No secrets found"}},
		{"found", Report{Findings: []Finding{{File: "a.py", Line: 2, Match: "ghp_****"}}}, []string{"[ERROR] Real secrets detected (NOT allowlisted):", "  a.py:2: ghp_****", "[ERROR] Found 1 real secret(s)"}},
		{"allowlisted", Report{Findings: []Finding{{Suppressed: Allowlisted}}}, []string{"[INFO] 1 allowlisted finding(s) (ignored)"}},
		{"strict", Report{Strict: true, Findings: []Finding{{Suppressed: TestCredential}}}, []string{"[WARN] 1 allowlisted finding(s) (strict mode: exit 1)"}},
		{"critical", Report{Findings: []Finding{{Critical: true, File: "artifacts/x.log", Line: 1, Match: "****"}}}, []string{"[CRITICAL] Secrets found in artifacts/** (bypasses allowlist):"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		tt.give.WriteOriginalLog(&buf)
		for _, w := range tt.want {
			if !strings.Contains(buf.String(), w+"\n") {
				t.Errorf("%s: output %q lacks %q", tt.name, buf.String(), w)
			}
		}
	}
}

func TestSummaryUnits(t *testing.T) {
	tests := []struct {
		bytes int64
		d     time.Duration
		want  string
	}{
		{0, 0, "0 B in 0 µs"},
		{57, 850 * time.Microsecond, "57 B in 850 µs"},
		{1023, 999 * time.Microsecond, "1023 B in 999 µs"},
		{1024, time.Millisecond, "1.0 KiB in 1 ms"},
		{3500, 42*time.Millisecond + 700*time.Microsecond, "3.4 KiB in 42 ms"},
		{50_855_936, 3449 * time.Millisecond, "48.5 MiB in 3.4 s"},
		{222_298_112, 59990 * time.Millisecond, "212 MiB in 60.0 s"},
		{3 << 30, 125 * time.Second, "3.0 GiB in 2m5s"},
	}
	for _, tt := range tests {
		s := (&Report{Bytes: tt.bytes, Duration: tt.d}).Summary()
		if !strings.Contains(s, ", "+tt.want+":") {
			t.Errorf("Summary() with %d bytes in %v = %q, want it to say %q", tt.bytes, tt.d, s, tt.want)
		}
	}
}
