package summary

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// fmtMS words a duration in milliseconds for humans: "29 ms" below a
// second (never "0s"), "1.5s", "2m3s" and "1.0 h" above.
func fmtMS(ms int64) string {
	if ms < 1000 {
		return fmt.Sprintf("%d ms", ms)
	}
	return dur(time.Duration(ms) * time.Millisecond)
}

// sizeUnits are the binary units a size in MiB can be shown in, smallest
// first, with their size in MiB.
var sizeUnits = []struct {
	name string
	mib  float64
}{{"B", 1.0 / (1 << 20)}, {"KiB", 1.0 / (1 << 10)}, {"MiB", 1}, {"GiB", 1 << 10}, {"TiB", 1 << 20}}

// fmtQuantity words v in unit, as probe's verdicts give it ("MiB/h",
// "MiB", "s/h", "s", "FDs/h", "procs/iteration"…), signed, for humans: a
// size in the binary unit that keeps it between 1 and 1024 ("+31 MiB/h",
// "+2.1 KiB/h"), a duration in ms below a second ("+120 ms/h"), and two or
// three significant digits, never an exponent.
func fmtQuantity(v float64, unit string) string {
	base, per, _ := strings.Cut(unit, "/")
	if per != "" {
		per = "/" + per
	}
	switch base {
	case "MiB":
		u := sizeUnits[0]
		for _, c := range sizeUnits {
			if math.Abs(v) >= c.mib {
				u = c
			}
		}
		if v == 0 {
			u = sizeUnits[2]
		}
		return signed(v/u.mib) + " " + u.name + per
	case "s":
		if a := math.Abs(v); a > 0 && a < 1 {
			return signed(v*1000) + " ms" + per
		}
	}
	return signed(v) + " " + unit
}

// signed formats v with its sign and two or three significant digits,
// without an exponent: "+31", "+2.1", "-0.25", "+0.0012".
func signed(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "+0"
	case a >= 10:
		return fmt.Sprintf("%+.0f", v)
	case a >= 1:
		return fmt.Sprintf("%+.1f", v)
	}
	// Two significant digits below 1, as decimals.
	d := int(math.Ceil(-math.Log10(a))) + 1
	return fmt.Sprintf("%+.*f", min(d, 12), v)
}
