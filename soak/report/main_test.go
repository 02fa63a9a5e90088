package report

import (
	"testing"

	"go.uber.org/goleak"
)

// The browser tests start chromedp's goroutines; they must all be gone when
// the tests end.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
