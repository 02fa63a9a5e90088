package report

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

// chromiumPath finds a Chromium or Chrome binary: $SOAKKIT_CHROMIUM, then the
// usual names on $PATH (Debian's chromium package installs /usr/bin/chromium).
func chromiumPath() string {
	if p := os.Getenv("SOAKKIT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium for the test and returns the
// context of its first tab. It skips the test when no browser is installed.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		t.Skip("no chromium binary found (install Debian's chromium package, as .ci/run does, or set SOAKKIT_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	// No timeout on the allocator's context: it would end the browser.
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, so that its start-up is not charged to the
	// first page.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	return ctx
}

// A console collects the console errors, uncaught exceptions and browser
// log errors and warnings of a tab.
type console struct {
	mu   sync.Mutex
	msgs []string
}

func listenConsole(t *testing.T, ctx context.Context) *console {
	t.Helper()
	c := &console{}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				msg = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				msg = fmt.Sprintf("log %s (%s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		}
		if msg != "" {
			c.mu.Lock()
			c.msgs = append(c.msgs, msg)
			c.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listening to the console: %v", err)
	}
	return c
}

func (c *console) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.msgs
	c.msgs = nil
	return m
}

// chartInfo is what the page reports about one chart.
type chartInfo struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Width       float64 `json:"w"`
	Height      float64 `json:"h"`
	FigureWidth float64 `json:"fw"` // the figure scrolls a chart wider than itself
	Paths       int     `json:"paths"`
	LongestPath int     `json:"longest"` // characters of the longest path's data: the series
	Texts       int     `json:"texts"`
}

const inspectJS = `(() => {
	const charts = Array.from(document.querySelectorAll('figure[data-chart]')).map(f => {
		const s = f.querySelector('svg');
		const r = s ? s.getBoundingClientRect() : {width: 0, height: 0};
		const fr = f.getBoundingClientRect();
		const paths = s ? Array.from(s.querySelectorAll('path')) : [];
		return {
			id: f.id,
			title: s && s.querySelector('title') ? s.querySelector('title').textContent : '',
			w: r.width, h: r.height, fw: fr.width,
			paths: paths.length,
			longest: Math.max(0, ...paths.map(p => (p.getAttribute('d') || '').length)),
			texts: s ? s.querySelectorAll('text').length : 0,
		};
	});
	return {
		charts: charts,
		verdict: (document.querySelector('#verdict .word') || {}).textContent || '',
		resources: performance.getEntriesByType('resource').map(e => e.name),
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
		timeline: document.querySelectorAll('.timeline li').length,
		failLinks: Array.from(document.querySelectorAll('.timeline a')).filter(a => document.querySelector(a.getAttribute('href'))).length,
	};
})()`

type pageInfo struct {
	Charts      []chartInfo `json:"charts"`
	Verdict     string      `json:"verdict"`
	Resources   []string    `json:"resources"`
	ScrollWidth float64     `json:"scrollWidth"`
	InnerWidth  float64     `json:"innerWidth"`
	Timeline    int         `json:"timeline"`
	FailLinks   int         `json:"failLinks"`
}

