package asciidec

import (
	"strconv"
	"testing"
)

func TestUint(t *testing.T) {
	tests := []struct {
		give   string
		want   uint64
		wantOK bool
	}{
		{"0", 0, true},
		{"7", 7, true},
		{"007", 7, true},
		{"4242", 4242, true},
		{"9999999999999999999", 9999999999999999999, true},
		{"", 0, false},
		{"10000000000000000000", 0, false}, // 20 digits: might overflow
		{"-1", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1.5", 0, false},
		{"1e3", 0, false},
		{"12a", 0, false},
	}
	for _, tt := range tests {
		got, ok := Uint([]byte(tt.give))
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Uint(%q) = %d, %t; want %d, %t", tt.give, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestUintAllocs(t *testing.T) {
	b := []byte("1234567890")
	if n := testing.AllocsPerRun(100, func() { Uint(b) }); n != 0 {
		t.Errorf("Uint allocates %v times a call, want 0", n)
	}
}

// FuzzUint checks Uint against strconv.ParseUint: it accepts exactly the
// strings of 1 to 19 ASCII digits, with ParseUint's value.
func FuzzUint(f *testing.F) {
	for _, s := range []string{"0", "42", "0042", "9999999999999999999", "18446744073709551615", "-1", "1_000", "0x1f", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := Uint([]byte(s))
		plain := len(s) >= 1 && len(s) <= 19
		for _, c := range []byte(s) {
			plain = plain && c >= '0' && c <= '9'
		}
		if ok != plain {
			t.Fatalf("Uint(%q) ok = %t, want %t", s, ok, plain)
		}
		if !ok {
			if got != 0 {
				t.Fatalf("Uint(%q) = %d on failure, want 0", s, got)
			}
			return
		}
		want, err := strconv.ParseUint(s, 10, 64)
		if err != nil || got != want {
			t.Fatalf("Uint(%q) = %d; strconv.ParseUint: %d, %v", s, got, want, err)
		}
	})
}
