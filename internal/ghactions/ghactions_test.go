package ghactions

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAnnotationString(t *testing.T) {
	tests := []struct {
		name string
		give Annotation
		want string
	}{
		{"plain", Annotation{Message: "boom"}, "::error::boom"},
		{"full", Annotation{Level: Warning, File: "a/b.go", Line: 3, Col: 4, EndLine: 5, EndCol: 6, Title: "t", Message: "m"},
			"::warning file=a/b.go,line=3,col=4,endLine=5,endColumn=6,title=t::m"},
		{"escapes", Annotation{Level: Notice, File: "a,b:c.go", Title: "x%y", Message: "line1\nline2\r%"},
			"::notice file=a%2Cb%3Ac.go,title=x%25y::line1%0Aline2%0D%25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.give.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAppendSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", path)
	if err := AppendSummary("# one"); err != nil {
		t.Fatal(err)
	}
	if err := AppendSummary("two\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "# one\ntwo\n" {
		t.Errorf("summary file = %q", got)
	}
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	if err := AppendSummary("x"); err != nil {
		t.Errorf("AppendSummary without the variable: %v", err)
	}
}
