package merge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/report"
	"github.com/soakkit/soakkit/soak/summary"
)

// Options configure [Compute] and [Write]. A nil *Options consists
// entirely of defaults, and so does the zero value.
type Options struct {
	// Summary judges every runner's run: gates, leak and slowdown
	// policies, as for one soak. Default: nil, the summary's defaults.
	Summary *summary.Config
	// Parallel is how many runners are judged at once. Default:
	// runtime.GOMAXPROCS(0).
	Parallel int
	// Title heads the merged report. Default: "Soak report: N runners".
	Title string
}

// A SourceError reports a source that cannot be merged: missing, holding
// no artifacts, or whose artifacts cannot be judged (damaged or
// inconsistent; see summary.Compute).
type SourceError struct {
	Source string // the directory, as given
	Err    error
}

// Error returns "merge: SOURCE: ERR".
func (e *SourceError) Error() string { return fmt.Sprintf("merge: %s: %v", e.Source, e.Err) }

// Unwrap returns e.Err.
func (e *SourceError) Unwrap() error { return e.Err }

// ErrNoArtifacts is wrapped by the [SourceError] of a source that is not an
// artifacts root and holds none among its subdirectories.
var ErrNoArtifacts = errors.New("no soak artifacts (no soak/state.json or soak/iterations.jsonl, in it or in a subdirectory)")

// Roots returns the artifacts roots of srcs, in order: a source that is a
// root itself, else the roots among its subdirectories, in name order. A
// source that does not exist or holds no root is a *[SourceError]; the
// error joins one per such source. A root given twice is listed once.
func Roots(srcs []string) ([]string, error) {
	var roots []string
	var errs []error
	seen := map[string]bool{}
	add := func(r string) {
		abs, err := filepath.Abs(r)
		if err != nil {
			abs = r
		}
		if !seen[abs] {
			seen[abs] = true
			roots = append(roots, r)
		}
	}
	for _, src := range srcs {
		fi, err := os.Stat(src)
		if err != nil {
			errs = append(errs, &SourceError{src, err})
			continue
		}
		if !fi.IsDir() {
			errs = append(errs, &SourceError{src, errors.New("not a directory")})
			continue
		}
		if isRoot(src) {
			add(src)
			continue
		}
		ents, err := os.ReadDir(src)
		if err != nil {
			errs = append(errs, &SourceError{src, err})
			continue
		}
		n := 0
		for _, e := range ents {
			if p := filepath.Join(src, e.Name()); e.IsDir() && isRoot(p) {
				add(p)
				n++
			}
		}
		if n == 0 {
			errs = append(errs, &SourceError{src, ErrNoArtifacts})
		}
	}
	return roots, errors.Join(errs...)
}

// isRoot reports whether dir is an artifacts root: it holds soak/state.json
// or soak/iterations.jsonl.
func isRoot(dir string) bool {
	l := artifact.Layout{Root: dir}
	for _, p := range []string{l.State(), l.Iterations()} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// Merged reports whether the artifacts root at root holds what [Write]
// writes: a soak/summary.json with runners, and no soak of its own (no
// soak/state.json or soak/iterations.jsonl). Such a root cannot be judged
// again as one soak (there are no records to judge), only merged again
// from its sources. A summary.json that cannot be read is not a merge.
func Merged(root string) bool {
	if isRoot(root) {
		return false
	}
	var s summary.Summary
	if err := canonjson.Read(artifact.Layout{Root: root}.Summary(), &s); err != nil {
		return false
	}
	return len(s.Runners) > 0
}

// Compute judges the run of every artifacts root of srcs (see [Roots]) with
// summary.Compute and merges them with a summary.Merger. Any source that
// cannot be read or judged makes it fail with a *[SourceError] naming it:
// a merge never leaves a runner out. If ctx is canceled, Compute stops
// judging and returns context.Cause(ctx).
func Compute(ctx context.Context, srcs []string, opts *Options) (*summary.Summary, error) {
	s, _, err := compute(ctx, srcs, opts, false)
	return s, err
}

// compute is [Compute]; with charts, it also collects each runner's
// resource series for the merged report as the runner is judged, by the
// runner's root.
func compute(ctx context.Context, srcs []string, opts *Options, charts bool) (*summary.Summary, map[string]*report.ResourceSeries, error) {
	if len(srcs) == 0 {
		return nil, nil, errors.New("merge: no source given")
	}
	roots, err := Roots(srcs)
	if err != nil {
		return nil, nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	par := o.Parallel
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		m      = summary.Merger{ReportURL: artifact.Layout{}.HTMLReportLink()}
		wg     sync.WaitGroup
		mu     sync.Mutex
		errs   = make([]error, len(roots))
		series = make([]*report.ResourceSeries, len(roots))
		next   int
	)
	for range min(par, len(roots)) {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(roots) || ctx.Err() != nil {
					return
				}
				var sample func(*probe.Sample)
				if charts {
					series[i] = &report.ResourceSeries{}
					sample = series[i].Add
				}
				s, err := computeOne(roots[i], o.Summary, sample)
				if err != nil {
					errs[i] = &SourceError{roots[i], err}
					cancel(errs[i])
					return
				}
				m.Add(roots[i], s)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}
	var byRoot map[string]*report.ResourceSeries
	if charts {
		byRoot = make(map[string]*report.ResourceSeries, len(roots))
		for i, r := range roots {
			byRoot[r] = series[i]
		}
	}
	return m.Summary(), byRoot, nil
}

// computeOne judges the run at root. A run that recorded its end judges
// the same as its own summary.json; one still running is judged as it
// stands. sample, if not nil, sees every sample as it is judged.
func computeOne(root string, cfg *summary.Config, sample func(*probe.Sample)) (*summary.Summary, error) {
	var c summary.Config
	if cfg != nil {
		c = *cfg
	}
	if c.Dir == "" {
		c.Dir = root // gates on files the plan produced: the runner's own
	}
	var opts []summary.Option
	if sample != nil {
		opts = append(opts, summary.Visit(nil, sample))
	}
	return summary.Compute(root, &c, opts...)
}

// Write merges srcs as [Compute] does and writes the merged artifacts
// under the root out: soak/summary.json, soak/summary.md and soak/junit.xml
// (summary.Summary.WriteFiles), soak/report.html (package soak/report,
// from the merged summary) and soak/manifest.json, each atomically. out
// must not be one of the sources' roots, whose own summary it would
// overwrite.
//
// If the sources cannot be merged, Write writes nothing and returns the
// error; a file that cannot be written is reported in the error, which
// joins them all, with the merged summary.
func Write(ctx context.Context, out string, srcs []string, opts *Options) (*summary.Summary, error) {
	roots, err := Roots(srcs)
	if err != nil {
		return nil, err
	}
	outAbs, _ := filepath.Abs(out)
	for _, r := range roots {
		if abs, _ := filepath.Abs(r); abs == outAbs {
			return nil, &SourceError{r, errors.New("is also the output directory; merge into another one")}
		}
	}
	s, series, err := compute(ctx, roots, opts, true)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return s, fmt.Errorf("merge: %w", err)
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("Soak report: %d runners", len(s.Runners))
	}
	l := artifact.Layout{Root: out}
	var errs []error
	if err := s.WriteFiles(out); err != nil {
		errs = append(errs, err)
	}
	if err := report.WriteFile(out, &report.Options{Summary: s, Title: title, Runners: series}); err != nil {
		errs = append(errs, err)
	}
	if _, err := artifact.WriteManifest(l); err != nil {
		errs = append(errs, err)
	}
	return s, errors.Join(errs...)
}
