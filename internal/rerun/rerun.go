// Package rerun runs some of a test binary's tests a second time, in a copy
// of the binary started with one environment variable set to 1. It serves
// modes that must be chosen before any test starts and cannot be undone,
// such as making the process a child subreaper: the test binary's TestMain
// enters the mode when it sees the variable, and one `go test` covers both
// modes.
//
// It is for tests only, and does not decide whether a test should rerun:
// the caller skips in the copy itself (where the variable is set) and under
// -short.
package rerun

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Tests runs the tests named in a copy of this test binary with env=1 added
// to its environment, and fails t unless the copy succeeds and reports
// every one of them passed. names are exact top-level test names.
func Tests(t testing.TB, env string, names ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^("+strings.Join(names, "|")+")$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tests again with %s=1: %v\n%s", env, err, out)
	}
	for _, name := range names {
		if !bytes.Contains(out, []byte("--- PASS: "+name+" ")) {
			t.Errorf("%s did not pass with %s=1:\n%s", name, env, out)
		}
	}
}
