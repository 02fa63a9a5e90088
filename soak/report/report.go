package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"

	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

// DefaultMaxPoints is the default of [Options.MaxPoints].
const DefaultMaxPoints = 1000

// Options configure [Render] and [WriteFile]. A nil *Options consists
// entirely of defaults, and so does the zero value.
type Options struct {
	// Title heads the page. Default: "Soak report".
	Title string
	// MaxPoints is the most points drawn per series; longer series are
	// downsampled with largest-triangle-three-buckets, which keeps spikes.
	// Default: DefaultMaxPoints, about one point per pixel of a wide chart.
	MaxPoints int
	// Summary is the run's summary, whose verdict, leak and slowdown
	// verdicts, step figures, flaky table and gates the page shows: the
	// page renders them and never judges on its own. Default: computed
	// from the artifacts with summary.Compute and SummaryConfig.
	Summary *summary.Summary
	// SummaryConfig judges the run when Summary is nil; pass the soak's
	// config so that its gates and policies apply. Default: nil, the
	// summary's defaults (no gates).
	SummaryConfig *summary.Config
}

func (o *Options) title() string {
	if o == nil || o.Title == "" {
		return "Soak report"
	}
	return o.Title
}

func (o *Options) maxPoints() int {
	if o == nil || o.MaxPoints <= 0 {
		return DefaultMaxPoints
	}
	return max(o.MaxPoints, 3)
}

//go:embed page.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.Must(template.New("page").Parse(pageTemplate)).Parse(runnersTemplate))

// Render writes the HTML report of the artifacts tree at root to w.
//
// The artifacts may belong to a soak that is still running or that was cut
// short by a crash: the summary says so, and a torn last line of a JSON
// Lines file is ignored. The verdict and every judged figure come from the
// summary (Options.Summary, or summary.Compute), so the page always agrees
// with summary.json; if the summary cannot be computed (damaged or
// inconsistent artifacts) Render fails with its error rather than show a
// verdict of its own. Charts of files that cannot be read are listed on the
// page as missing. The error is also non-nil if root cannot be read, a
// chart cannot be drawn, or w fails.
func Render(root string, w io.Writer, opts *Options) error {
	// The summary reads the artifacts on its own; let it do so while they
	// are read here. Both are done before Render returns.
	var s *summary.Summary
	var cfg *summary.Config
	if opts != nil {
		s, cfg = opts.Summary, opts.SummaryConfig
	}
	type computed struct {
		s   *summary.Summary
		err error
	}
	var done chan computed
	if s == nil {
		done = make(chan computed, 1)
		go func() {
			s, err := summary.Compute(root, cfg)
			done <- computed{s, err}
		}()
	}
	r, err := load(root)
	if done != nil {
		c := <-done
		if c.err != nil {
			return fmt.Errorf("report: %w", c.err)
		}
		s = c.s
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	pg, err := buildPage(r, fromSummary(s), opts)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := tmpl.Execute(bw, pg); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// WriteFile renders the report of the artifacts tree at root and writes it
// atomically to its place in the tree ([artifact.Layout.HTMLReport]): a reader, or a crash, never sees half a page.
// If rendering fails, an earlier report is left untouched.
func WriteFile(root string, opts *Options) error {
	// Check first: the atomic write creates the soak directory, which would
	// make a mistyped root look like an empty artifacts tree.
	if fi, err := os.Stat(root); err != nil {
		return fmt.Errorf("report: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("report: %s is not a directory", root)
	}
	return atomicfile.Write(artifact.Layout{Root: root}.HTMLReport(), 0o644, func(w io.Writer) error {
		return Render(root, w, opts)
	})
}
