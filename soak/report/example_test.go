package report_test

import (
	"bytes"
	"fmt"
	"log"
	"regexp"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/report"
	"github.com/soakkit/soakkit/soak/summary"
)

// Render writes the page for any artifacts tree, here a ten-minute soak whose
// third iteration failed.
func ExampleRender() {
	var page bytes.Buffer
	if err := report.Render("testdata/small", &page, nil); err != nil {
		log.Fatal(err)
	}
	verdict := regexp.MustCompile(`<p class="word">([^<]*)</p>\s*<p class="reason">([^<]*)</p>`).FindSubmatch(page.Bytes())
	fmt.Printf("%s: %s\n", verdict[1], verdict[2])
	fmt.Println(bytes.Count(page.Bytes(), []byte("<figure class=\"chart\"")), "charts")
	// Output:
	// FAILED: 1 of 5 iterations failed; first: iteration 3, step tests: --- FAIL: TestFlaky (0.20s)
	// 12 charts
}

// WriteFile is what `soakkit report DIR` does: it renders the artifacts
// tree at DIR again, whether the soak finished, is still running or
// crashed, and replaces DIR/soak/report.html atomically.
func ExampleWriteFile() {
	root := "artifacts" // the soak's Config.ArtifactsDir
	if err := report.WriteFile(root, &report.Options{Title: "Nightly soak"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", artifact.Layout{Root: root}.HTMLReport())
}

// Read reads the artifacts once, for the summary and the page together: a
// closing step can act on the verdict, then render the page in the room
// it has.
func ExampleRead() {
	run, err := report.Read("testdata/small", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(run.Summary.Verdict.Status, run.Summary.Iterations.Iterations, "iterations")
	var page bytes.Buffer
	if err := run.Render(&page, &report.Options{MaxBytes: 64 << 10}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Len() <= 64<<10, bytes.Contains(page.Bytes(), []byte("This page was shortened")))
	// Output:
	// failed 5 iterations
	// true true
}

// A ResourceSeries lets the page of a merged summary chart each runner's
// resources from the pass that judged it: here one runner, whose
// artifacts are testdata/small, merged on its own.
func ExampleResourceSeries() {
	var m summary.Merger
	series := map[string]*report.ResourceSeries{}
	for _, root := range []string{"testdata/small"} {
		rs := &report.ResourceSeries{}
		s, err := summary.Compute(root, nil, summary.Visit(nil, rs.Add))
		if err != nil {
			log.Fatal(err)
		}
		m.Add(root, s)
		series[root] = rs
	}
	merged := m.Summary()
	var page bytes.Buffer
	if err := report.Render("testdata/small", &page, &report.Options{Summary: merged, Runners: series}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(merged.Verdict.Status, len(merged.Runners), "runner")
	fmt.Println(len(regexp.MustCompile(`<figure class="chart" id="chart-runner-`).FindAll(page.Bytes(), -1)), "runner charts")
	// Output:
	// failed 1 runner
	// 4 runner charts
}
