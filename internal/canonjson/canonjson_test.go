package canonjson

import (
	"testing"
	"time"
)

func TestMarshal(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	tests := []struct {
		name string
		give any
		want string
	}{
		{"sorted keys", map[string]int{"b": 2, "a": 1, "c": 3}, `{"a":1,"b":2,"c":3}` + "\n"},
		{"struct fields sorted", struct {
			Z string `json:"z"`
			A int    `json:"a"`
		}{"x", 1}, `{"a":1,"z":"x"}` + "\n"},
		{"time to utc", map[string]time.Time{"t": time.Date(2026, 11, 26, 17, 0, 0, 500000000, est)}, `{"t":"2026-11-26T22:00:00.5Z"}` + "\n"},
		{"timestamp string to utc", []string{"2026-11-26T12:00:00+01:00"}, `["2026-11-26T11:00:00Z"]` + "\n"},
		{"non timestamp kept", []string{"2026-11-26 not a time", "hello"}, `["2026-11-26 not a time","hello"]` + "\n"},
		{"no html escaping", map[string]string{"s": "<a&b>"}, `{"s":"<a&b>"}` + "\n"},
		{"big numbers kept exact", map[string]any{"n": uint64(18446744073709551615), "f": 0.1}, `{"f":0.1,"n":18446744073709551615}` + "\n"},
		{"nested", map[string]any{"b": []any{map[string]int{"y": 1, "x": 2}}, "a": nil}, `{"a":null,"b":[{"x":2,"y":1}]}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.give)
			if err != nil {
				t.Fatalf("Marshal(%v): %v", tt.give, err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal(%v) = %s, want %s", tt.give, got, tt.want)
			}
		})
	}
}

func TestMarshalError(t *testing.T) {
	if _, err := Marshal(map[string]any{"c": make(chan int)}); err == nil {
		t.Error("Marshal(chan) returned no error")
	}
}
