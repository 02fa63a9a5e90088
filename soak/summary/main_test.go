package summary_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if h := os.Getenv("SUMMARY_TEST_HELPER"); h != "" {
		os.Exit(helper(h))
	}
	goleak.VerifyTestMain(m)
}
