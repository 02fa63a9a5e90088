package summary

import "testing"

func TestFmtQuantity(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{31400, "MiB/h", "+31 GiB/h"},
		{31.4, "MiB/h", "+31 MiB/h"},
		{2.1 / 1024, "MiB/h", "+2.1 KiB/h"},
		{-0.5, "MiB", "-512 KiB"},
		{3.0 / (1 << 20), "MiB/h", "+3.0 B/h"},
		{0, "MiB/h", "+0 MiB/h"},
		{0.12, "s/h", "+120 ms/h"},
		{-2.5, "s", "-2.5 s"},
		{0.0123, "FDs/iteration", "+0.012 FDs/iteration"},
		{12345, "goroutines/h", "+12345 goroutines/h"},
	}
	for _, tt := range tests {
		if got := fmtQuantity(tt.v, tt.unit); got != tt.want {
			t.Errorf("fmtQuantity(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

func TestFmtMS(t *testing.T) {
	tests := []struct {
		give int64
		want string
	}{{0, "0 ms"}, {29, "29 ms"}, {999, "999 ms"}, {1500, "1.5s"}, {9100, "9.1s"}, {125000, "2.1 min"}}
	for _, tt := range tests {
		if got := fmtMS(tt.give); got != tt.want {
			t.Errorf("fmtMS(%d) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
