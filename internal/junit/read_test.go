package junit

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readAll returns every Result of the report at path.
func readAll(t *testing.T, path string) []Result {
	t.Helper()
	var rs []Result
	if err := ReadFile(path, 0, func(r Result) error { rs = append(rs, r); return nil }); err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return rs
}

// TestReadDialects reads a report of each runner (pytest's is real output
// of Debian's python3-pytest on testdata/pytest; the others follow each
// tool's documented format) and compares what was read with a golden file.
func TestReadDialects(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "read", "*.xml"))
	if err != nil || len(files) < 7 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".xml")
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(readAll(t, f), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(f, ".xml") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("ReadFile(%s) mismatch (-want +got):\n%s", f, diff)
			}
		})
	}
}

// TestReadOutcomes checks the points of each dialect that matter for
// verdicts, independently of the golden files.
func TestReadOutcomes(t *testing.T) {
	type outcome struct {
		Group, Name string
		Outcome     Outcome
		Reruns      int
	}
	tests := []struct {
		file string
		want []outcome
	}{
		{"pytest.xml", []outcome{
			{"tests.test_suite", "test_stable_add", Passed, 0},
			{"tests.test_suite", "test_stable_param[1]", Passed, 0},
			{"tests.test_suite", "test_stable_param[2]", Passed, 0},
			{"tests.test_suite", "test_intermittent", Passed, 0},
			{"tests.test_suite", "test_always_fails", Failed, 0},
			{"tests.test_suite", "test_skipped", Skipped, 0},
		}},
		{"surefire.xml", []outcome{
			{"com.example.CartTest", "addsItem", Passed, 0},
			{"com.example.CartTest", "checkoutTimesOut", Passed, 1},
			{"com.example.CartTest", "removesItem", Failed, 2},
			{"com.example.CartTest", "connectsToDatabase", Errored, 0},
		}},
		{"nextest.xml", []outcome{
			{"mycrate", "tests::parses_header", Passed, 0},
			{"mycrate", "tests::reconnects", Passed, 1},
			{"mycrate::bin/mytool", "cli::rejects_empty_input", Failed, 1},
		}},
		{"ctest.xml", []outcome{
			{"unit_parser", "unit_parser", Passed, 0},
			{"unit_network", "unit_network", Failed, 0},
			{"needs_gpu", "needs_gpu", Skipped, 0},
			{"legacy_io", "legacy_io", Skipped, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var got []outcome
			for _, r := range readAll(t, filepath.Join("testdata", "read", tt.file)) {
				g, n := r.ID()
				got = append(got, outcome{g, n, r.Outcome, len(r.Reruns)})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		max      int64
		wantLine int
		wantIs   error
		mention  string
	}{
		{"unclosed", "<testsuites>\n<testsuite name=\"a\">\n<testcase name=\"x\">\n", 0, 4, nil, "unexpected"},
		{"bad tag", "<testsuite>\n<testcase name=\"x\"></testcas>\n</testsuite>\n", 0, 2, nil, "testcas"},
		{"not junit", "<html><body/></html>", 0, 1, nil, "html"},
		{"empty", "", 0, 0, nil, "no testsuites"},
		{"nameless case", "<testsuite>\n<testcase time=\"1\"/>\n</testsuite>", 0, 2, nil, "without a name"},
		{"too large", "<testsuite name=\"a\">" + strings.Repeat("<testcase name=\"x\"/>", 100) + "</testsuite>", 200, 1, ErrTooLarge, "over 200 bytes"},
		{"undefined entity", "<testsuite>\n<testcase name=\"&secret;\"/>\n</testsuite>", 0, 2, nil, "entity"},
		{"too deep", strings.Repeat("<testsuites>", 100), 0, 1, nil, "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Read(strings.NewReader(tt.give), "r.xml", tt.max, func(Result) error { return nil })
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("Read() = %v, want a *ReadError", err)
			}
			if re.File != "r.xml" || re.Line != tt.wantLine {
				t.Errorf("Read() error at %s:%d, want r.xml:%d (%v)", re.File, re.Line, tt.wantLine, err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Read() = %v, want it to wrap %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("Read() = %q, want it to mention %q", err, tt.mention)
			}
		})
	}
}

// TestNoEntityExpansion: encoding/xml neither reads external entities nor
// expands entities a DOCTYPE declares, so neither a file's contents nor a
// billion laughs can reach a Result.
func TestNoEntityExpansion(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("TOP-SECRET-CONTENT"), 0o644); err != nil {
		t.Fatal(err)
	}
	xxe := `<?xml version="1.0"?>
<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM "file://` + filepath.ToSlash(secret) + `">]>
<testsuite name="s"><testcase name="t"><failure message="&xxe;"/></testcase></testsuite>`
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<testsuite name="s"><testcase name="&lol3;"/></testsuite>`
	for name, doc := range map[string]string{"external": xxe, "billion laughs": laughs} {
		t.Run(name, func(t *testing.T) {
			var rs []Result
			err := Read(strings.NewReader(doc), "e.xml", 0, func(r Result) error { rs = append(rs, r); return nil })
			var re *ReadError
			if !errors.As(err, &re) || re.Line != 3 && re.Line != 4 {
				t.Errorf("Read() = %v, want a ReadError at the entity reference", err)
			}
			for _, r := range rs {
				if strings.Contains(r.Message, "TOP-SECRET") || strings.Contains(r.Name, "lollol") {
					t.Errorf("entity expanded into %+v", r)
				}
			}
		})
	}
	// A DOCTYPE alone is ignored.
	rs := []Result{}
	err := Read(strings.NewReader(`<!DOCTYPE testsuite SYSTEM "junit.dtd"><testsuite><testcase name="a"/></testsuite>`), "d.xml", 0,
		func(r Result) error { rs = append(rs, r); return nil })
	if err != nil || len(rs) != 1 {
		t.Errorf("Read(DOCTYPE then a case) = %d results, %v; want 1, nil", len(rs), err)
	}
}

// TestOutputIsATail: a case's output is kept as a bounded tail however
// much the report holds.
func TestOutputIsATail(t *testing.T) {
	big := strings.Repeat("early line\n", 100_000) + "the last line"
	doc := "<testsuite><testcase name=\"a\"><system-out>" + big + "</system-out><system-err>err tail</system-err></testcase></testsuite>"
	rs := []Result{}
	if err := Read(strings.NewReader(doc), "big.xml", 0, func(r Result) error { rs = append(rs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || len(rs[0].Output) > maxText || !strings.HasSuffix(rs[0].Output, "the last line\nerr tail") {
		t.Errorf("Output = %d bytes ending %q, want at most %d ending with both streams' ends", len(rs[0].Output), rs[0].Output[max(0, len(rs[0].Output)-40):], maxText)
	}
}

func TestCallbackErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ReadFile(filepath.Join("testdata", "read", "jest.xml"), 0, func(Result) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("ReadFile with a failing callback = %v after %d calls, want the callback's error after 1", err, n)
	}
}

// FuzzRead checks that any input yields results or a *ReadError naming the
// file, never a panic, and that kept text stays bounded.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "read", "*.xml"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<testsuite><testcase name=\"a\"><failure>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := Read(strings.NewReader(string(b)), "f.xml", 1<<20, func(r Result) error {
			if len(r.Output) > maxText || len(r.Message) > maxMessage || len(r.Properties) > maxProperties {
				t.Errorf("unbounded result: %d output bytes, %d message bytes, %d properties", len(r.Output), len(r.Message), len(r.Properties))
			}
			return nil
		})
		var re *ReadError
		if err != nil && (!errors.As(err, &re) || re.File != "f.xml") {
			t.Errorf("Read() = %v (%T), want nil or a *ReadError for f.xml", err, err)
		}
	})
}
