package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/soakkit/soakkit/soak/summary"
)

// TestMaxBytes renders a page too large for its byte limit: each limit
// gets the longest form that fits, which says on the page how it was
// shortened, and a limit below the shortest form is an error that writes
// nothing.
func TestMaxBytes(t *testing.T) {
	dir := synthDir(t, leakySoak())
	full := render(t, dir, nil)
	tests := []struct {
		name     string
		limit    int64
		wantNote bool
		noCharts bool
	}{
		{name: "no limit", limit: 0},
		{name: "room to spare", limit: int64(len(full)) + 1},
		{name: "two thirds", limit: int64(len(full)) * 2 / 3, wantNote: true},
		{name: "three fifths", limit: int64(len(full)) * 3 / 5, wantNote: true},
		{name: "no room for charts", limit: 40_000, wantNote: true, noCharts: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := render(t, dir, &Options{MaxBytes: tt.limit})
			if tt.limit > 0 && int64(len(page)) > tt.limit {
				t.Errorf("page of %d bytes under a %d-byte limit", len(page), tt.limit)
			}
			if got := strings.Contains(page, "This page was shortened"); got != tt.wantNote {
				t.Errorf("page says it was shortened: %v, want %v", got, tt.wantNote)
			}
			if !tt.wantNote {
				if normalize(page, dir) != normalize(full, dir) {
					t.Errorf("a page that fits differs from the page without a limit")
				}
				return
			}
			if got := strings.Contains(page, "<svg"); got == tt.noCharts {
				t.Errorf("page has charts: %v, want %v", got, !tt.noCharts)
			}
			// Every link to a failure's details has its target.
			for _, m := range regexp.MustCompile(`href="#(iter-[0-9]+)"`).FindAllStringSubmatch(page, -1) {
				if !strings.Contains(page, `id="`+m[1]+`"`) {
					t.Errorf("link to #%s without its target", m[1])
				}
			}
			// The verdict is the summary's whatever the form.
			if !strings.Contains(page, "LEAK") && !strings.Contains(page, "FAIL") {
				t.Errorf("shortened page lost its verdict")
			}
		})
	}

	old := []byte("an earlier report")
	path := filepath.Join(dir, "soak", "report.html")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(dir, &Options{MaxBytes: 2000})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("WriteFile with a 2000-byte limit: %v, want ErrTooLarge", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, old) {
		t.Errorf("a page that does not fit replaced the earlier report")
	}
}

// TestReadOnePass: a Run read once renders the same page as Render, whose
// summary it carries, and refuses options that would judge again.
func TestReadOnePass(t *testing.T) {
	dir := synthDir(t, leakySoak())
	r, err := Read(dir, nil)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want, err := summary.Compute(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, r.Summary, cmpopts.IgnoreUnexported(summary.Summary{})); diff != "" {
		t.Errorf("Run summary mismatch with summary.Compute (-want +got):\n%s", diff)
	}
	var buf bytes.Buffer
	if err := r.Render(&buf, &Options{Title: "t"}); err != nil {
		t.Fatalf("Run.Render: %v", err)
	}
	if got, want := normalize(buf.String(), dir), normalize(render(t, dir, &Options{Title: "t"}), dir); got != want {
		t.Errorf("Run.Render and Render differ")
	}
	if got, want := normalize(buf.String(), dir), normalize(render(t, dir, &Options{Title: "t", Summary: want}), dir); got != want {
		t.Errorf("Run.Render and Render with a summary differ")
	}
	if err := r.Render(&buf, &Options{Summary: want}); err == nil {
		t.Errorf("Run.Render accepted Options.Summary")
	}
	if err := r.WriteFile(&Options{SummaryConfig: &summary.Config{}}); err == nil {
		t.Errorf("Run.WriteFile accepted Options.SummaryConfig")
	}
}
