package rerun

import (
	"os"
	"testing"
)

// env marks the copy of this test binary that Tests starts.
const env = "RERUN_TEST_COPY"

// TestInCopy passes only in the copy, so that TestTests sees the variable
// arrive there.
func TestInCopy(t *testing.T) {
	if os.Getenv(env) != "1" {
		t.Skip("runs in the copy only")
	}
}

// TestFailsInCopy fails only in the copy.
func TestFailsInCopy(t *testing.T) {
	if os.Getenv(env) == "1" {
		t.Error("fails in the copy, as TestTestsReportsFailure wants")
	}
}

func TestTests(t *testing.T) {
	if os.Getenv(env) == "1" {
		t.Skip("this binary is the copy")
	}
	Tests(t, env, "TestInCopy")
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }

func TestTestsReportsFailure(t *testing.T) {
	if os.Getenv(env) == "1" {
		t.Skip("this binary is the copy")
	}
	r := &recorder{TB: t}
	Tests(r, env, "TestFailsInCopy")
	if !r.failed {
		t.Error("Tests passed with a test that fails in the copy")
	}
}
