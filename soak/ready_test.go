package soak

import "testing"

func TestReadyString(t *testing.T) {
	tests := []struct {
		give Ready
		want string
	}{
		{Ready{}, "no readiness check"},
		{Ready{TCP: "127.0.0.1:8080"}, "tcp 127.0.0.1:8080"},
		{Ready{HTTP: "http://x/healthz", LogLine: "ready$"}, `http http://x/healthz and an output line matching "ready$"`},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.give, got, tt.want)
		}
	}
}
