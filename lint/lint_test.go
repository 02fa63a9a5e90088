package lint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/lint"
	"github.com/soakkit/soakkit/lint/config"

	"github.com/soakkit/soakkit/internal/sarif/sariftest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// gopathOptions runs the Go loader in GOPATH mode on testdata/src, where
// offline client_golang stubs live.
func gopathOptions(t *testing.T) lint.Options {
	t.Helper()
	gopath, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return lint.Options{
		Dir: filepath.Join(gopath, "src"),
		Env: []string{"GOPATH=" + gopath, "GO111MODULE=off", "GOPROXY=off", "GOFLAGS="},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".sarif") {
		var w, g any
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, got)
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
		return
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// TestRunMixed lints a tree with a Go package, a Python file and a saved
// exposition, and checks every output format against golden files.
func TestRunMixed(t *testing.T) {
	skipWithoutGoUnderWine(t)
	opts := gopathOptions(t)
	rep, err := lint.Run(context.Background(), opts, "./runner/...", "runner/metrics.prom")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 4 {
		t.Errorf("Files = %d, want 4 (2 Go, 1 Python, 1 exposition)", rep.Files)
	}
	for _, f := range lint.Formats {
		var buf bytes.Buffer
		if err := lint.Write(&buf, rep, f); err != nil {
			t.Fatal(err)
		}
		golden(t, "mixed."+string(f), buf.Bytes())
		if f == lint.FormatSARIF {
			if err := sariftest.Validate(buf.Bytes()); err != nil {
				t.Errorf("SARIF output is not valid against the 2.1.0 schema: %v", err)
			}
		}
	}
	if got := rep.ExitCode(""); got != lint.ExitFindings {
		t.Errorf("ExitCode = %d, want %d", got, lint.ExitFindings)
	}
	// Information is left out of text and GitHub output unless asked for.
	for _, f := range []lint.Format{lint.FormatText, lint.FormatGitHub} {
		var plain, verbose bytes.Buffer
		lint.Write(&plain, rep, f)
		lint.Write(&verbose, rep, f, lint.ShowInfo())
		const info = "label names of NewGaugeVec are not constant"
		if strings.Contains(plain.String(), info) || !strings.Contains(verbose.String(), info) {
			t.Errorf("%s: info finding in plain output %v, in ShowInfo output %v; want false, true",
				f, strings.Contains(plain.String(), info), strings.Contains(verbose.String(), info))
		}
	}
}

func TestRunCleanPackage(t *testing.T) {
	skipWithoutGoUnderWine(t)
	rep, err := lint.Run(context.Background(), gopathOptions(t), "./runner/clean")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || len(rep.Errors) != 0 || rep.ExitCode("") != lint.ExitClean {
		t.Errorf("Run(clean) = %d findings, %d errors, exit %d; want none, 0", len(rep.Findings), len(rep.Errors), rep.ExitCode(""))
	}
}

func TestRunGoFile(t *testing.T) {
	skipWithoutGoUnderWine(t)
	rep, err := lint.Run(context.Background(), gopathOptions(t), "runner/dirty/dirty.go")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("Run(dirty.go) found nothing")
	}
	for _, f := range rep.Findings {
		if f.Path != "runner/dirty/dirty.go" {
			t.Errorf("finding outside the named file: %v", f)
		}
	}
}

