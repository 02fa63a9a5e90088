package probe

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		name string
		give string
		want procStat
	}{
		{
			name: "plain",
			give: "1234 (sleep) S 1 1234 1234 0 -1 4194304 95 0 0 0 7 3 0 0 20 0 1 0 424242 8478720 196 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
			want: procStat{PID: 1234, State: 'S', PPID: 1, UTime: 7, STime: 3, Threads: 1, StartTime: 424242, RSSPages: 196},
		},
		{
			name: "spaces-and-parens-in-name",
			give: "77 (a) b (c)) Z 5 0 0 0 -1 0 0 0 0 0 10 20 0 0 20 0 4 0 99 0 0 18446744073709551615",
			want: procStat{PID: 77, State: 'Z', PPID: 5, UTime: 10, STime: 20, Threads: 4, StartTime: 99},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseProcStat([]byte(tt.give))
			if err != nil {
				t.Fatalf("parseProcStat(%q): %v", tt.give, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseProcStat(%q) mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

func TestParseProcStatErrors(t *testing.T) {
	for _, give := range []string{"", "1234", "(x) S 1", "x (y) S 1 2 3", "12 (y) SS 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "12 (y) S 1 1 1 1 1 1 1 1 1 1 x 1 1 1 1 1 1 1 1 1 1 1"} {
		if got, err := parseProcStat([]byte(give)); err == nil {
			t.Errorf("parseProcStat(%q) = %+v, want an error", give, got)
		}
	}
}

func TestParsePIDListAndLimits(t *testing.T) {
	if diff := cmp.Diff([]int{12, 345, 6}, parsePIDList(nil, []byte("12 345 6 \n"))); diff != "" {
		t.Errorf("parsePIDList mismatch (-want +got):\n%s", diff)
	}
	limits := "Limit                     Soft Limit           Hard Limit           Units     \n" +
		"Max processes             95426                95426                processes \n" +
		"Max open files            1024                 524288               files     \n"
	if got := parseNofile([]byte(limits)); got != 1024 {
		t.Errorf("parseNofile = %d, want 1024", got)
	}
	if got := parseNofile([]byte(strings.Replace(limits, "1024 ", "unlimited ", 1))); got != 0 {
		t.Errorf("parseNofile(unlimited) = %d, want 0", got)
	}
}

// FuzzParseProcStat: never panics; a successful parse of a line rebuilt
// from the result yields the same result (round trip).
func FuzzParseProcStat(f *testing.F) {
	f.Add([]byte("1234 (sleep) S 1 1234 1234 0 -1 4194304 95 0 0 0 7 3 0 0 20 0 1 0 424242 8478720 196 18446744073709551615 1 1\n"))
	f.Add([]byte("77 (a) b (c)) Z 5 0 0 0 -1 0 0 0 0 0 10 20 0 0 20 0 4 0 99 0 -1 1"))
	f.Add([]byte("1 ()) R 0"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseProcStat(b)
		if err != nil {
			return
		}
		line := []byte(rebuild(st))
		st2, err := parseProcStat(line)
		if err != nil {
			t.Fatalf("rebuilt line %q does not parse: %v", line, err)
		}
		if st != st2 {
			t.Fatalf("round trip of %q: %+v != %+v", b, st, st2)
		}
	})
}

func rebuild(s procStat) string {
	f := make([]string, 22)
	for i := range f {
		f[i] = "0"
	}
	f[0] = string([]byte{s.State})
	f[1] = itoa(int64(s.PPID))
	f[11] = itoa(int64(s.UTime))
	f[12] = itoa(int64(s.STime))
	f[17] = itoa(int64(s.Threads))
	f[19] = itoa(int64(s.StartTime))
	f[21] = itoa(s.RSSPages)
	return itoa(int64(s.PID)) + " (x) " + strings.Join(f, " ")
}

func itoa(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	var b []byte
	for {
		b = append([]byte{byte('0' + v%10)}, b...)
		v /= 10
		if v == 0 {
			break
		}
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}
