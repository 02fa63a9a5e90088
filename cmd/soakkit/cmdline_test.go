package main

import (
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseServiceArgv checks that a --service value is split as the
// platform's users write it: on Windows a backslash is part of a path, on
// Unix it escapes the next character.
func TestParseServiceArgv(t *testing.T) {
	tests := []struct {
		name string
		goos string // "" for every OS
		give string
		want []string
	}{
		{name: "words", give: `app -x "a b"`, want: []string{"app", "-x", "a b"}},
		{name: "blanks", give: "  app   -x  ", want: []string{"app", "-x"}},
		{name: "windows-path", goos: "windows", give: `C:\tools\leaky.exe -mib-per-min 300`, want: []string{`C:\tools\leaky.exe`, "-mib-per-min", "300"}},
		{name: "windows-quoted", goos: "windows", give: `"C:\Program Files\app.exe" -v`, want: []string{`C:\Program Files\app.exe`, "-v"}},
		{name: "unix-escape", goos: "!windows", give: `my\ app -v`, want: []string{"my app", "-v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			switch {
			case tt.goos == "windows" && runtime.GOOS != "windows",
				tt.goos == "!windows" && runtime.GOOS == "windows":
				t.Skipf("%s rules only", tt.goos)
			}
			svc, err := parseService(tt.give, "")
			if err != nil {
				t.Fatalf("parseService(%q): %v", tt.give, err)
			}
			if diff := cmp.Diff(tt.want, svc.Argv); diff != "" {
				t.Errorf("parseService(%q) argv mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
	for _, give := range []string{"", "   "} {
		if _, err := parseService(give, ""); err == nil {
			t.Errorf("parseService(%q) = nil error, want an empty command error", give)
		}
	}
}
