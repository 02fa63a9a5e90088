package report

import (
	"fmt"
	"html/template"
	"path"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

const (
	maxTimelineCells = 600 // iterations per timeline cell grow past this
	maxFailures      = 50  // failing iterations detailed on the page
)

// The page's view model: everything the template shows, already worded.
type page struct {
	Title     string
	Generated string
	Verdict   verdictView
	Facts     []fact
	Problems  []string
	Timeline  timelineView
	Resources []resourceGroup
	Steps     []chartView
	StepRows  []stepRow
	Flaky     []flakyRow
	Gates     []gateRow
	Failures  []failureView
	MoreFails int
	Env       *envView
	Charts    int
	Leaks     []leakRow
	Runners   *runnersView // a merged summary's runners; nil for one run
	Shortened string       // why and how the page was shortened; "" if not
	NoCharts  bool         // charts left out to fit the page's byte limit
}

// A shortening is one form of the page: how much it shows of what grows
// with a run. The page is drawn in the first form that fits its byte limit
// (see [Options.MaxBytes]).
type shortening struct {
	points   int  // most points drawn per series; 0: Options.MaxPoints
	failures int  // failing iterations detailed
	cells    int  // most timeline bars
	noCharts bool // no chart at all: tables and words only
}

// shortenings are the forms of the page, the full one first.
var shortenings = []shortening{
	{0, maxFailures, maxTimelineCells, false},
	{250, 20, maxTimelineCells, false},
	{60, 5, 150, false},
	{12, 0, 40, false},
	{0, 0, 40, true},
}

// shortNote says on the page how it was shortened.
func shortNote(sh shortening, points int, limit int64) string {
	if sh.noCharts {
		return fmt.Sprintf("This page was shortened to fit in the %s its artifacts' byte cap keeps for it: it has no charts, "+
			"no failing iteration is detailed (every one is in iterations.jsonl), and the timeline has at most %d bars.",
			byteText(limit), sh.cells)
	}
	return fmt.Sprintf("This page was shortened to fit in the %s its artifacts' byte cap keeps for it: charts draw at most %d points a series, "+
		"at most %d failing iterations are detailed (every one is in iterations.jsonl), and the timeline has at most %d bars.",
		byteText(limit), points, sh.failures, sh.cells)
}

// byteText writes n bytes in KiB or MiB.
func byteText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
}

// points returns the most points drawn per series in form sh.
func (sh shortening) maxPoints(o *Options) int {
	n := o.maxPoints()
	if sh.points > 0 {
		n = min(n, sh.points)
	}
	return n
}

type leakRow struct {
	Target, Metric, Outcome, Class, Trend, Reason string
}

type verdictView struct {
	Word, Class, Reason string
	Reasons             []string // shown when there is more than one
	Incomplete          string   // why the figures may be partial
}

type fact struct{ Name, Value string }

type timelineView struct {
	From, To string // first start and last end, UTC
	Cells    []cell
	PerCell  int // iterations per cell
	Counts   []fact
	HasCells bool
}

type cell struct {
	Class, Title string
	Link         string // anchor of the failing iteration's details, if shown
}

type resourceGroup struct {
	Target string
	Charts []chartView
}

type chartView struct {
	ID      string
	SVG     template.HTML
	Outcome string // PASS, LEAK, INCONCLUSIVE, or a slowdown word; "" if none
	Class   string
	Trend   string // e.g. "+3.1 MiB/h, leak"
	Reason  string
}

type stepRow struct {
	Name, Passed, Failed, P50, P95, Max, Slowdown string
}

type failureView struct {
	iteration                int
	ID, Title, Start, Reason string
	Steps                    []failedStep
}

type failedStep struct {
	Name, Status, Details, Tail string
	Logs                        []logLink
}

type logLink struct{ Href, Name string }

type envView struct {
	Facts   []fact
	Modules []string
	Vars    []fact
	Errors  []string
}

