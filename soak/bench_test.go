package soak

import (
	"context"
	"testing"

	"github.com/soakkit/soakkit/step"
)

// BenchmarkSoakIteration measures the soak's own cost per iteration of a
// no-op plan: two checkpoint writes, one record append (each fsynced), the
// survivor check, the sampling bookkeeping and the progress line.
func BenchmarkSoakIteration(b *testing.B) {
	noop := step.Func("noop", func(context.Context) error { return nil })
	cfg := Config{Count: b.N, ArtifactsDir: fastDir(b)}
	s := newSoak(b, cfg, &Iteration{Sections: Sections(noop)}, WithHeartbeat(0))
	b.ResetTimer()
	out, err := s.Run(b.Context())
	if err != nil || out.Counts.Passed != b.N {
		b.Fatalf("Run: %v, %+v", err, out)
	}
}
