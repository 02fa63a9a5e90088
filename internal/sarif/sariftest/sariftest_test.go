package sariftest

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		give  string
		valid bool
	}{
		{"minimal", `{"version":"2.1.0","runs":[]}`, true},
		{"with tool", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}]}`, true},
		{"wrong version", `{"version":"2.0.0","runs":[]}`, false},
		{"unknown top-level key", `{"version":"2.1.0","runs":[],"extra":1}`, false},
		{"driver without name", `{"version":"2.1.0","runs":[{"tool":{"driver":{}}}]}`, false},
		{"bad level", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}`, false},
		{"not json", `{`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate([]byte(tt.give))
			if (err == nil) != tt.valid {
				t.Errorf("Validate(%s) = %v, want valid=%v", strings.TrimSpace(tt.give), err, tt.valid)
			}
		})
	}
}
