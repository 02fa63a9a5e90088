package main

import (
	"errors"
	"fmt"
	"testing"
)

func TestPrefixLines(t *testing.T) {
	tests := []struct {
		give error
		want string
	}{
		{errors.New("bad URL"), "notify: bad URL"},
		{errors.New("notify: secret not set"), "notify: secret not set"},
		{fmt.Errorf("notify: slack: %w", errors.New("x")), "notify: slack: x"},
		{errors.Join(errors.New("notify: a"), errors.New("b")), "notify: a\nnotify: b"},
	}
	for _, tt := range tests {
		if got := prefixLines(tt.give, "notify: "); got != tt.want {
			t.Errorf("prefixLines(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
