package winetest

import (
	"os"
	"runtime"
	"testing"
)

// TestDetected checks detection against what the environment says: off
// Windows never Wine; under .ci/wine-tests (WINEPREFIX is passed through to
// the Windows process) always Wine.
func TestDetected(t *testing.T) {
	switch {
	case runtime.GOOS != "windows":
		if Detected() {
			t.Fatalf("Detected() = true on %s", runtime.GOOS)
		}
	case os.Getenv("WINEPREFIX") != "" || os.Getenv("WINELOADER") != "":
		if !Detected() {
			t.Fatal("Detected() = false under Wine (WINEPREFIX set)")
		}
	}
}
