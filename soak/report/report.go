package report

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
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
	// MaxBytes is the most bytes the page may take: a soak's closing files
	// must fit in the room its byte cap kept for them. A page that would be
	// larger is drawn again, shorter, and says so: fewer points per chart,
	// fewer failing iterations detailed (the rest counted), fewer timeline
	// bars. If even the shortest form does not fit, nothing is written and
	// the error wraps [ErrTooLarge]. Default: 0, no limit.
	MaxBytes int64
	// Summary is the run's summary, whose verdict, leak and slowdown
	// verdicts, step figures, flaky table and gates the page shows: the
	// page renders them and never judges on its own. Default: computed
	// from the artifacts with summary.Compute and SummaryConfig, in the
	// same pass over the files as the page's own reading.
	Summary *summary.Summary
	// SummaryConfig judges the run when Summary is nil; pass the soak's
	// config so that its gates and policies apply. Default: nil, the
	// summary's defaults (no gates).
	SummaryConfig *summary.Config
	// Runners holds, for the page of a merged summary (one with
	// summary.Summary.Runners), the resource series of its runners by
	// their source (summary.Runner.Source), collected while each was
	// judged, so that no runner's samples are decoded a second time for
	// its charts. A runner without one has its samples read from its
	// source. Default: none.
	Runners map[string]*ResourceSeries
}

// ErrTooLarge is wrapped by the error of a page that does not fit in
// [Options.MaxBytes] even in its shortest form.
var ErrTooLarge = errors.New("the page does not fit in its byte limit")

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
// chart cannot be drawn, the page does not fit in Options.MaxBytes, or w
// fails.
func Render(root string, w io.Writer, opts *Options) error {
	r, err := read(root, opts)
	if err != nil {
		return err
	}
	return r.render(w, opts)
}

// WriteFile renders the report of the artifacts tree at root and writes it
// atomically to its place in the tree ([artifact.Layout.HTMLReport]): a
// reader, or a crash, never sees half a page. If rendering fails, an
// earlier report is left untouched.
func WriteFile(root string, opts *Options) error {
	// Check first: the atomic write creates the soak directory, which would
	// make a mistyped root look like an empty artifacts tree.
	if fi, err := os.Stat(root); err != nil {
		return fmt.Errorf("report: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("report: %s is not a directory", root)
	}
	r, err := read(root, opts)
	if err != nil {
		return err
	}
	return r.writeFile(opts)
}

// A Run is the artifacts tree of one soak read in a single pass: its
// summary, and what its page draws, held in memory that does not grow with
// the number of iterations or samples. It serves a caller that needs the
// summary before the page is written (to write the summary files first, or
// to size the page) without reading the files twice. Make one with [Read].
type Run struct {
	// Summary judges the run; the page renders its verdicts.
	Summary *summary.Summary
	root    string
	r       *run
}

// Read reads the artifacts tree at root once, judging it with
// summary.Compute under cfg (nil: the summary's defaults) while it gathers
// what the page draws. Its error is summary.Compute's, or says that root
// cannot be read.
func Read(root string, cfg *summary.Config) (*Run, error) {
	return read(root, &Options{SummaryConfig: cfg})
}

func read(root string, opts *Options) (*Run, error) {
	var s *summary.Summary
	var cfg *summary.Config
	if opts != nil {
		s, cfg = opts.Summary, opts.SummaryConfig
	}
	if s != nil {
		r, err := load(root)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		return &Run{Summary: s, root: root, r: r}, nil
	}
	r, err := newRun(root)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	s, err = summary.Compute(root, cfg, summary.Visit(r.record, r.sample))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r.done()
	return &Run{Summary: s, root: root, r: r}, nil
}

// Render writes the page of the run to w, as the function [Render] does.
// opts.Summary and opts.SummaryConfig must be nil (the run was judged when
// it was read): Render reports an error otherwise.
func (r *Run) Render(w io.Writer, opts *Options) error {
	if err := runOptions(opts); err != nil {
		return err
	}
	return r.render(w, opts)
}

// WriteFile writes the page of the run atomically to its place in the
// tree, as the function [WriteFile] does. opts.Summary and
// opts.SummaryConfig must be nil (the run was judged when it was read):
// WriteFile reports an error otherwise.
func (r *Run) WriteFile(opts *Options) error {
	if err := runOptions(opts); err != nil {
		return err
	}
	return r.writeFile(opts)
}

func runOptions(opts *Options) error {
	if opts != nil && (opts.Summary != nil || opts.SummaryConfig != nil) {
		return errors.New("report: a Run renders its own summary: Options.Summary and SummaryConfig must be nil")
	}
	return nil
}

func (r *Run) writeFile(opts *Options) error {
	return atomicfile.Write(artifact.Layout{Root: r.root}.HTMLReport(), 0o644, func(w io.Writer) error {
		return r.render(w, opts)
	})
}

// render writes the page to w: in its full form, or, if opts.MaxBytes is
// set and the full form would exceed it, the first shorter form that fits.
func (r *Run) render(w io.Writer, opts *Options) error {
	j := fromSummary(r.Summary)
	var limit int64
	if opts != nil {
		limit = opts.MaxBytes
	}
	if limit <= 0 {
		pg, err := buildPage(r.r, j, opts, shortenings[0])
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
	var buf bytes.Buffer
	for i, sh := range shortenings {
		pg, err := buildPage(r.r, j, opts, sh)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if i > 0 {
			pg.Shortened = shortNote(sh, sh.maxPoints(opts), limit)
		}
		buf.Reset()
		lw := &limitWriter{w: &buf, n: limit}
		err = tmpl.Execute(lw, pg)
		if lw.over {
			continue
		}
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return nil
	}
	return fmt.Errorf("report: %w: the shortest form takes more than %d bytes", ErrTooLarge, limit)
}

// A limitWriter fails once more than n bytes are written to it, so that a
// page that will not fit is abandoned early.
type limitWriter struct {
	w     io.Writer
	n     int64
	wrote int64
	over  bool
}

func (l *limitWriter) Write(p []byte) (int, error) {
	l.wrote += int64(len(p))
	if l.wrote > l.n {
		l.over = true
		return 0, ErrTooLarge
	}
	return l.w.Write(p)
}
