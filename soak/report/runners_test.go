package report

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/summary"
)

// mergedOf judges the runs at dirs and merges them. With series, each
// runner's resource series is collected while it is judged, as soak/merge
// does, and returned by its source.
func mergedOf(t *testing.T, dirs []string, series bool) (*summary.Summary, map[string]*ResourceSeries) {
	t.Helper()
	var m summary.Merger
	byDir := map[string]*ResourceSeries{}
	for _, dir := range dirs {
		var opts []summary.Option
		if series {
			rs := &ResourceSeries{}
			byDir[dir] = rs
			opts = append(opts, summary.Visit(nil, rs.Add))
		}
		s, err := summary.Compute(dir, nil, opts...)
		if err != nil {
			t.Fatal(err)
		}
		m.Add(dir, s)
	}
	if !series {
		byDir = nil
	}
	return m.Summary(), byDir
}

// TestRunnerSeriesGiven: a merged page drawn from the series collected
// while the runners were judged is the page drawn by reading each runner's
// samples again, and collecting them changes no verdict.
func TestRunnerSeriesGiven(t *testing.T) {
	dirs := []string{synthDir(t, leakySoak()), synthDir(t, healthySoak()), synthDir(t, slowSoak())}
	read, _ := mergedOf(t, dirs, false)
	given, series := mergedOf(t, dirs, true)
	if diff := cmp.Diff(read.Verdict, given.Verdict); diff != "" {
		t.Errorf("merged verdict with series collected (-without +with):\n%s", diff)
	}
	if diff := cmp.Diff(read.Runners, given.Runners); diff != "" {
		t.Errorf("runners with series collected (-without +with):\n%s", diff)
	}
	out := t.TempDir()
	var a, b bytes.Buffer
	if err := Render(out, &a, &Options{Summary: read}); err != nil {
		t.Fatal(err)
	}
	if err := Render(out, &b, &Options{Summary: given, Runners: series}); err != nil {
		t.Fatal(err)
	}
	pa, pb := generatedRE.ReplaceAllString(a.String(), ""), generatedRE.ReplaceAllString(b.String(), "")
	if pa != pb {
		t.Errorf("merged page from collected series differs from the page that reads the samples:\n%s", cmp.Diff(pa, pb))
	}
	if n := len(runnerChartIDs(pb)); n != 12 {
		t.Errorf("merged page has %d runner charts, want 12 (RSS and FDs of service and self on 3 runners)", n)
	}
	// The page draws from the series it is given, not from the sources:
	// given an empty one, the runner has no chart; given none, its
	// samples are read.
	var e bytes.Buffer
	if err := Render(out, &e, &Options{Summary: given, Runners: map[string]*ResourceSeries{dirs[0]: {}}}); err != nil {
		t.Fatal(err)
	}
	if n := len(runnerChartIDs(e.String())); n != 8 {
		t.Errorf("merged page given an empty series for one runner has %d runner charts, want 8", n)
	}
	delete(series, dirs[1])
	var c bytes.Buffer
	if err := Render(out, &c, &Options{Summary: given, Runners: series}); err != nil {
		t.Fatal(err)
	}
	if pc := generatedRE.ReplaceAllString(c.String(), ""); pc != pa {
		t.Errorf("merged page with one runner's series missing differs:\n%s", cmp.Diff(pa, pc))
	}
}

// TestResourceSeriesBounded: a runner's series holds at most 600 points a
// chart whatever the length of its run, counts every sample, keeps the
// extremes, and draws at most 300 points.
func TestResourceSeriesBounded(t *testing.T) {
	var rs ResourceSeries
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	const n = 259_200 // 72 h at 1 Hz
	for i := range n {
		rss := uint64(100 << 20)
		if i == 123_457 {
			rss = 900 << 20 // one spike
		}
		rs.Add(&probe.Sample{Time: t0.Add(time.Duration(i) * time.Second), Target: "service", RSS: rss, FDs: 10 + i%3, Procs: 1})
		rs.Add(&probe.Sample{Time: t0.Add(time.Duration(i) * time.Second), Target: "step:unit", RSS: 1 << 20, Procs: 1})
	}
	if len(rs.targets) != 1 || rs.targets[0].name != "service" {
		t.Fatalf("%d targets, want service only", len(rs.targets))
	}
	for i, m := range runnerChartMetrics {
		b := rs.targets[0].bufs[i]
		if b == nil {
			t.Fatalf("no %s series", m)
		}
		ts, vs := b.points()
		if len(ts) > 2*maxRunnerChartPoints || b.n != n {
			t.Errorf("%s: %d points held, %d counted; want at most %d, %d", m, len(ts), b.n, 2*maxRunnerChartPoints, n)
		}
		if m == probe.RSS && !containsFloat(vs, 900<<20) {
			t.Errorf("RSS series lost its spike")
		}
	}
	r := summary.Runner{Source: "x"}
	r.Name = "x"
	charts, err := rs.charts(&r, chartIDs{}, DefaultMaxPoints)
	if err != nil {
		t.Fatal(err)
	}
	drawn := regexp.MustCompile(`(\d+) samples drawn as (\d+) points`)
	for _, cv := range charts {
		m := drawn.FindStringSubmatch(string(cv.SVG))
		if m == nil {
			t.Fatalf("chart %s does not say how many points it draws", cv.ID)
		}
		if k, _ := strconv.Atoi(m[2]); m[1] != "259200" || k > maxRunnerChartPoints {
			t.Errorf("chart %s: %s samples drawn as %s points, want 259200 as at most %d", cv.ID, m[1], m[2], maxRunnerChartPoints)
		}
	}
	if len(charts) != 2 {
		t.Errorf("%d charts, want 2", len(charts))
	}
}

