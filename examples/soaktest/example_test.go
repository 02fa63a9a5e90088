package suite_test

import (
	"context"
	"flag"
	"testing"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/soaktest"
	"github.com/soakkit/soakkit/step"
)

// A module's soak suite in a _test.go file: skipped unless -soak or
// SOAKKIT_DURATION asks for a soak, cut to end before go test's -timeout,
// failing the test on a failure, leak or slowdown. (Compile-only: a soak
// runs under go test, not as an example.)
func Example() {
	soakFor := flag.Duration("soak", 0, "run the soak suite for this long")

	TestSoak := func(t *testing.T) {
		it := &soak.Iteration{Sections: soak.Sections(
			step.Func("roundtrip", func(ctx context.Context) error { return nil }),
			step.GoTest{Name: "tests", Packages: []string{"./..."}, Flags: []string{"-count=1"}}.Step(),
		)}
		soaktest.Run(t, it, soaktest.WithDuration(*soakFor))
	}
	_ = TestSoak
}
