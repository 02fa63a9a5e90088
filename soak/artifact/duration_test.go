package artifact

import (
	"errors"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		give    string
		want    time.Duration
		wantErr bool
	}{
		{give: "90m", want: 90 * time.Minute},
		{give: "1h30m", want: 90 * time.Minute},
		{give: " 2s ", want: 2 * time.Second},
		{give: "0", want: 0},
		{give: "", wantErr: true},
		{give: "24", wantErr: true}, // a unitless number is an error, never hours or seconds
		{give: "1.5", wantErr: true},
		{give: "-5m", wantErr: true},
		{give: "5 minutes", wantErr: true},
		{give: "73h", want: 73 * time.Hour}, // no silent range clamp either
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.give)
		if tt.wantErr {
			if !errors.Is(err, ErrBadDuration) {
				t.Errorf("ParseDuration(%q) error = %v, want ErrBadDuration", tt.give, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.give, got, err, tt.want)
		}
	}
}
