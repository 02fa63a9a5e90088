// Package report renders a soak's artifacts as one self-contained HTML page:
// soak/report.html, the page people open after a long run.
//
// The page opens with the verdict in words — PASSED, FAILED, LEAK or
// SLOWDOWN — and the reason in one sentence, then shows the iterations as a
// timeline (each failing iteration links to its log tail), one chart per
// resource of every sampled target (RSS, open files or handles, threads,
// processes of the tree, Go live heap and goroutines) with the fitted trend
// line, its slope as text ("+12 MiB/h, leak") and the warm-up shaded, one
// duration chart per step, the flaky and gate tables, the failing iterations'
// tails and the environment snapshot.
//
// [Render] writes the page for any artifacts tree: a finished soak, one still
// running, or one cut short by a crash (a torn last line of a JSON Lines file
// is ignored and the page says the run has not recorded its end). [WriteFile]
// writes it atomically to [Path].
//
// # Self-contained and small
//
// Charts are drawn server-side with gonum.org/v1/plot into SVG inlined in the
// page; styles are inline and there is no script, font or image to fetch,
// so the page works when opened from a CI artifact download with no network.
// Every series is downsampled to at most [Options.MaxPoints] points with
// largest-triangle-three-buckets, which keeps spikes and steps, so the page
// size depends on the number of charts, not on the length of the run: a 72 h
// soak sampled at 1 Hz renders to about the same page as a 2 h one.
//
// # Accessibility
//
// Verdicts and statuses are words and shapes as well as colours: the
// timeline's bars differ in height and pattern, failed and timed-out step
// runs are drawn as crosses and triangles, the trend is a dashed line. Every
// chart has a title, axis labels with units, and an SVG title and
// description; charts scale to the width of the window.
//
// # What it does not do
//
// The report decides nothing the engine or the summary has not decided.
// Leak verdicts and slopes are probe's; the fitted line is drawn with probe's
// slope through the median residual of the analyzed window. Per-step
// percentiles, slowdown verdicts, flaky steps and gates are the summary's,
// and the page says so when the summary is not available.
package report
