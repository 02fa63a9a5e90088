package summary

import (
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/benchtest"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/internal/benchdata"
)

// write72h writes a 72 h run at 1 Hz: 259,200 samples of a service (the
// research's Go noise profile) and an iteration every 5 minutes.
func write72h(b *testing.B) string {
	b.Helper()
	r := newRun(b)
	r.iterate(864, 5*time.Minute, passing("build", noisy(1, 1500, 0.1, 0, 864)), passing("tests", noisy(2, 9000, 0.1, 0, 864)))
	r.finish(artifact.StopDuration)
	root := r.write(b)
	benchdata.WriteServiceSamples(b, artifact.Layout{Root: root}.Samples(), t0, 72*time.Hour)
	return root
}

// BenchmarkCompute72h summarises 72 h of 1 Hz samples (259,200 lines) and
// 864 iterations. The budget is 1 s and 64 MiB: ns/op, cpu-s/op (the
// process's CPU time per summary, which a loaded machine does not inflate),
// peak-heap-MiB (the highest live heap seen while summarising) and
// alloc-MiB/op are reported.
func BenchmarkCompute72h(b *testing.B) {
	root := write72h(b)
	m := benchtest.Start(b)
	for b.Loop() {
		s, err := Compute(root, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Leaks) == 0 || s.Verdict.Status != Passed {
			b.Fatalf("verdict %s (%s), %d leak verdicts", s.Verdict.Status, s.Verdict.Reason, len(s.Leaks))
		}
	}
	m.Stop()
}