func buildPage(r *run, j *judgement, o *Options, sh shortening) (*page, error) {
	pg := &page{
		Title:     o.title(),
		Generated: time.Now().UTC().Format(time.RFC3339),
		Problems:  r.problems,
		Flaky:     j.flaky,
		Gates:     j.gates,
	}
	pg.Verdict = verdictView{Word: j.word, Class: strings.ReplaceAll(strings.ToLower(j.word), " ", ""), Reason: j.reason}
	if len(j.reasons) > 1 {
		pg.Verdict.Reasons = j.reasons
	}
	for _, v := range sortedVerdicts(j.leaks) {
		pg.Leaks = append(pg.Leaks, leakRow{Target: v.Target, Metric: metricName(v.Metric), Outcome: string(v.Outcome),
			Class: strings.ToLower(string(v.Outcome)), Trend: slopeText(v), Reason: v.Reason})
	}
	if !j.complete {
		pg.Verdict.Incomplete = "The soak has not recorded its end: it is still running, or it was cut short by a crash. The figures cover what was recorded so far."
	}
	c := j.counts
	pg.Facts = runFacts(r, c, j.successRate)
	ax := newTimeAxis(r.start, r.end)

	ids := chartIDs{}
	k := min(len(r.failures), sh.failures)
	pg.Failures, pg.MoreFails = r.failures[:k], r.moreFails+len(r.failures)-k
	failIDs := r.failIDs
	tl := &r.timeline
	if k < len(r.failures) || len(tl.cells) > sh.cells {
		// Bars link only to the failures shown; the timeline is merged
		// on a copy, so that a longer form can still be drawn.
		failIDs = make(map[int]string, k)
		for _, f := range r.failures[:k] {
			failIDs[f.iteration] = f.ID
		}
		short := *tl
		short.cells = slices.Clone(tl.cells)
		for len(short.cells) > max(sh.cells, 1) {
			short.merge()
		}
		tl = &short
	}
	pg.Timeline = timeline(tl, c, failIDs)

	pg.NoCharts = sh.noCharts
	for _, t := range r.targets {
		if sh.noCharts {
			break
		}
		g := resourceGroup{Target: t.name}
		for _, m := range chartMetrics {
			b := t.series[m]
			if b == nil {
				continue
			}
			ts, vs := b.points()
			if len(ts) == 0 {
				continue
			}
			cv, err := resourceChart(ax, ids.make("res", t.name, string(m)), t.name, m, ts, vs, b.n, j.leaks[leakKey{t.name, m}], sh.maxPoints(o))
			if err != nil {
				return nil, err
			}
			g.Charts = append(g.Charts, cv)
		}
		if len(g.Charts) > 0 {
			pg.Resources = append(pg.Resources, g)
			pg.Charts += len(g.Charts)
		}
	}

	for _, ss := range r.steps {
		name := ss.name
		st, ok := j.steps[name]
		if !sh.noCharts {
			cv, err := stepChart(ax, ids.make("step", name), ss, st, ok, sh.maxPoints(o))
			if err != nil {
				return nil, err
			}
			pg.Steps = append(pg.Steps, cv)
			pg.Charts++
		}
		if ok {
			pg.StepRows = append(pg.StepRows, stepRow{
				Name: name, Passed: fmt.Sprint(st.passed), Failed: fmt.Sprint(st.failed),
				P50: fmtDur(st.p50), P95: fmtDur(st.p95), Max: fmtDur(st.max), Slowdown: orNone(st.slowdown),
			})
		}
	}
	if j.runners != nil {
		// Each form of the page draws its own charts, on a copy; the
		// series are gathered once.
		rv := *j.runners
		pg.Runners = &rv
		if !sh.noCharts {
			var given map[string]*ResourceSeries
			if o != nil {
				given = o.Runners
			}
			if err := j.runners.load(given); err != nil {
				return nil, err
			}
			rv.series = j.runners.series
			charts, err := rv.charts(ids, sh.maxPoints(o))
			if err != nil {
				return nil, err
			}
			rv.Charts = charts
			for _, rc := range charts {
				pg.Charts += len(rc.Charts)
			}
		}
	}
	pg.Env = envOf(r.env)
	return pg, nil
}

