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
// largest-triangle-three-buckets, which keeps spikes and steps; the timeline
// has at most 600 bars and at most 50 failing iterations are detailed. The
// page's size therefore depends on the number of charts, not on the length
// of the run: a 72 h soak sampled at 1 Hz (259,200 samples of its service,
// 864 iterations, 12 charts) renders to about 300 KB, four fifths of it SVG
// (see BenchmarkRender72h).
//
// A soak's closing files must fit in the room its byte cap kept for them:
// with [Options.MaxBytes] set, a page that would be larger is drawn again
// shorter (fewer points a series, fewer failing iterations detailed, fewer
// timeline bars) and says so at its top; one that does not fit even then
// is not written, and the error wraps [ErrTooLarge].
//
// # Cost
//
// The artifacts are streamed, once: without [Options.Summary], the page
// gathers what it draws in the same pass over iterations.jsonl and
// samples.jsonl in which summary.Compute judges the run (see
// [summary.Visit]), and [Read] returns that pass's summary with the page
// to write, for a caller that needs the summary first. Memory does not
// grow with the length of the run (see BenchmarkRenderScale, 10³ to 10⁶ iterations): each chart's
// series keeps every point up to 8,192 of them, then is thinned evenly,
// keeping the lowest and highest point of each group, before LTTB picks
// what is drawn; the timeline's cells, the failures' details and the
// failure marks (500 a chart) are bounded as they are read. A range
// record (passing iterations the engine compacted) is drawn as its
// steps' median durations spread over its time span.
//
// The page of a merged summary (several runners, see soak/merge) also
// charts each runner's RSS and FDs per long-lived target, at most 300
// points a chart, from a [ResourceSeries] per runner collected while the
// runner was judged ([Options.Runners]); a runner without one has its
// samples.jsonl read from its source.
//
// # Accessibility
//
// Verdicts and statuses are words and shapes as well as colours: the
// timeline's bars differ in height and pattern, failed and timed-out step
// runs are drawn as crosses and triangles, the trend is a dashed line. Every
// chart has a title, axis labels with units, and an SVG title and
// description; charts scale to the width of the window.
//
// # Verdicts come from the summary
//
// The verdict, the leak and slowdown verdicts, the per-step p50/p95/max, the
// flaky table and the gates are those of package soak/summary: pass the
// run's [summary.Summary] in [Options.Summary], or let Render compute it
// with [Options.SummaryConfig] (give the soak's config so that its gates and
// policies apply). If the summary cannot be computed (a corrupt or
// inconsistent iterations.jsonl, say), there is no page: Render returns the
// summary's error, and WriteFile leaves an earlier page as it was.
//
// # What it does not do
//
// The report decides nothing itself. Leak verdicts and slopes are probe's
// (through the summary); a fitted line is drawn with that slope through the
// median residual of the analyzed window, the Theil–Sen intercept, which
// probe does not report. It does not write summary.json, summary.md or
// junit.xml (see summary.Write), and it has no script: hover titles, links
// and details elements are all the interaction there is.
package report
