package suite

import (
	"context"
	"flag"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/soaktest"
	"github.com/soakkit/soakkit/step"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The soak suite: ten lines.
var soakFor = flag.Duration("soak", 0, "run the soak suite for this long (or set SOAKKIT_DURATION)")

func TestSoak(t *testing.T) {
	it := &soak.Iteration{Sections: soak.Sections(
		step.Func("roundtrip", roundtrip),
	)}
	soaktest.Run(t, it, soaktest.WithDuration(*soakFor))
}

// roundtrip is the work the suite repeats: here, a cache that must not
// grow without bound.
func roundtrip(ctx context.Context) error {
	c := newCache(64)
	for i := range 1000 {
		c.put(i%200, i)
	}
	if c.len() > 64 {
		return errTooBig
	}
	return ctx.Err()
}

// TestSoakBrief runs the same suite for two seconds, so that CI exercises it
// without being asked for a soak.
func TestSoakBrief(t *testing.T) {
	if testing.Short() {
		t.Skip("a two-second soak")
	}
	it := &soak.Iteration{Sections: soak.Sections(step.Func("roundtrip", roundtrip))}
	s := soaktest.Run(t, it, soaktest.WithDuration(2*time.Second), soaktest.WithArtifacts(t.TempDir()),
		soaktest.WithConfig(soak.Config{IterationTimeout: artifact.Duration(time.Second), StopGrace: artifact.Duration(200 * time.Millisecond)}),
		soaktest.WithSoakOptions(soak.WithHeartbeat(50*time.Millisecond)))
	if s == nil || s.Iterations.Passed == 0 {
		t.Fatalf("the brief soak ran no iteration: %+v", s)
	}
}