func runFacts(r *run, c artifact.Counts, successRate string) []fact {
	var fs []fact
	add := func(n, v string) { fs = append(fs, fact{n, v}) }
	if !r.start.IsZero() {
		add("Started", r.start.UTC().Format(time.RFC3339))
		add("Last record", r.end.UTC().Format(time.RFC3339))
		add("Span", fmtDur(r.end.Sub(r.start)))
	}
	if st := r.state; st != nil {
		add("Run id", st.RunID)
		if st.Stop != "" {
			s := string(st.Stop)
			if st.Reason != "" {
				s += ": " + st.Reason
			}
			add("Stopped by", s)
		} else {
			add("Stopped by", "not recorded (running, or the soak process died)")
		}
		if st.Resumes > 0 {
			add("Resumes", fmt.Sprint(st.Resumes))
		}
	}
	it := summary.Iterations{Counts: c}
	add("Iterations", it.String())
	if successRate != "" {
		add("Success rate", successRate)
	}
	return fs
}

// statusRank orders iteration statuses by how much they matter, for cells
// that stand for several iterations.
func statusRank(s artifact.IterStatus) int {
	switch s {
	case artifact.IterFailed:
		return 4
	case artifact.IterTimedOut:
		return 3
	case artifact.IterInterrupted:
		return 2
	case artifact.IterCancelled, artifact.IterCut:
		return 1
	}
	return 0
}

func timeline(tl *timelineAcc, c artifact.Counts, failIDs map[int]string) timelineView {
	tv := timelineView{PerCell: tl.perCell}
	tv.Counts = []fact{
		{"passed", fmt.Sprint(c.Passed)}, {"failed", fmt.Sprint(c.Failed)}, {"of which timed out", fmt.Sprint(c.TimedOut)},
		{"cut by the deadline", fmt.Sprint(c.Cut)}, {"cancelled", fmt.Sprint(c.Cancelled)}, {"interrupted", fmt.Sprint(c.Interrupted)},
	}
	for _, g := range tl.cells {
		if g.n == 0 {
			continue
		}
		var title string
		if g.n == 1 {
			title = fmt.Sprintf("iteration %d: %s, %s", g.worstIter, statusWord(g.worst), fmtDur(time.Duration(g.worstMS)*time.Millisecond))
			if g.worstReason != "" {
				title += ": " + g.worstReason
			}
		} else {
			title = fmt.Sprintf("iterations %d–%d: %d passed, %d failed, %d timed out", g.first, g.last, g.passed, g.failed, g.timedOut)
			if statusRank(g.worst) > 0 {
				title += fmt.Sprintf("; worst: iteration %d %s", g.worstIter, statusWord(g.worst))
			}
		}
		cl := cell{Class: "s-" + string(g.worst), Title: title}
		if id, ok := failIDs[g.worstIter]; ok {
			cl.Link = "#" + id
		}
		tv.Cells = append(tv.Cells, cl)
	}
	tv.HasCells = len(tv.Cells) > 0
	if tv.HasCells {
		tv.From = tl.from.UTC().Format(time.RFC3339)
		tv.To = tl.to.UTC().Format(time.RFC3339)
	}
	return tv
}

func statusWord(s artifact.IterStatus) string { return strings.ReplaceAll(string(s), "_", " ") }

