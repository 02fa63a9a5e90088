package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"

	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/soak"
)

// FileName is the report's name in the soak directory of an artifacts tree
// (see [soak.Layout.Dir]).
const FileName = "report.html"

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

var tmpl = template.Must(template.New("page").Parse(pageTemplate))

// Path returns where [WriteFile] writes the report of the artifacts tree at
// root: root/soak/report.html.
func Path(root string) string {
	return filepath.Join(soak.Layout{Root: root}.Dir(), FileName)
}

// Render writes the HTML report of the artifacts tree at root to w.
//
// The artifacts may belong to a soak that is still running or that was cut
// short by a crash: missing files are shown as missing, and a torn last line
// of a JSON Lines file is ignored. Files that exist but cannot be parsed are
// listed on the page rather than failing the render. The error is non-nil
// only if root cannot be read, a chart cannot be drawn, or w fails.
func Render(root string, w io.Writer, opts *Options) error {
	r, err := load(root)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	pg, err := buildPage(r, judge(r), opts)
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
// atomically to [Path](root): a reader, or a crash, never sees half a page.
// If rendering fails, an earlier report is left untouched.
func WriteFile(root string, opts *Options) error {
	return atomicfile.Write(Path(root), 0o644, func(w io.Writer) error {
		return Render(root, w, opts)
	})
}

// judge decides the verdict and the figures the page shows.
func judge(r *run) *judgement { return fromRecords(r) }
