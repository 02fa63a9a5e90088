package soak

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/step"
)

// subreaperEnv, set to 1, makes the test binary a child subreaper before
// any test runs (see TestSurvivorsUnderSubreaper).
const subreaperEnv = "SOAK_TEST_SUBREAPER"

func maybeSubreaper() error {
	if os.Getenv(subreaperEnv) != "1" {
		return nil
	}
	return step.EnableSubreaper()
}

// survivorTests are run again by TestSurvivorsUnderSubreaper in a test
// binary that is a child subreaper: the survivor check must hold in both
// modes.
var survivorTests = []string{
	"TestSurvivorFailsIteration",
	"TestEndSurvivorsSparesRunningTrees",
	"TestEndSurvivorsTakesWholeTree",
}

// TestSurvivorsUnderSubreaper runs survivorTests in a copy of the test
// binary that made itself a child subreaper first; in this binary they run
// without one.
func TestSurvivorsUnderSubreaper(t *testing.T) {
	if os.Getenv(subreaperEnv) == "1" {
		t.Skip("this binary is the subreaper-mode run")
	}
	if testing.Short() {
		t.Skip("runs the survivor tests a second time")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^("+strings.Join(survivorTests, "|")+")$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), subreaperEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("survivor tests under a child subreaper: %v\n%s", err, out)
	}
	for _, name := range survivorTests {
		if !bytes.Contains(out, []byte("--- PASS: "+name+" ")) {
			t.Errorf("%s did not pass under a child subreaper:\n%s", name, out)
		}
	}
}