func TestRunStdinAndURL(t *testing.T) {
	body := "# HELP app_jobs Jobs.\n# TYPE app_jobs counter\napp_jobs 1\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	opts := lint.Options{Dir: t.TempDir(), Stdin: strings.NewReader(body), Client: srv.Client()}
	rep, err := lint.Run(context.Background(), opts, "-", srv.URL+"/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.String())
	}
	want := []string{
		`-:1:1: warning: metric "app_jobs": counter metrics should have "_total" suffix [exposition/counter-total]`,
		srv.URL + `/metrics#app_jobs: warning: metric "app_jobs": counter metrics should have "_total" suffix [exposition/counter-total]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Run(stdin, URL) mismatch (-want +got):\n%s", diff)
	}
}

func TestRunUsageErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		opts    lint.Options
		targets []string
	}{
		{"missing path", lint.Options{Dir: t.TempDir()}, []string{"./nope"}},
		{"unknown analyzer", lint.Options{Dir: t.TempDir(), Analyzers: []string{"nope"}}, nil},
		{"unknown file type", lint.Options{Dir: "testdata"}, []string{"golden"}},
	}
	// A file of unknown type.
	tmp := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmp, "x.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests[2] = struct {
		name    string
		opts    lint.Options
		targets []string
	}{"unknown file type", lint.Options{Dir: tmp}, []string{"x.csv"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lint.Run(ctx, tt.opts, tt.targets...)
			if !errors.Is(err, lint.ErrUsage) {
				t.Errorf("Run error = %v, want ErrUsage", err)
			}
		})
	}
}

func TestRunTargetErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.prom"), []byte("metric{ 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := lint.Run(context.Background(), lint.Options{Dir: dir}, "bad.prom")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Path != "bad.prom" {
		t.Fatalf("Errors = %v, want one for bad.prom", rep.Errors)
	}
	if got := rep.ExitCode(""); got != lint.ExitError {
		t.Errorf("ExitCode = %d, want %d", got, lint.ExitError)
	}
}

func TestTypeErrorIsTargetError(t *testing.T) {
	skipWithoutGoUnderWine(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/broken\n\ngo 1.26\n")
	write(t, filepath.Join(dir, "b.go"), "package broken\n\nvar X int = \"s\"\n")
	rep, err := lint.Run(context.Background(), lint.Options{Dir: dir, Env: []string{"GOPROXY=off", "GOFLAGS=-mod=mod"}}, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) == 0 || !strings.HasPrefix(rep.Errors[0].Path, "b.go:3") {
		t.Fatalf("Errors = %v, want a type error at b.go:3", rep.Errors)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "app.py"), "import json\n\ndef f(p, f):\n    json.dump(p, f)\n    print('✓')\n")
	ctx := context.Background()
	rep, err := lint.Run(ctx, lint.Options{Dir: dir}, ".")
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode("") != lint.ExitFindings || len(rep.Findings) != 2 {
		t.Fatalf("first run: %d findings, exit %d; want 2, 1", len(rep.Findings), rep.ExitCode(""))
	}
	base := filepath.Join(dir, "baseline.json")
	if err := lint.WriteBaseline(base, rep); err != nil {
		t.Fatal(err)
	}
	// A new finding after the baseline still fails; the old ones do not.
	write(t, filepath.Join(dir, "app.py"), "import json\n\n\ndef f(p, f):\n    json.dump(p, f)\n    print('✓')\n    f.write(json.dumps(p))\n")
	cfg := config.Default()
	cfg.Baseline = base
	rep, err = lint.Run(ctx, lint.Options{Dir: dir, Config: cfg}, ".")
	if err != nil {
		t.Fatal(err)
	}
	var fresh []string
	for _, f := range rep.Findings {
		if !f.Baselined {
			fresh = append(fresh, f.Rule)
		}
	}
	if diff := cmp.Diff([]string{"py-jsonwrite/write-dumps"}, fresh); diff != "" {
		t.Errorf("non-baselined findings mismatch (-want +got):\n%s", diff)
	}
	if rep.Failing("") != 1 {
		t.Errorf("Failing = %d, want 1", rep.Failing(""))
	}
}

func TestFailOn(t *testing.T) {
	warn := &lint.Report{Files: 1, Findings: []lint.Finding{{Rule: "a/b", Severity: config.SeverityInfo}, {Rule: "a/c", Severity: config.SeverityWarning}}}
	errs := &lint.Report{Files: 1, Findings: []lint.Finding{{Rule: "a/d", Severity: config.SeverityError}}}
	tests := []struct {
		name   string
		rep    *lint.Report
		failOn lint.Severity
		want   int
	}{
		{"warnings pass by default", warn, "", lint.ExitClean},
		{"errors fail by default", errs, "", lint.ExitFindings},
		{"fail on error", warn, config.SeverityError, lint.ExitClean},
		{"fail on warning", warn, config.SeverityWarning, lint.ExitFindings},
		{"fail on info", warn, config.SeverityInfo, lint.ExitFindings},
		{"nothing linted", &lint.Report{}, "", lint.ExitError},
	}
	for _, tt := range tests {
		if got := tt.rep.ExitCode(tt.failOn); got != tt.want {
			t.Errorf("%s: ExitCode(%q) = %d, want %d", tt.name, tt.failOn, got, tt.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range lint.Formats {
		if got, err := lint.ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := lint.ParseFormat("xml"); !errors.Is(err, lint.ErrUsage) {
		t.Errorf("ParseFormat(xml) error = %v, want ErrUsage", err)
	}
}

// TestRunURLDefaultClient fetches with Run's own client; TestMain's goleak
// check proves it leaves no connection goroutines behind.
func TestRunURLDefaultClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write([]byte("# HELP app_up Up.\n# TYPE app_up gauge\napp_up 1\n"))
	}))
	defer srv.Close()
	rep, err := lint.Run(context.Background(), lint.Options{Dir: t.TempDir()}, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 || len(rep.Findings) != 0 || rep.Files != 1 {
		t.Errorf("Run(URL) = %v errors, %v findings, %d files; want a clean exposition", rep.Errors, rep.Findings, rep.Files)
	}
}

func TestRunExcludeGo(t *testing.T) {
	skipWithoutGoUnderWine(t)
	opts := gopathOptions(t)
	cfg := config.Default()
	cfg.Paths.Exclude = append(cfg.Paths.Exclude, "runner/dirty/**")
	opts.Config = cfg
	rep, err := lint.Run(context.Background(), opts, "./runner/dirty", "./runner/clean")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || rep.Files != 1 {
		t.Errorf("Run with runner/dirty excluded: %v findings, %d files; want none, 1", rep.Findings, rep.Files)
	}
}

// TestRunURLCredentials checks that user information in a URL target never
// reaches findings or errors, in any format.
func TestRunURLCredentials(t *testing.T) {
	body := "# HELP app_jobs Jobs.\n# TYPE app_jobs counter\napp_jobs 1\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	withCreds := strings.Replace(srv.URL, "://", "://scraper:hunter2pw@", 1)
	opts := lint.Options{Dir: t.TempDir(), Client: srv.Client()}
	rep, err := lint.Run(context.Background(), opts, withCreds+"/metrics", withCreds+"/missing")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 || len(rep.Errors) == 0 {
		t.Fatalf("Run = %d findings, %d errors; want some of each", len(rep.Findings), len(rep.Errors))
	}
	for _, f := range lint.Formats {
		var buf strings.Builder
		if err := lint.Write(&buf, rep, f); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "hunter2pw") || strings.Contains(buf.String(), "scraper") {
			t.Errorf("Write(%s) shows the URL's credentials:\n%s", f, buf.String())
		}
	}
	if got, want := rep.Findings[0].Path, strings.Replace(srv.URL, "://", "://****@", 1)+"/metrics#app_jobs"; got != want {
		t.Errorf("finding path = %q, want %q", got, want)
	}
}
