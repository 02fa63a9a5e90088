package soak

import (
	"os"
	"testing"

	"github.com/soakkit/soakkit/internal/rerun"
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
	rerun.Tests(t, subreaperEnv, survivorTests...)
}