func failureOf(rec *artifact.Record) failureView {
	fv := failureView{
		iteration: rec.Iteration,
		ID:        fmt.Sprintf("iter-%d", rec.Iteration),
		Title:     fmt.Sprintf("Iteration %d: %s", rec.Iteration, strings.ToUpper(statusWord(rec.Status))),
		Start:     rec.Start.UTC().Format(time.RFC3339),
		Reason:    rec.Reason,
	}
	var walk func(prefix string, steps []artifact.StepRecord)
	walk = func(prefix string, steps []artifact.StepRecord) {
		for _, s := range steps {
			if s.Status.OK() || s.Status == step.Skipped || s.Status == "" {
				continue
			}
			fs := failedStep{Name: prefix + s.Name, Status: strings.ToUpper(strings.ReplaceAll(string(s.Status), "_", " ")), Details: s.Details, Tail: s.Tail}
			for _, l := range s.Logs {
				// Log paths are relative to the artifacts root; the page is
				// in its soak/ directory.
				fs.Logs = append(fs.Logs, logLink{Href: "../" + l, Name: path.Base(l)})
			}
			fv.Steps = append(fv.Steps, fs)
			walk(prefix+s.Name+" / ", s.Steps)
		}
	}
	walk("", rec.Steps)
	return fv
}

// resourceChart charts the n samples of metric m of target tgt, of which
// ts and vs are all, or an evenly thinned selection (see [chartBuf]).
func resourceChart(ax timeAxis, id, tgt string, m probe.Metric, ts []time.Time, vs []float64, n int, v probe.Verdict, maxPoints int) (chartView, error) {
	ylabel, scale := metricAxis(m)
	ys := make([]float64, len(vs))
	for i, x := range vs {
		ys[i] = x * scale
	}
	spec := chartSpec{
		id:        id,
		title:     fmt.Sprintf("%s of %s", metricName(m), tgt),
		xLabel:    ax.label(),
		yLabel:    ylabel,
		line:      downsample(ax, ts, ys, maxPoints),
		lineLabel: "samples",
	}
	cv := chartView{ID: id}
	if v.Metric != "" {
		cv.Outcome, cv.Class, cv.Trend, cv.Reason = string(v.Outcome), strings.ToLower(string(v.Outcome)), slopeText(v), v.Reason
		// The summary judges steps' trees from per-iteration figures (peak
		// RSS, counts), not from these samples, so their fit is not drawn
		// over the samples; the words still show. Neither is a fit per
		// iteration, which has no time axis.
		perHour := strings.HasSuffix(v.Unit, "/h") && !artifact.IsStep(tgt)
		if perHour && !v.From.IsZero() && v.From.After(ts[0]) {
			spec.shade = [2]float64{ax.x(ts[0]), ax.x(v.From)}
		}
		if perHour && v.Points > 0 && !v.From.IsZero() && v.To.After(v.From) {
			spec.trend = trendLine(ax, ts, ys, v.From, v.To, v.Slope)
			spec.trendLabel = "trend " + cv.Trend
		}
	}
	spec.desc = fmt.Sprintf("%d samples drawn as %d points. Trend: %s. %s", n, len(spec.line), orNone(cv.Trend), cv.Reason)
	svg, err := spec.render()
	cv.SVG = svg
	return cv, err
}

