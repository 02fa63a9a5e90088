// Package sim generates seeded synthetic memory series for testing leak
// detectors: the noise profiles of the soak research (quiet native process,
// Go service with GC sawtooth, Go service with one benign step, heavy
// noise) plus a linear leak that starts at t=0 or mid-run.
//
// Every series is reproducible from its seed. Values are in MiB, times in
// seconds from the start of the run. The profiles are plausible, not
// measured: see the research's caveats before reading too much into any
// figure produced with them.
package sim
