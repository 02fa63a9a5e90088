package secrets

import (
	"strings"
	"testing"
)

// TestYAMLBlockScalars checks values written as YAML block scalars, on the
// lines after their key: the finding is located where the secret starts.
func TestYAMLBlockScalars(t *testing.T) {
	tests := []struct {
		name, give, secret string
		line, col          int
	}{
		{"literal", "password: |\n  " + fmtPass + "\n", fmtPass, 2, 3},
		{"literal strip", "db:\n  password: |-\n    " + fmtPass + "\n  user: app\n", fmtPass, 3, 5},
		{"literal keep", "password: |+\n  " + fmtPass + "\n\n", fmtPass, 2, 3},
		{"folded", "client_secret: >\n  " + fmtSecret + "\n", fmtSecret, 2, 3},
		{"folded strip", "client_secret: >-\n    " + fmtSecret + "\n", fmtSecret, 2, 5},
		{"indentation indicator", "api_key: |2\n    " + fmtSecret + "\n", fmtSecret, 2, 5},
		{"indicator and chomping", "api_key: >-2\n   " + fmtSecret + "\n", fmtSecret, 2, 4},
		{"chomping and indicator", "api_key: |+4\n     " + fmtSecret + "\n", fmtSecret, 2, 6},
		{"comment after indicator", "password: | # rotated monthly\n  " + fmtPass + "\n", fmtPass, 2, 3},
		{"list item", "users:\n  - name: app\n    password: >-\n      " + fmtPass + "\n", fmtPass, 4, 7},
		{"quoted key", "\"client_secret\": |\n  " + fmtSecret + "\n", fmtSecret, 2, 3},
		{"crlf", "password: |\r\n  " + fmtPass + "\r\n", fmtPass, 2, 3},
		{"blank line first", "password: |\n\n  " + fmtPass + "\n", fmtPass, 3, 3},
		{"deep in a document", strings.Repeat("x: 1\n", 40) + "spec:\n  auth:\n    client_secret: |\n      " + fmtSecret + "\n", fmtSecret, 44, 7},
	}
	for _, tt := range tests {
		fs := ScanString(tt.give)
		ok := false
		for _, f := range fs {
			if f.Secret == tt.secret {
				ok = true
				if f.Line != tt.line || f.Column != tt.col {
					t.Errorf("%s: ScanString(%q): %s finding at %d:%d, want %d:%d", tt.name, tt.give, f.RuleID, f.Line, f.Column, tt.line, tt.col)
				}
			}
		}
		if !ok {
			t.Errorf("%s: ScanString(%q) = %v, want a finding of secret %q", tt.name, tt.give, fs, tt.secret)
		}
	}
}

// TestYAMLBlockScalarDecoys lists block scalars that hold no secret: text
// indented no deeper than the key (the block is empty), prose, several
// lines of a script.
func TestYAMLBlockScalarDecoys(t *testing.T) {
	for _, s := range []string{
		"password: |\nuser: app\n",
		"  password: |\n  user: app\n",
		"description: |\n  The password is rotated every month by the operator.\n",
		"password: |\n  ${DB_PASSWORD}\n",
		"token_script: |\n  export TOKEN=$(vault read -field=token secret/app)\n",
		"password: >\n  changeme\n",
	} {
		if fs := ScanString(s); len(fs) > 0 {
			t.Errorf("ScanString(%q) = %v, want nothing", s, fs)
		}
	}
}
