// Package containment benchmarks what ending every process a step leaves
// behind costs a whole soak, on an idle host and on a busy one. It has no
// code of its own; run it with
//
//	go test -run '^$' -bench . -benchtime 3x ./bench/containment
//
// BenchmarkSoakTrue builds the soakkit command, runs
// `soakkit soak --iterations 100 --heartbeat 0 -- true` with and without
// 2,000 unrelated sleeping processes on the host, and reports the seconds
// per 100 iterations. The command makes itself a child subreaper, so its
// cost must not grow with the unrelated processes; the per-step figures
// for both containment modes are step's BenchmarkOverhead. Set
// SOAKKIT_BENCH_BIN to a soakkit binary to measure that build instead (to
// compare two versions on the same host).
package containment
