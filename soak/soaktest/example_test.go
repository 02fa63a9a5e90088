package soaktest_test

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/soaktest"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// A soak suite with gates, a count limit as well as the duration, and a
// slower step threshold. (Compile-only: a soak runs under go test.)
func ExampleRun() {
	soakFor := flag.Duration("soak", 0, "run the soak suite for this long")

	TestSoak := func(t *testing.T) {
		it := &soak.Iteration{Sections: soak.Sections(
			step.Func("roundtrip", func(ctx context.Context) error { return nil }),
		)}
		max := 0.01
		soaktest.Run(t, it,
			soaktest.WithDuration(*soakFor),
			soaktest.WithConfig(soak.Config{KeepGoing: true, IterationTimeout: artifact.Duration(5 * time.Minute)}),
			soaktest.WithSummary(summary.Config{
				Gates:    []summary.Gate{{Figure: "failure_rate", Max: &max}},
				Slowdown: summary.SlowdownConfig{MinIncrease: 0.3},
			}),
		)
	}
	_ = TestSoak
}
