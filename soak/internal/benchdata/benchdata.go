// Package benchdata writes the large artifacts that the scale benchmarks
// of soak/summary, soak/report and soak/merge read, so that they measure
// the same input.
//
// It is for benchmarks only. It writes through the same appender as the
// soak engine, one line at a time, so a fixture of any length takes little
// memory to build.
package benchdata

import (
	"math"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/probe/sim"
)

// WriteServiceSamples appends to the samples file at path d of 1 Hz
// samples of a target "service" from start on (259,200 for 72 h): its RSS
// follows probe/sim's Go noise profile (seed 72, no leak), its CPU time
// grows 0.02 s a sample and its open files cycle between 40 and 46. It
// fails tb on a write error or if the profile yields other than one sample
// a second.
func WriteServiceSamples(tb testing.TB, path string, start time.Time, d time.Duration) {
	tb.Helper()
	a, err := jsonl.Open(path, false)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	cpu := 0.0
	sim.Run{Profile: sim.Go, Seed: 72, Duration: d}.Samples(func(at time.Duration, mib float64) {
		cpu = math.Round((cpu+0.02)*1e6) / 1e6 // to the microsecond, as the probe writes it
		n++
		if err := a.Append(probe.Sample{Time: start.Add(at), Target: "service", PID: 4242, Procs: 3, RSS: uint64(mib * probe.MiB),
			CPU: cpu, CPUPct: 2, FDs: 40 + n%7, MaxFDPct: 4, Threads: 12, Took: 412 * time.Microsecond}); err != nil {
			tb.Fatal(err)
		}
	})
	if err := a.Close(); err != nil {
		tb.Fatal(err)
	}
	if want := int(d / time.Second); n != want {
		tb.Fatalf("%d samples in %v, want %d", n, d, want)
	}
}
