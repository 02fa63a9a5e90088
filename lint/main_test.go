package lint_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/soakkit/soakkit/internal/winetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// skipWithoutGoUnderWine skips a test that loads Go packages (go/packages
// runs the go command) when it runs under Wine, where the CI run has no
// Windows Go toolchain. On real Windows the test runs.
func skipWithoutGoUnderWine(t *testing.T) {
	t.Helper()
	winetest.Skip(t, "loads Go packages through the go command; no Windows Go toolchain inside Wine")
}
