// Package soaktest runs a soak as a Go test, so that a module's soak suite
// is ten lines in a _test.go file and runs under `go test`:
//
//	var soakFor = flag.Duration("soak", 0, "run the soak suite for this long")
//
//	func TestSoak(t *testing.T) {
//		it := &soak.Iteration{Sections: soak.Sections(
//			step.Func("roundtrip", roundtrip),
//		)}
//		soaktest.Run(t, it, soaktest.WithDuration(*soakFor))
//	}
//
// The test is skipped unless a soak is asked for — by the suite's own flag
// passed to [WithDuration] (`go test -run TestSoak -soak=2h -timeout=0`) or
// by $SOAKKIT_DURATION — and always in -short mode. This package registers
// no flags.
//
// # Deadlines
//
// `go test` kills the test binary at its -timeout (default 10m) with a panic
// that runs no deferred cleanup, so [Run] plans the soak to end at
// t.Deadline() minus a margin (default 30s, at most a quarter of the time
// left) that is kept for stopping it and writing its summary: a longer soak
// is cut to fit, and the test log says so. Run long soaks with -timeout=0 or a -timeout above the
// duration plus the margin.
//
// # Reporting
//
// Failed iterations are logged through t as they happen. At the end the
// soak is closed by soak.Finish, as the soakkit command closes it: the same
// summary files, junit.xml, report.html and manifest are written to the
// artifacts directory, and the verdict is reported: anything but a pass (a
// failure, leak, slowdown, or a soak stopped early) fails the test with the
// verdict's reasons; a pass is logged. Under GitHub Actions summary.md is
// also appended to the job summary.
//
// # Processes
//
// On Linux, [Run] makes the test binary a child subreaper
// (step.EnableSubreaper) before the soak starts, for the rest of the
// binary's life: processes the steps leave behind, even those that
// double-fork or call setsid, are re-parented to it and found by walking its
// own process tree, at a cost that does not grow with the number of
// processes on the host. Orphans of other tests in the same binary are then
// re-parented to it too: while the soak runs, any that are alive at the end
// of an iteration count as its survivors, and after it they are left to the
// binary (zombies among them are reaped only by a later soak).
//
// # What it does not do
//
// It does not run soaks in parallel in one test binary (a soak treats every
// child of its process that outlives an iteration as a survivor), and it
// does not send alerts (see soak/notify, which can be given as a progress
// hook through [WithSoakOptions]).
package soaktest
