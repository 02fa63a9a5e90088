// Package summary turns a soak's artifacts into a verdict someone can act
// on at 3 a.m., and writes it where CI shows it.
//
// [Compute] reads only the artifacts tree (soak/state.json,
// soak/iterations.jsonl, soak/samples.jsonl), so it works on a finished run,
// on one still running and on one whose process died; [Write] also writes
// soak/summary.json (canonical JSON, atomically), soak/summary.md (for
// $GITHUB_STEP_SUMMARY: the verdict first, then tables) and soak/junit.xml.
//
// # Verdict and exit status
//
// This package is the one judge of a soak: the HTML report, the notifiers
// and the soakkit command render or forward its verdict, and decide
// nothing. A run is [Failed] (exit 1) when an iteration failed, the service
// died, did not start or left processes behind, the soak could not go on
// (byte cap, a write failure), a hard gate failed, or the soak reached its
// planned end having judged nothing (no iteration ran; a watch-only soak
// whose service was never sampled); else [Stopped] (exit 130) when a signal
// stopped it before its planned end; else [Incomplete] (exit 1) when it
// recorded no end (still running, or its process died); else [Leak] (exit
// 3) when a resource of a target not ignored has probe's LEAK verdict; else
// [Slowdown] (exit 3) when a step got slower; else [Passed] (exit 0). Only
// Passed is a pass. A signal stop exits 130 even with failures, whose status
// stays [Failed]. The other findings are in the reasons.
//
// Artifacts that cannot be judged are an error of [Compute], never a
// verdict: a damaged file, or records that disagree with state.json
// (missing, repeated, miscounted; see [artifact.Tally]).
//
// # Figures
//
//   - Iterations run, passed, failed, timed out, cut by the deadline,
//     cancelled, interrupted, the success rate (of those that passed or
//     failed), and the metrics_summary.json fields of a soak script's output
//     (total_iterations, successful, failed, success_rate_percent,
//     duration_seconds) at the top level of summary.json.
//   - The soak's own end is never evidence: an iteration cut by the
//     deadline, cancelled by a signal or interrupted by the soak process's
//     death is neither passed nor failed, and a step it stopped counts as
//     cut, never as a failure of the step or of its tests, nor as flaky or
//     slowdown evidence.
//   - Per step (nested steps as "parent/child"): runs, pass and fail
//     counts, p50/p95/max duration of the passing runs.
//   - Flaky: a step, or a test of a go test step, that both passed and
//     failed, with its counts and the iterations where it failed.
//   - Slowdown: the Theil–Sen trend of each step's passing durations,
//     judged by probe's trend analysis (the same as for leaks, end-of-run
//     check only) against a relative threshold (default 20 % growth over
//     the run): "step tests got 40% slower over 12.0 h".
//   - Leaks: probe's verdict for every metric of every long-lived sampled
//     target ("self", the service, extra samplers), replayed from
//     samples.jsonl through probe's Trackers, and for each step's process
//     tree across iterations (peak RSS trend, and per-iteration counts of
//     FDs, threads and processes).
//   - Gates ([Gate]): hard and soft bounds on any figure ([Summary.Figures])
//     or on a number in a JSON file the plan produced, with an aggregate for
//     arrays; a missing value is reported as missing (null), never as zero.
//
// # Cost
//
// Both files are streamed, and memory does not grow with the length of
// the run: samples go through probe's Trackers (72 h at 1 Hz is summarised
// in well under a second and 64 MiB; see BenchmarkCompute72h), iteration
// records one at a time through counters and bounded per-step state (see
// BenchmarkComputeScale, 10³ to 10⁶ iterations). Figures are exact up to a
// step's first 16,384 passing runs; past that, its p50 and p95 come from a
// DDSketch of 1 % relative accuracy (its maximum stays exact), and its
// duration and peak-RSS trends are fitted on at most 8,192 points, each
// the mean of an equal number of consecutive runs. Flaky lists keep the
// first 100 iterations where a step or test failed and count the rest.
//
// Range records, the passing iterations the engine compacted to stay under
// its byte cap, count as the iterations they hold; their duration sketches
// merge into the steps' (so p50 and p95 come from a sketch from the first
// range on), and their median durations and peak RSS enter the trend fits
// as points spread over the range's time span. The minimum and maximum
// iteration duration of metrics_summary.json take a range's mean for its
// iterations.
//
// # JUnit
//
// junit.xml has one test case per step and one per test of a go test step,
// not one per iteration, so that CI systems ingest it whatever the length
// of the run: each case carries its run counts, and a failed one the
// details of its first 10 failed runs (the rest counted). Every run stays
// in iterations.jsonl.
//
// # What it does not do
//
// It does not run anything, send alerts (see soak/notify) or render the
// HTML report; it never changes the artifacts other than the three files it
// writes. Closing a soak — this summary, the report and the manifest,
// written in that order — is soak.Finish.
package summary
