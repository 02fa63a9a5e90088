package report

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart geometry. The SVG is scaled by CSS to the width of the page, so
// these only set the aspect ratio and the text size relative to the chart.
const (
	chartWidth  = 7.2 * vg.Inch
	chartHeight = 3.2 * vg.Inch
)

var (
	colData    = color.RGBA{R: 0x1f, G: 0x4e, B: 0x9a, A: 0xff}
	colTrend   = color.RGBA{R: 0xb3, G: 0x3c, B: 0x00, A: 0xff}
	colWarmup  = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	colFail    = color.RGBA{R: 0xc0, G: 0x00, B: 0x00, A: 0xff}
	colTimeout = color.RGBA{R: 0x80, G: 0x00, B: 0x80, A: 0xff}
	colRef     = color.RGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff}
	sansFont   = font.Font{Typeface: "Liberation", Variant: "Sans"}
)

// A timeAxis maps instants to the x axis: time since the run's start in a
// unit chosen from the run's length.
type timeAxis struct {
	origin time.Time
	unit   time.Duration
	name   string // "s", "min" or "h"
}

func newTimeAxis(start, end time.Time) timeAxis {
	switch span := end.Sub(start); {
	case span <= 5*time.Minute:
		return timeAxis{start, time.Second, "s"}
	case span <= 3*time.Hour:
		return timeAxis{start, time.Minute, "min"}
	default:
		return timeAxis{start, time.Hour, "h"}
	}
}

func (a timeAxis) x(t time.Time) float64 { return float64(t.Sub(a.origin)) / float64(a.unit) }

func (a timeAxis) label() string { return "time since start (" + a.name + ")" }

// A marks is a set of points drawn as glyphs, for example failed iterations.
type marks struct {
	label string
	pts   plotter.XYs
	glyph draw.GlyphDrawer
	color color.Color
}

// A refLine is a horizontal reference line, such as a step's p95.
type refLine struct {
	label  string
	y      float64
	dashes []vg.Length
}

// A chartSpec is everything drawn in one chart, already in axis units.
type chartSpec struct {
	id, title, desc string
	xLabel, yLabel  string
	line            plotter.XYs // downsampled series
	lineLabel       string
	marks           []marks
	refs            []refLine
	trend           plotter.XYs // two points, or none
	trendLabel      string
	shade           [2]float64 // x range of the warm-up; empty if equal
}

// render draws c with gonum/plot to SVG and returns it ready to be inlined
// in HTML: no XML prolog, sized by CSS through its viewBox, with a title and
// a description for screen readers.
func (c *chartSpec) render() (template.HTML, error) {
	p := plot.New()
	p.Title.Text = c.title
	p.X.Label.Text = c.xLabel
	p.Y.Label.Text = c.yLabel
	for _, ts := range []*draw.TextStyle{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		ts.Font.Typeface, ts.Font.Variant = sansFont.Typeface, sansFont.Variant
	}
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.ThumbnailWidth = vg.Points(24)
	p.X.Min, p.Y.Min = 0, 0
	p.Add(plotter.NewGrid())

	ymin, ymax := math.Inf(1), math.Inf(-1)
	xmax := 0.0
	see := func(xys plotter.XYs) {
		for _, pt := range xys {
			ymin, ymax = min(ymin, pt.Y), max(ymax, pt.Y)
			xmax = max(xmax, pt.X)
		}
	}
	see(c.line)
	see(c.trend)
	for _, m := range c.marks {
		see(m.pts)
	}
	for _, r := range c.refs {
		ymin, ymax = min(ymin, r.y), max(ymax, r.y)
	}
	if math.IsInf(ymin, 0) {
		ymin, ymax = 0, 1
	}
	ymin = min(ymin, 0)
	if ymax <= ymin {
		ymax = ymin + 1
	}
	// Head room for the legend, top left: about 12 pt per entry of a data
	// area about 170 pt high, so the legend never covers the data.
	entries := len(c.refs) + len(c.marks)
	if len(c.line) > 0 {
		entries++
	}
	if len(c.trend) == 2 {
		entries++
	}
	if c.shade[1] > c.shade[0] {
		entries++
	}
	f := min(0.6, float64(entries)*12/170+0.04)
	p.Y.Min, p.Y.Max = ymin, ymax+(ymax-ymin)*f/(1-f)
	if xmax <= 0 {
		xmax = 1
	}
	p.X.Max = xmax

	if c.shade[1] > c.shade[0] {
		poly, err := plotter.NewPolygon(plotter.XYs{
			{X: c.shade[0], Y: p.Y.Min}, {X: c.shade[1], Y: p.Y.Min},
			{X: c.shade[1], Y: p.Y.Max}, {X: c.shade[0], Y: p.Y.Max},
		})
		if err != nil {
			return "", err
		}
		poly.Color = colWarmup
		poly.LineStyle.Width = 0
		p.Add(poly)
		p.Legend.Add("warm-up (not analyzed)", poly)
	}
	if len(c.line) > 0 {
		l, err := plotter.NewLine(c.line)
		if err != nil {
			return "", err
		}
		l.Color, l.Width = colData, vg.Points(1)
		p.Add(l)
		p.Legend.Add(c.lineLabel, l)
	}
	for _, r := range c.refs {
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: r.y}, {X: p.X.Max, Y: r.y}})
		if err != nil {
			return "", err
		}
		l.Color, l.Width, l.Dashes = colRef, vg.Points(1), r.dashes
		p.Add(l)
		p.Legend.Add(r.label, l)
	}
	if len(c.trend) == 2 {
		l, err := plotter.NewLine(c.trend)
		if err != nil {
			return "", err
		}
		l.Color, l.Width, l.Dashes = colTrend, vg.Points(2), []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(c.trendLabel, l)
	}
	for _, m := range c.marks {
		if len(m.pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(m.pts)
		if err != nil {
			return "", err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: m.color, Radius: vg.Points(3.5), Shape: m.glyph}
		p.Add(s)
		p.Legend.Add(m.label, s)
	}

	cv := vgsvg.New(chartWidth, chartHeight)
	p.Draw(draw.New(cv))
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return "", err
	}
	return inlineSVG(buf.String(), c.id, c.title, c.desc)
}

