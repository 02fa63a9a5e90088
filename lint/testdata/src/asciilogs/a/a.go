package a

import (
	"fmt"
	"log"
	"log/slog"
	"os"
	"strings"
)

const okMark = "✓ OK"

func logs(l *log.Logger, sl *slog.Logger, b *strings.Builder) {
	fmt.Println("✓ OK")               // want `non-ASCII character U\+2713 '✓' in fmt.Println text`
	fmt.Printf("done %s ❌\n", "x")    // want `non-ASCII character U\+274C '❌' in fmt.Printf text`
	log.Printf(okMark)                // want `non-ASCII character U\+2713`
	l.Println("naïve")                // want `non-ASCII character U\+00EF 'ï' in log.Println text`
	slog.Info("done — ok")            // want `non-ASCII character U\+2014`
	sl.Warn("stop ⛔")                 // want `U\+26D4`
	fmt.Fprintln(os.Stderr, "→ next") // want `U\+2192`
	println("\u2713 escaped")         // want `non-ASCII character U\+2713 '✓' in println text`
	fmt.Println("[OK] ascii", "x", 1) // negative
	fmt.Fprintln(b, "→ not a log")    // negative: not stdout/stderr
	fmt.Sprintf("✓ %d", 1)            // negative: not printed
	fmt.Println("✓ legacy")           // lint-ok: asciilogs/non-ascii -- console is UTF-8 here
	fmt.Println("✓ alias")            // lint-ok: ascii
}
