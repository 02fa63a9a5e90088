// Package probe samples the software under test cheaply — a process, a
// process tree, the current Go runtime, the host — and tells a leak from
// noise.
//
// # Sampling
//
// A [Sampler] takes one [Sample]. [Tree] samples a process and all its
// descendants, re-discovered on every sample; [Process] one process;
// [Runtime] the current Go process through runtime/metrics (never the
// stop-the-world runtime.ReadMemStats); [Host] the host's memory, CPU and the
// free space of one volume. On Linux trees are discovered through
// /proc/<pid>/task/*/children and each process costs one /proc/<pid>/stat
// read and one stat(2) of /proc/<pid>/fd, so a 10-process tree is sampled in
// well under a millisecond whatever the number of processes on the host;
// gopsutil/v4 is used on other systems. A process that exits mid-sample is
// skipped, and a root that is gone yields a sample with Gone set, not an
// error.
//
// A [Monitor] runs a Sampler at an interval under a context (see
// [Monitor.Run]), labels each sample with its target ("service",
// "step:tests"), streams it to a [Sink] such as a JSON Lines appender writing
// samples.jsonl, and feeds one [Tracker] per metric. Sampling happens on the
// Monitor's goroutine; slow and failed samples are counted in
// [MonitorStats], never fatal.
//
//	m := probe.NewMonitor("step:tests", probe.Tree(cmd.Process.Pid),
//		probe.WithInterval(250*time.Millisecond), probe.WithSink(samples))
//	go m.Run(ctx)
//	…
//	for _, v := range m.Verdicts() { … }
//
// # Leak verdicts
//
// A [Tracker] keeps one metric in bounded memory: per-block medians and
// minima (60 s blocks by default, plus a bounded set of finer blocks for
// short runs), O(1) per sample and about 100 KiB per metric for 72 h at 1 Hz.
// It judges the blocks with the research's "trend verdict v1", tightened:
// the Theil–Sen slope of the block statistic with Sen's one-sided 99 %
// interval; a check is positive only when the interval's lower bound exceeds
// the metric's floor and the slopes of both halves of the window do too (so a
// one-time step, such as a cache filling, is not a leak). Online checks run
// every 5 minutes on the window since the warm-up, at most the last 120
// minutes, and an [Alarm] is raised when checks stay positive for 15
// minutes. The end-of-run [Verdict] also flags growth past a budget (slow
// leaks), and ceilings ([Policy.Max], FDs at 80 % of RLIMIT_NOFILE) fail at
// once. Every verdict is [Leak], [Pass] or [Inconclusive] and carries its
// slope with units, interval, growth, projected time to the limit, points
// used, first alarm time and a one-sentence reason. Policies are per metric
// ([Policy], [DefaultPolicy]). Short runs adapt: the warm-up shrinks to 20 %
// of the run and blocks shrink to give about 32 points, with a
// signal-to-noise guard, so a two-minute soak sampled at 250 ms can still
// call a blatant leak.
//
// Integer resources sampled once per iteration (goroutines, FDs, threads,
// processes) are judged per iteration: block minima with an adaptive (MAD)
// tolerance.
//
// The subpackage probe/sim generates the seeded noise profiles the
// detector is tested against.
//
// # Environment snapshot
//
// An environment snapshot records the working directory, Go version, OS and
// architecture, CPUs, memory, disk, module list, git state and environment
// variables, with every value passed through a redaction hook;
// is written as canonical JSON, atomically.
//
// # What it does not do
//
// probe never kills or signals processes, and it does not attribute a leak
// to code (take heap profiles for that). It does not read cgroup
// accounting.
package probe