// screenshotDir is where screenshots go: $SOAKKIT_SCREENSHOTS if set (to look
// at them), else the test's temporary directory.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("SOAKKIT_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestBrowserHarness checks that the console listener sees errors at all,
// so that the "no console errors" checks below can fail.
func TestBrowserHarness(t *testing.T) {
	ctx := newBrowser(t)
	con := listenConsole(t, ctx)
	page := filepath.Join(t.TempDir(), "bad.html")
	if err := os.WriteFile(page, []byte(`<!DOCTYPE html><title>bad</title><script>console.error("planted"); undefinedFunction();</script><img src="missing.png">`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(page)), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	var got []string
	for time.Now().Before(deadline) && len(got) < 3 {
		got = append(got, con.take()...)
		time.Sleep(50 * time.Millisecond)
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"planted", "undefinedFunction", "missing.png"} {
		if !strings.Contains(joined, want) {
			t.Errorf("console listener missed %q; got:\n%s", want, joined)
		}
	}
}

func TestBrowser(t *testing.T) {
	ctx := newBrowser(t)
	shots := screenshotDir(t)
	tests := []struct {
		name          string
		give          synth
		wantVerdict   string
		wantCharts    int // 4 of the service, 6 of self, 2 steps
		wantFailLinks int // timeline bars linking to a failing iteration's tail
		opts          *Options
	}{
		{name: "leaky", give: leakySoak(), wantVerdict: wordFailed, wantCharts: 12, wantFailLinks: 6},
		{name: "healthy", give: healthySoak(), wantVerdict: wordPassed, wantCharts: 12},
		{name: "slowdown", give: slowSoak(), wantVerdict: wordSlowdown, wantCharts: 12, opts: &Options{SummaryConfig: &summary.Config{
			Gates: []summary.Gate{{Name: "failure rate", Figure: "failure_rate", Max: new(0.01)}},
		}}},
		{name: "long", give: synth{start: synthStart, length: 24 * time.Hour, interval: 10 * time.Second, iteration: time.Minute, failEvery: 211},
			wantVerdict: wordFailed, wantCharts: 12, wantFailLinks: 6},
		{name: "crashed", give: func() synth {
			s := leakySoak()
			s.failEvery, s.timeoutAt, s.running, s.tornTail = 0, 0, true, true
			return s
		}(), wantVerdict: "INCOMPLETE", wantCharts: 12}, // no recorded end: the judge says incomplete
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := synthDir(t, tt.give)
			if err := WriteFile(dir, tt.opts); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}
			tab, cancel := chromedp.NewContext(ctx) // a new tab of the same browser
			defer cancel()
			con := listenConsole(t, tab)
			tctx, cancelT := context.WithTimeout(tab, 60*time.Second)
			defer cancelT()

			for _, width := range []int64{1200, 380} {
				if err := chromedp.Do(tctx,
					chromedp.EmulateViewport(width, 900),
					chromedp.Navigate(fileURL(artifact.Layout{Root: dir}.HTMLReport())),
					chromedp.WaitReady("footer"),
				); err != nil {
					t.Fatalf("loading the report at width %d: %v", width, err)
				}
				info, err := chromedp.Run(tctx, chromedp.Evaluate[pageInfo](inspectJS))
				if err != nil {
					t.Fatalf("inspecting the page: %v", err)
				}
				checkPage(t, width, info, tt.wantVerdict, tt.wantCharts)
				if info.FailLinks != tt.wantFailLinks {
					t.Errorf("width %d: %d timeline bars link to a failing iteration, want %d", width, info.FailLinks, tt.wantFailLinks)
				}
				if width == 1200 && info.FailLinks > 0 {
					checkFailureLink(t, tctx)
				}
				png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				shot := filepath.Join(shots, fmt.Sprintf("report-%s-%d.png", tt.name, width))
				if err := os.WriteFile(shot, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s (%d bytes)", shot, len(png))
			}
			// Console messages arrive asynchronously; give stragglers a moment.
			time.Sleep(200 * time.Millisecond)
			if msgs := con.take(); len(msgs) > 0 {
				t.Errorf("console errors or warnings while loading the report:\n%s", strings.Join(msgs, "\n"))
			}
		})
	}
}

func checkPage(t *testing.T, width int64, info pageInfo, wantVerdict string, wantCharts int) {
	t.Helper()
	if info.Verdict != wantVerdict {
		t.Errorf("width %d: verdict %q, want %q", width, info.Verdict, wantVerdict)
	}
	if len(info.Resources) > 0 {
		t.Errorf("width %d: the page loaded resources, want none (self-contained): %q", width, info.Resources)
	}
	if info.ScrollWidth > info.InnerWidth+1 {
		t.Errorf("width %d: page is %v px wide in a %v px window (horizontal scrolling)", width, info.ScrollWidth, info.InnerWidth)
	}
	if info.Timeline == 0 {
		t.Errorf("width %d: no iteration timeline", width)
	}
	if len(info.Charts) != wantCharts {
		t.Errorf("width %d: %d charts, want %d", width, len(info.Charts), wantCharts)
	}
	for _, c := range info.Charts {
		switch {
		case c.Width < 100 || c.Height < 50:
			t.Errorf("width %d: chart %s is %vx%v px, want a visible chart", width, c.ID, c.Width, c.Height)
		case c.FigureWidth > float64(width):
			t.Errorf("width %d: chart %s's figure is %v px wide, wider than the window", width, c.ID, c.FigureWidth)
		case c.Title == "":
			t.Errorf("width %d: chart %s has no title", width, c.ID)
		case c.Texts < 5:
			t.Errorf("width %d: chart %s has %d text elements, want a title, axis labels and ticks", width, c.ID, c.Texts)
		case c.LongestPath < 200:
			t.Errorf("width %d: chart %s: longest path has %d characters, want a drawn series", width, c.ID, c.LongestPath)
		}
	}
}

func fileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// checkFailureLink clicks the first failing bar of the timeline and checks
// that the browser shows that iteration's log tail: the link's target is
// inside a closed <details>, which the browser opens on the navigation.
func checkFailureLink(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".timeline a"))); err != nil {
		t.Fatalf("clicking a failing bar: %v", err)
	}
	const js = `(() => {
		const el = location.hash && document.querySelector(location.hash);
		const d = el && el.closest('details');
		const pre = el && el.querySelector('pre');
		return {hash: location.hash, open: !!(d && d.open), tail: pre ? pre.innerText : '', visible: pre ? pre.getBoundingClientRect().height > 0 : false};
	})()`
	type state struct {
		Hash    string `json:"hash"`
		Open    bool   `json:"open"`
		Tail    string `json:"tail"`
		Visible bool   `json:"visible"`
	}
	var st state
	deadline := time.Now().Add(5 * time.Second)
	for {
		var err error
		st, err = chromedp.Run(ctx, chromedp.Evaluate[state](js))
		if err != nil {
			t.Fatalf("reading the target: %v", err)
		}
		if st.Open || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st.Hash == "" || !st.Open || !st.Visible || !strings.Contains(st.Tail, "FAIL") {
		t.Errorf("after clicking a failing bar: %+v; want its iteration's details open with the log tail visible", st)
	}
}

// TestBrowserMerged: the page of a merged summary (several runners) shows
// the merged verdict and the runners and cross-runner tables, fits a
// narrow window and loads nothing.
func TestBrowserMerged(t *testing.T) {
	ctx := newBrowser(t)
	var m summary.Merger
	for _, s := range []synth{leakySoak(), healthySoak(), slowSoak()} {
		dir := synthDir(t, s)
		sum, err := summary.Compute(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		m.Add(dir, sum)
	}
	merged := m.Summary()
	out := t.TempDir()
	if err := WriteFile(out, &Options{Summary: merged, Title: "merged"}); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	con := listenConsole(t, ctx)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	const js = `({verdict: document.querySelector('#verdict .word').textContent,
		runners: document.querySelectorAll('#runners table')[0].tBodies[0].rows.length,
		cross: document.querySelectorAll('#runners table').length > 1 ? document.querySelectorAll('#runners table')[1].tBodies[0].rows.length : 0,
		resources: performance.getEntriesByType('resource').length,
		scroll: document.documentElement.scrollWidth - window.innerWidth})`
	type info struct {
		Verdict   string  `json:"verdict"`
		Runners   int     `json:"runners"`
		Cross     int     `json:"cross"`
		Resources int     `json:"resources"`
		Scroll    float64 `json:"scroll"`
	}
	for _, width := range []int64{1200, 380} {
		if err := chromedp.Do(tctx, chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(fileURL(artifact.Layout{Root: out}.HTMLReport())), chromedp.WaitReady("footer")); err != nil {
			t.Fatalf("loading the merged report: %v", err)
		}
		got, err := chromedp.Run(tctx, chromedp.Evaluate[info](js))
		if err != nil {
			t.Fatal(err)
		}
		want := info{Verdict: strings.ToUpper(string(merged.Verdict.Status)), Runners: 3, Cross: len(merged.CrossRunner)}
		if got.Scroll <= 1 {
			got.Scroll = 0
		}
		if got != want || merged.Verdict.Status != summary.Failed || len(merged.CrossRunner) == 0 {
			t.Errorf("width %d: page %+v, want %+v (merged verdict %s, %d cross-runner rows)", width, got, want,
				merged.Verdict.Status, len(merged.CrossRunner))
		}
	}
	time.Sleep(200 * time.Millisecond)
	if msgs := con.take(); len(msgs) > 0 {
		t.Errorf("console errors or warnings:\n%s", strings.Join(msgs, "\n"))
	}
}
