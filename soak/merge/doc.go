// Package merge combines the artifacts of one suite soaked on several
// runners — the jobs of a CI matrix, the pods of a Kubernetes Indexed Job —
// into one answer: a merged summary.json and summary.md, a junit.xml with a
// test suite per runner, a report.html and a manifest.
//
// # Sources
//
// Each source is an artifacts root (the --artifacts directory of a soak,
// holding soak/state.json or soak/iterations.jsonl), or a directory whose
// subdirectories are such roots, as actions/download-artifact leaves
// several artifacts (one folder per artifact) or a shared volume holds one
// folder per pod. [Roots] lists them.
//
// # One judge
//
// Every runner's run is judged by summary.Compute, under the same rules
// (and the same gates and policies, [Options].Summary) as a soak on one
// machine; summary.Merger then derives the merged verdict from those
// verdicts and classifies, across runners, every step and test that did
// not pass everywhere: flaky (intermittent on some runner), runner-specific
// (fails every run on some runners, passes on the others) or failing
// everywhere. Leak and slowdown verdicts stay per runner and target. This
// package reads the artifacts only through soak/artifact and soak/summary,
// and decides nothing itself.
//
// # Cost
//
// Runners are judged [Options].Parallel at a time (GOMAXPROCS by default),
// each by one pass over its files: [Write] collects the resource series
// its merged report charts for a runner (RSS and FDs of each long-lived
// target, at most 600 points a chart, 300 drawn) as summary.Compute reads
// its samples, so no runner's samples are decoded twice. Only their
// counts, verdicts, per-step and per-test outcomes (with at most 100
// failed iterations each) and those series are kept: memory grows with the
// number of runners and of distinct steps and tests, not with the length
// of their runs beyond what summary.Compute needs for one run (see
// BenchmarkMerge100x72h).
//
// # What it does not do
//
// It does not copy the runners' logs, and its report charts only each
// runner's RSS and FDs: the merged report links nothing outside the merged
// directory, and each runner's own report.html, with every chart, stays
// where it was. It does not align the runners' iterations in time: each
// runner numbers its own. A merged root holds no records to judge again:
// refresh it by merging its sources again ([Merged] tells it apart, as
// `soakkit report` does to refuse it).
package merge
