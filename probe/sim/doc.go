// Package sim generates seeded synthetic series for testing leak
// detectors: memory series with the noise profiles of the soak research
// (quiet native process, Go service with GC sawtooth, Go service with one
// benign step, heavy noise) plus a linear leak that starts at t=0 or
// mid-run ([Run]), and per-iteration counts of an integer resource with
// transient objects and an optional leak ([CountRun]).
//
// Every series is reproducible from its seed. Memory values are in MiB and
// leak rates in MiB per minute; times are durations from the start of the
// run. The profiles are plausible, not measured: see the research's caveats
// before reading too much into any figure produced with them.
package sim