func stepChart(ax timeAxis, id string, ss *stepSeries, st stepStats, haveStats bool, maxPoints int) (chartView, error) {
	name := ss.name
	ts, ys := ss.all.points()
	passT, passY := ss.pass.points()
	mark := func(m marks, pts []timedPoint) marks {
		for _, p := range pts {
			m.pts = append(m.pts, plotter.XY{X: ax.x(p.t), Y: p.v})
		}
		return m
	}
	fails := mark(marks{label: "failed", glyph: draw.CrossGlyph{}, color: colFail}, ss.fails)
	touts := mark(marks{label: "timed out", glyph: draw.TriangleGlyph{}, color: colTimeout}, ss.touts)
	spec := chartSpec{
		id:        id,
		title:     fmt.Sprintf("Duration of step %s", name),
		xLabel:    ax.label() + " at the iteration's start",
		yLabel:    "duration (s)",
		line:      downsample(ax, ts, ys, maxPoints),
		lineLabel: "duration per iteration",
		marks:     []marks{fails, touts},
	}
	cv := chartView{ID: id}
	if haveStats {
		if st.p50 >= 0 {
			spec.refs = []refLine{
				{label: "p50 " + fmtDur(st.p50), y: st.p50.Seconds(), dashes: []vg.Length{vg.Points(2), vg.Points(2)}},
				{label: "p95 " + fmtDur(st.p95), y: st.p95.Seconds(), dashes: []vg.Length{vg.Points(8), vg.Points(3)}},
			}
			cv.Trend = fmt.Sprintf("p50 %s, p95 %s, max %s of passing runs", fmtDur(st.p50), fmtDur(st.p95), fmtDur(st.max))
		}
		cv.Outcome, cv.Class, cv.Reason = st.slowdown, strings.ReplaceAll(strings.ToLower(st.slowdown), " ", ""), st.slowdownSentence
		if v := st.trend; st.hasTrend && strings.HasSuffix(v.Unit, "/h") && v.Points > 0 && v.To.After(v.From) {
			spec.trend = trendLine(ax, passT, passY, v.From, v.To, v.Slope)
			spec.trendLabel = fmt.Sprintf("trend %+.3g %s", v.Slope, v.Unit)
			if v.From.After(ss.first) {
				spec.shade = [2]float64{ax.x(ss.first), ax.x(v.From)}
			}
		}
	}
	spec.desc = fmt.Sprintf("%d runs of step %s drawn as %d points; %d failed, %d timed out (marked). %s",
		ss.runs, name, len(spec.line), len(fails.pts), len(touts.pts), cv.Reason)
	svg, err := spec.render()
	cv.SVG = svg
	return cv, err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// chartID makes an HTML id from parts: "chart", then each part lower-cased
// with anything but ASCII letters and digits as '_', joined by dashes.
// Distinct parts can give the same id ("unit-tests", "Unit tests"); use
// [chartIDs] for the ids of one page.
func chartID(parts ...string) string {
	var b strings.Builder
	b.WriteString("chart")
	for _, p := range parts {
		b.WriteByte('-')
		for _, r := range strings.ToLower(p) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

// chartIDs hands out the chart ids of one page, each unique: a repeat of
// an id gets "-2", "-3"… so that every figure's id, and the SVG title and
// description its aria-labelledby names, belong to that chart alone.
type chartIDs map[string]bool

func (ids chartIDs) make(parts ...string) string {
	base := chartID(parts...)
	id := base
	for n := 2; ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	ids[id] = true
	return id
}

func fmtDur(d time.Duration) string {
	switch {
	case d < 0:
		return "–"
	case d >= time.Hour:
		return d.Round(time.Minute).String()
	case d >= time.Minute:
		return d.Round(time.Second).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

func envOf(e *probe.Env) *envView {
	if e == nil {
		return nil
	}
	ev := &envView{Modules: e.Modules, Errors: e.Errors}
	add := func(n, v string) {
		if v != "" {
			ev.Facts = append(ev.Facts, fact{n, v})
		}
	}
	add("Taken", e.Time.UTC().Format(time.RFC3339))
	add("Directory", e.Dir)
	add("Go", e.GoVersion)
	add("OS/arch", e.GOOS+"/"+e.GOARCH)
	add("CPUs", fmt.Sprint(e.NumCPU))
	if e.MemTotal > 0 {
		add("Memory", fmt.Sprintf("%.0f MiB total, %.0f MiB available", float64(e.MemTotal)/probe.MiB, float64(e.MemAvail)/probe.MiB))
	}
	if e.DiskTotal > 0 {
		add("Disk", fmt.Sprintf("%s: %.1f GiB free of %.1f GiB", e.DiskPath, float64(e.DiskFree)/(1<<30), float64(e.DiskTotal)/(1<<30)))
	}
	add("Module", e.Module)
	if e.GitCommit != "" {
		s := e.GitCommit
		if e.GitDirty != nil && *e.GitDirty {
			s += " (uncommitted changes)"
		}
		add("Git commit", s)
	}
	for _, k := range sortedKeys(e.Vars) {
		ev.Vars = append(ev.Vars, fact{k, e.Vars[k]})
	}
	return ev
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
