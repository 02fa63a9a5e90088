// Package winetest lets a test skip itself under Wine, and only there, when
// what it checks depends on something Wine does not provide (an API Wine
// does not implement, or a tool such as the Go toolchain or git that the
// Wine CI run has no Windows build of). On real Windows and on every other
// OS, Skip never skips: a Windows failure stays a failure.
package winetest

import "testing"

// Detected reports whether the process runs under Wine. It is decided at run
// time, from ntdll.dll exporting wine_get_version, never from the build.
func Detected() bool { return detected() }

// Skip skips t when running under Wine, with a reason naming gap (what Wine,
// or the Wine run's environment, lacks). Elsewhere it does nothing.
func Skip(t testing.TB, gap string) {
	t.Helper()
	if Detected() {
		t.Skipf("skipped under Wine only: %s", gap)
	}
}