// TestResourceSeriesClockStep: a sample older than its target's previous
// one (the clock stepped back) is not charted, as on a run's own page; a
// target's order does not depend on another target's samples.
func TestResourceSeriesClockStep(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		samples []probe.Sample
		want    map[string][]float64 // RSS points by target
	}{
		{"in order", []probe.Sample{
			{Time: t0, Target: "service", RSS: 1, Procs: 1},
			{Time: t0.Add(time.Second), Target: "service", RSS: 2, Procs: 1},
		}, map[string][]float64{"service": {1, 2}}},
		{"back in time", []probe.Sample{
			{Time: t0, Target: "service", RSS: 1, Procs: 1},
			{Time: t0.Add(2 * time.Second), Target: "service", RSS: 2, Procs: 1},
			{Time: t0.Add(time.Second), Target: "service", RSS: 99, Procs: 1},
			{Time: t0.Add(3 * time.Second), Target: "service", RSS: 3, Procs: 1},
		}, map[string][]float64{"service": {1, 2, 3}}},
		{"same time kept", []probe.Sample{
			{Time: t0, Target: "service", RSS: 1, Procs: 1},
			{Time: t0, Target: "service", RSS: 2, Procs: 1},
		}, map[string][]float64{"service": {1, 2}}},
		{"per target", []probe.Sample{
			{Time: t0.Add(5 * time.Second), Target: "service", RSS: 1, Procs: 1},
			{Time: t0, Target: "self", RSS: 7, Procs: 1},
			{Time: t0.Add(time.Second), Target: "self", RSS: 8, Procs: 1},
			{Time: t0.Add(4 * time.Second), Target: "service", RSS: 99, Procs: 1},
		}, map[string][]float64{"service": {1}, "self": {7, 8}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs ResourceSeries
			for i := range tt.samples {
				rs.Add(&tt.samples[i])
			}
			got := map[string][]float64{}
			for _, ts := range rs.targets {
				if b := ts.bufs[slices.Index(runnerChartMetrics[:], probe.RSS)]; b != nil {
					_, got[ts.name] = b.points()
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RSS points (-want +got):\n%s", diff)
			}
		})
	}
}

// runnerChartIDs returns the ids of the runners' charts on a page.
func runnerChartIDs(page string) map[string]bool {
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`<figure[^>]* id="(chart-runner-[^"]*)"`).FindAllStringSubmatch(page, -1) {
		ids[m[1]] = true
	}
	return ids
}

func containsFloat(vs []float64, x float64) bool {
	for _, v := range vs {
		if v == x {
			return true
		}
	}
	return false
}

// TestMergedPageShortened: each shortened form of a merged page draws the
// runners' charts once (or not at all in the form without charts).
func TestMergedPageShortened(t *testing.T) {
	dirs := []string{synthDir(t, leakySoak()), synthDir(t, healthySoak())}
	s, series := mergedOf(t, dirs, true)
	out := t.TempDir()
	var full bytes.Buffer
	if err := Render(out, &full, &Options{Summary: s, Runners: series}); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int64{int64(full.Len()) - 1, 60_000} {
		var b bytes.Buffer
		if err := Render(out, &b, &Options{Summary: s, Runners: series, MaxBytes: limit}); err != nil {
			t.Fatalf("MaxBytes %d: %v", limit, err)
		}
		page := b.String()
		n := len(runnerChartIDs(page))
		dup := regexp.MustCompile(`id="chart-runner-[^"]*-2"`).MatchString(page)
		if (n != 8 && n != 0) || dup {
			t.Errorf("MaxBytes %d: %d runner charts (duplicated ids: %v), want 8 or none", limit, n, dup)
		}
	}
}

// TestMergedPageFlakyAndStops: a merged page says, for a flaky step, in
// which iterations of which runner it failed, and why each runner stopped.
func TestMergedPageFlakyAndStops(t *testing.T) {
	running := healthySoak()
	running.running = true
	dirs := []string{synthDir(t, leakySoak()), synthDir(t, running)}
	s, series := mergedOf(t, dirs, true)
	if len(s.Flaky) == 0 || len(s.Flaky[0].FailedOn) != 1 {
		t.Fatalf("merged Flaky %+v, want a step flaky on one runner", s.Flaky)
	}
	var b bytes.Buffer
	if err := Render(t.TempDir(), &b, &Options{Summary: s, Runners: series}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	on := s.Flaky[0].FailedOn[0]
	for _, want := range []string{
		fmt.Sprintf("<td>%s: 9, 18, ", on.Runner),
		"<td>duration</td>",
		"<td>not recorded (running, or the soak process died)</td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("merged page lacks %q", want)
		}
	}
}
