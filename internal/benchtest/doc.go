// Package benchtest measures what a benchmark costs besides its wall time:
// the CPU time of the process, its peak resident set size and the peak of
// its live heap.
//
// On a shared, loaded machine the wall time of a benchmark says more about
// its neighbours than about the code; the process's own CPU time does not.
// And a streaming reader's promise is bounded memory, which only a sampled
// peak of the live heap shows (allocation totals do not).
//
// It is for tests and benchmarks only, so it imports the testing-neutral
// runtime packages and nothing of soakkit.
//
// # What it does not do
//
// Outside Unix [CPUTime] and [MaxRSS] are not measured and return 0; a
// benchmark then reports its wall time only. CPU time of child processes is
// never included.
package benchtest
