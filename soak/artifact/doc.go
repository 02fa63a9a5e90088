// Package artifact is the contract of a soak's artifacts tree: where each
// file lives ([Layout]), what each file holds ([Record], [State],
// [probe.Sample] lines, [Manifest]), the labels of sampled targets, and one
// streaming reader per format ([Records], [Samples], [ReadState]).
//
// The soak engine (package soak) writes these files; the summary, the
// report, the notifiers and any tool of its own read them through this
// package only, so a field is declared once and decoded one way.
//
// # Files
//
//	report.json              last validation report
//	env.json                 environment snapshot (redacted)
//	soak/state.json          checkpoint: run id, elapsed time, counters, running iteration, stop reason
//	soak/iterations.jsonl    one Record per iteration, or per compacted run of passing ones
//	soak/samples.jsonl       one probe.Sample per line, labelled by target
//	soak/summary.json|.md    the verdict and the figures behind it
//	soak/junit.xml           one test case per step and per test, with run counts
//	soak/report.html         self-contained page with charts
//	soak/manifest.json       SHA-256 and size of every other file of the tree
//	soak/logs/000042/…       iteration 42's step logs and its report.json
//	soak/logs/service/…      the service's output
//
// JSON files are canonical (sorted keys) and written atomically; JSON Lines
// files are appended one record per write, so only the last line can be
// torn (by a crash), and every reader here skips such a line.
//
// # Range records and sketches
//
// To keep a long soak under its byte cap, the engine compacts runs of
// older passing iterations into range records: a [Record] whose [Range]
// holds, per step, counts by status and a [Sketch] of its durations, and
// per sampled target the extrema of its figures. Failed, timed-out, cut,
// cancelled and interrupted iterations are never compacted. [Records]
// yields range records like any other; [Counts.Add] and [Tally] count the
// iterations they hold. A Sketch is a DDSketch with 1% relative accuracy
// in compact JSON: sketches merge, so quantiles of a whole run come from
// the sketches of its ranges.
//
// # Checks and closing
//
// A [Tally] checks records against each other and against state.json
// (missing, repeated or miscounted records wrap [ErrInconsistent]), and
// [WriteManifest] rewrites the manifest once the last file is written; the
// soak package's Finish uses both to close a soak.
//
// [Duration] is how durations are written in state.json's settings and in
// the configuration of the soak, its summary and its notifiers: Go duration
// strings, never bare numbers.
//
// # What it does not do
//
// It does not judge: verdicts are computed by package soak/summary from
// what these readers return. It does not write records either; only the
// engine appends to iterations.jsonl and samples.jsonl.
package artifact