// inlineSVG turns a standalone SVG document from vgsvg into an element for
// an HTML page: the prolog goes, the fixed width and height give way to CSS,
// and a title and description are added.
func inlineSVG(doc, id, title, desc string) (template.HTML, error) {
	i := strings.Index(doc, "<svg")
	if i < 0 {
		return "", fmt.Errorf("chart %s: no <svg> element in the plot output", id)
	}
	doc = doc[i:]
	end := strings.IndexByte(doc, '>')
	if end < 0 {
		return "", fmt.Errorf("chart %s: unterminated <svg> tag", id)
	}
	open := doc[:end]
	vb := strings.Index(open, "viewBox=")
	if vb < 0 {
		return "", fmt.Errorf("chart %s: no viewBox in the plot output", id)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot" role="img" aria-labelledby="%[1]s-t %[1]s-d" preserveAspectRatio="xMidYMid meet" %[2]s>`, html.EscapeString(id), open[vb:])
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, html.EscapeString(id), html.EscapeString(title), html.EscapeString(id), html.EscapeString(desc))
	b.WriteString(doc[end+1:])
	return template.HTML(b.String()), nil
}

// downsample returns at most n points of the series (times[i], ys[i]) on
// axis a, chosen by [lttb].
func downsample(a timeAxis, times []time.Time, ys []float64, n int) plotter.XYs {
	xs := make([]float64, len(times))
	for i, t := range times {
		xs[i] = a.x(t)
	}
	idx := lttb(xs, ys, n)
	out := make(plotter.XYs, len(idx))
	for i, j := range idx {
		out[i] = plotter.XY{X: xs[j], Y: ys[j]}
	}
	return out
}

// trendLine returns the fitted line of a trend over [from, to] with slope
// perHour (in y units per hour), placed as a Theil–Sen fit places it: through
// the median of y − slope·x over the samples in the window. The slope is
// probe's; only the intercept, which probe does not report, is found here.
func trendLine(a timeAxis, times []time.Time, ys []float64, from, to time.Time, perHour float64) plotter.XYs {
	slope := perHour * float64(a.unit) / float64(time.Hour)
	var res []float64
	for i, t := range times {
		if !t.Before(from) && !t.After(to) {
			res = append(res, ys[i]-slope*a.x(t))
		}
	}
	if len(res) == 0 {
		return nil
	}
	slices.Sort(res)
	b := res[len(res)/2]
	if len(res)%2 == 0 {
		b = (res[len(res)/2-1] + b) / 2
	}
	x0, x1 := a.x(from), a.x(to)
	return plotter.XYs{{X: x0, Y: b + slope*x0}, {X: x1, Y: b + slope*x1}}
}
