// Package soak repeats a plan of steps for hours against the software under
// test and records whether it stayed healthy: every iteration's outcome,
// the resources of the service and of each step's process tree, and the
// logs, in an artifacts tree that a crash at any moment leaves readable.
//
// An [Iteration] is a plan of [Section]s, each a [step.Step], run once in
// declared order under a timeout; its [Report] is a full-stack validation
// report: every section's result, even after a failure. [Validate] runs one iteration, writes report.json
// atomically and prints exactly one RESULT=OK|FAIL marker, after the result
// is known and in agreement with [Report.ExitCode]. [Iteration.RunStep] runs
// one section alone with maximal verbosity.
//
// A [Soak] repeats an Iteration for a [Config.Duration] and/or a
// [Config.Count], with a heartbeat pause between iterations, optionally
// against a long-running [Service] started once with a readiness check.
// Without an Iteration, a Soak only watches and samples its service.
//
// What a Soak guarantees:
//
//   - The deadline is kept: each iteration's budget is cut to what is left
//     before the deadline minus a small stop reserve (at most 1s, for ending
//     process trees, stopping the service and writing the final records),
//     and a pause after which no iteration would fit is not taken. Only a
//     program that ignores SIGTERM when it is stopped can make the soak end
//     late, by at most its grace period (see Config.StopGrace). An
//     iteration the deadline ends is "cut" (one a signal ends "cancelled"),
//     not a failure, unless one of its sections had already failed on its
//     own; the steps it stopped are marked cut in iterations.jsonl, never
//     counted as failures of the step.
//   - An iteration that cannot finish is not started: when less time is left
//     than the p95 of the last 20 finished iterations' durations (or
//     Config.MinIteration, if more), the soak ends on its duration instead.
//     A resumed soak takes those durations from iterations.jsonl.
//   - Step timeouts nest inside the iteration budget: steps run under the
//     iteration's context.
//   - Every iteration gets its line in iterations.jsonl, timed-out and
//     cancelled ones included, and an iteration in progress when the soak
//     process died is recorded as "interrupted" on [Soak.Resume].
//   - A failure is decided from step results (exit statuses), never from
//     markers in output.
//   - After each iteration, any process it started that is still alive is a
//     failure naming its pid and command line, and is killed: the steps'
//     own sweeps (step.Result.Leftovers) and, on Linux, the soak process's
//     children and everything below them (with [step.EnableSubreaper] in
//     the runner, orphaned grandchildren too, since they are re-parented to
//     it), except those of a process tree still running,
//     such as the service's. Since any other child counts, two soaks should
//     not share a process.
//   - On cancellation of the context (SIGINT, SIGTERM through
//     signal.NotifyContext) the current iteration is stopped, the service's
//     whole tree is ended and reaped, and everything is still written.
//   - An artifact that cannot be written (disk full, I/O error,
//     permissions) fails the soak at once: it stops with write_failed, the
//     iteration the failure hit is failed, and state.json says why. A 64 KiB
//     reserve file (soak/.reserve, removed when the soak ends) is freed at
//     the first failure so that the closing record and checkpoint still fit
//     on a full disk; if even state.json cannot be written, the error and
//     [Outcome.Checkpointed] say so. A resume keeps that iteration failed.
//   - state.json holds the whole truth of the run: its settings (config,
//     heartbeat, plan, the caller's own via [WithCaller]), the process-tree
//     cookie of every step running now and of the service, and how the
//     service ended. [Soak.Resume] refuses other settings
//     ([ErrSettingsChanged]); [ReadCheckpoint] gives them to a caller that
//     resumes without them.
//   - Before a soak starts or resumes on an artifacts tree, processes that
//     carry a cookie its state.json recorded — orphans of a run that was
//     killed — are ended and listed in state.json and [Outcome.Orphans]
//     (Linux; elsewhere environments cannot be read and this does nothing).
//   - On Windows the soak holds a SetThreadExecutionState keep-awake request
//     on a dedicated OS thread for its whole run.
//
// A soak never retries a failed iteration or restarts a dead service; a
// service that ends on its own stops the soak with its exit status and the
// tail of its output ([artifact.ServiceExit]). Retries belong to steps (step.Retry).
// Verdicts are computed from the artifacts by soak/summary, the one judge;
// [Finish] closes a soak for every caller — the soakkit command, soaktest
// and programs of their own — by writing the summary files, the HTML report
// and the manifest, and gives the exit status.
//
// # Artifacts
//
// Every path is derived from [Config.ArtifactsDir] by [artifact.Layout]; nothing is
// hard-coded. Timestamps are UTC RFC 3339; JSON files are canonical (sorted
// keys, compact) and written atomically (temporary file, fsync, rename);
// JSON Lines files are appended one record per write, and a torn last line
// left by a kill -9 is dropped on the next open.
//
//	report.json            last Validate: {"result":"OK|FAIL","runtime":{…},"sections":[…]}
//	logs/validate/…        the last Validate's step logs; logs/debug/… those of RunStep
//	soak/state.json        checkpoint (artifact.State): run id, elapsed time, counters, running iteration and
//	                       its process trees, stop reason, write failures, orphans ended, the run's settings
//	soak/iterations.jsonl  one Record per iteration: iteration, start, end, duration_ms, budget_ms,
//	                       result, status, reason, steps (StepRecord: status, exit code, duration,
//	                       attempts, peak RSS of its tree, logs, tail if it did not pass, go tests),
//	                       survivors, resources (last and peak figures per sampled target)
//	soak/samples.jsonl     one probe.Sample per line, labelled "self", the service's name,
//	                       "step:<name>" or a WithSampler label
//	soak/logs/000042/…     iteration 42's step logs, as step writes them, and its full Report
//	                       (report.json); rotated and evicted together
//	soak/logs/service/     the service's output, service.log and service.1.log
//	soak/manifest.json     SHA-256 and size of every file of the tree ([artifact.Manifest])
//
// [Soak.Run] removes an earlier soak/ directory first; [Soak.Resume] keeps it
// and continues the numbering and counters.
//
// # Byte cap and retention
//
// [Config.MaxBytes] caps the total size of the files under the artifacts
// root and is never exceeded, the files written when the soak ends
// included: while it runs, an eighth of the cap (at least 512 KiB, at most
// 16 MiB) stays free for the final state.json and manifest and for the
// summary, junit.xml and report.html that [Finish] writes (Finish reports a
// tree that still ends over the cap as an error). Every write reserves its
// bytes first. Passing iterations' logs are rotated per step, keeping the
// newest [Config.KeepLogs]; when room is needed, the oldest passing
// iteration's logs go first, then the oldest failing one's. Log output that
// still does not fit is dropped, and the log says how much. Step logs may
// use the budget minus a headroom (an eighth of the cap, at most 4 MiB)
// kept for records.
//
// # Compaction
//
// A soak of fast iterations (hundreds a second) would fill any cap with
// records and samples. When the tree reaches 70% of the budget, the soak
// compacts between two iterations:
//
//   - Older passing iterations (all but the newest 16, and at least
//     KeepLogs) are merged into range records ([artifact.Range]) within
//     aligned blocks of iterations, the blocks as small as lets
//     iterations.jsonl fit an eighth of the budget, with at most 8,192
//     ranges (the summary's trend series and the report's charts keep no
//     more points); their logs are deleted. A range keeps, per step, counts by status, a duration
//     [artifact.Sketch] (p50/p95 within 1%, exact min, max and sum), the
//     summed attempts, peak RSS and per-test counts, and per target the
//     extrema and last of its figures.
//   - Failed, timed-out, cut, cancelled and interrupted iterations, and
//     passing ones in which a step or test did not pass or left a
//     process behind, are never merged: they keep their full record and
//     their logs (until the cap has nothing else to remove).
//   - samples.jsonl is thinned to an eighth of the budget: each target's
//     samples are cut into equal time windows, each keeping the samples
//     with the minimum and maximum RSS and the maxima of the other
//     metrics, so leak fits see every peak and trough; samples of a
//     target's exit or restart are all kept.
//
// Each file is rewritten to a temporary file renamed over it (package
// atomicfile), so a crash leaves the old file or the new one, never a mix;
// a resume removes the temporary file of an interrupted compaction and
// treats logs left of compacted iterations as passing ones. Counters are
// unchanged by compaction. If a record still does not fit (failures fill
// the cap), the soak stops with [artifact.StopByteCap], recorded in
// state.json (its final write always has room), and the summary's verdict
// is a failure, never a pass. A compaction that fails for any other reason
// (an I/O error, a line it cannot read) is a write failure: the soak stops
// with [artifact.StopWriteFailed], its files as they were.
//
// A compaction reads iterations.jsonl once, decoding each line once, and
// copies the lines it keeps as they are. Compacting the 130 MiB file of
// 300,000 one-step iterations (about the first compaction under a 256 MiB
// cap) into 3.4 MiB took 3.5 CPU-seconds on a shared 2-core machine,
// during which the soak waits (BenchmarkCompactRecords). BenchmarkEightHourSoak drives the same
// write path with the 4.32 million iterations of an 8-hour soak at 150 a
// second and checks that the tree never exceeds a 256 MiB cap.
//
// # Progress
//
// One slog record per iteration ("soak iteration": n, status, elapsed, eta,
// passed, failed, artifact bytes, latest resource figures) goes to
// [WithLogger]'s logger, and [WithProgress] receives the same [Progress] for
// a live display. [WithObserver] is told of every sample, iteration and
// service change as it happens and can read the online trend fits and the
// artifact bytes at any time ([Live]): soak/live serves them as Prometheus
// metrics and pushes them over OTLP.
package soak
