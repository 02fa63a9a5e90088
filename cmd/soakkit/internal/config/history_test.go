package config

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/strictyaml"
)

func TestSecretsHistorySetting(t *testing.T) {
	tests := []struct {
		give string // secrets.history value
		want []string
	}{
		{"", nil},
		{"false", nil},
		{"true", []string{"--history"}},
		{"all", []string{"--history", "--all"}},
		{"origin/main..HEAD", []string{"--history=origin/main..HEAD"}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			y := "plan:\n  steps:\n    - name: secrets\n      builtin: secrets\n      args: [.]\n"
			if tt.give != "" {
				y += "secrets:\n  history: " + tt.give + "\n"
			}
			f, err := parse("x.yaml", t.TempDir(), []byte(y))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, f.Secrets.HistoryArgs()); diff != "" {
				t.Errorf("HistoryArgs mismatch (-want +got):\n%s", diff)
			}
			want := append(append([]string{}, tt.want...), ".")
			if diff := cmp.Diff(want, f.builtinArgs(f.Plan.Steps[0])); diff != "" {
				t.Errorf("builtinArgs mismatch (-want +got):\n%s", diff)
			}
		})
	}
	_, err := parse("x.yaml", t.TempDir(), []byte("secrets:\n  history: --output=x\n"))
	var se *strictyaml.Error
	if !errors.As(err, &se) || se.Field != "secrets.history" || se.Line != 2 {
		t.Errorf("parse(history: --output=x) error = %v, want a strictyaml.Error at secrets.history, line 2", err)
	}
}
