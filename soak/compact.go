package soak

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// Compaction keeps a long soak of fast iterations under its byte cap. When
// the artifacts reach compactAt of the run's budget (the cap minus the
// room kept for the closing files), older passing iterations' records are
// merged into range records (their logs deleted) and samples.jsonl is
// thinned, each file aiming at compactShare of the budget, so that the soak
// runs on for as long as it was asked to.
const (
	compactAt    = 0.70
	compactShare = 0.125
	// recentKept is how many of the newest iterations always keep their
	// full records (at least KeepLogs: those are the ones with logs).
	recentKept = 16
	// samplesPerWindow is the most samples a thinned window keeps: the
	// minimum and maximum RSS and the maxima of five other metrics (often
	// the same sample, so most windows keep fewer).
	samplesPerWindow = 7
	// maxRanges bounds the range records a compaction writes, however
	// much room the target leaves: the summary's trend series and the
	// report's charts keep at most 8,192 points, so finer ranges would
	// only cost time, at every later compaction and at the end.
	maxRanges = 1 << 13
)

// A compactor decides when the artifacts are compacted, and remembers the
// block size of the range records across compactions.
type compactor struct {
	next int64 // bytes in use that trigger the next compaction
	// span is the number of iterations of an aligned block: range
	// records never cross a block boundary, so ranges written by
	// earlier compactions merge cleanly. It only grows (powers of 2).
	span int
	runs int       // compactions done by this run
	file fileStats // what is known of iterations.jsonl
}

// maybeCompact compacts the artifacts if they have reached the trigger
// level, or if force is set (a record just did not fit). It never loses a
// record: every rewrite is atomic, and a compaction that cannot complete
// leaves the files as they were. A compaction whose new file does not fit
// under the cap is logged, and the cap decides; any other failure (an I/O
// error, a line of its own file it cannot read) is a write failure of the
// soak (see [store.fail]), which stops it: a soak that cannot compact
// would otherwise run into its cap and end early, or be judged on files it
// could not read.
func (r *runner) maybeCompact(force bool) {
	used, _, _ := r.st.usage()
	budget := r.st.budget()
	if r.cmp.next == 0 {
		r.cmp.next = int64(float64(budget) * compactAt)
	}
	if used < r.cmp.next && !force {
		return
	}
	start := time.Now()
	target := int64(float64(budget) * compactShare)
	recBefore, smpBefore := r.iters.Size(), r.samples.Size()
	if err := r.compactRecords(target); err != nil {
		r.compactFailed(r.iters.Path(), err)
	}
	if err := r.compactSamples(target); err != nil {
		r.compactFailed(r.samples.Path(), err)
	}
	r.cmp.runs++
	after, _, _ := r.st.usage()
	// If little could be freed (failures keep their records), wait for a
	// sixteenth of the budget more before trying again.
	r.cmp.next = max(int64(float64(budget)*compactAt), after+budget/16)
	r.logger.Info("artifacts compacted", "bytes_before", used, "bytes_after", after,
		"iterations_bytes", fmt.Sprintf("%d -> %d", recBefore, r.iters.Size()),
		"samples_bytes", fmt.Sprintf("%d -> %d", smpBefore, r.samples.Size()),
		"range_span", r.cmp.span, "took", time.Since(start).Round(time.Millisecond))
}

// compactFailed handles a compaction of the file at path that failed with
// err: the cap's refusal is logged, anything else is a write failure.
func (r *runner) compactFailed(path string, err error) {
	if errors.Is(err, errCapReached) {
		r.logger.Warn("not compacted: the new file does not fit under the byte cap", "file", r.st.rel(path), "err", err)
		return
	}
	if we := (*writeError)(nil); errors.As(err, &we) {
		return // recorded already
	}
	r.logger.Error("not compacted", "file", r.st.rel(path), "err", err)
	r.st.fail(path, fmt.Errorf("compact: %w", err))
}

// compactible reports whether rec, a full record, may be merged into a
// range record: the iteration passed and so did (or were skipped) every
// step and test in it, and nothing was cut, left behind or survived.
func compactible(rec *artifact.Record) bool {
	if rec.Range != nil {
		return true
	}
	if rec.Status != artifact.IterPassed || rec.Cut || len(rec.Survivors) > 0 {
		return false
	}
	var ok func([]artifact.StepRecord) bool
	ok = func(steps []artifact.StepRecord) bool {
		for i := range steps {
			st := &steps[i]
			if st.Status != step.Passed && st.Status != step.Skipped || st.Cut || len(st.Leftovers) > 0 {
				return false
			}
			for _, t := range st.Tests {
				if t.Status != step.Passed && t.Status != step.Skipped {
					return false
				}
			}
			if !ok(st.Steps) {
				return false
			}
		}
		return true
	}
	return ok(rec.Steps)
}

// toRange returns rec, a full compactible record, as a range record of one
// iteration.
func toRange(rec *artifact.Record) *artifact.Record {
	g := &artifact.Record{Iteration: rec.Iteration, Start: rec.Start, End: rec.Start, Result: "OK", Status: artifact.IterPassed,
		Range: &artifact.Range{Last: rec.Iteration - 1, Steps: []artifact.RangeStep{}}}
	addRecord(g, rec)
	return g
}

// addRecord adds rec, the full compactible record that follows the last
// iteration of the range record dst, to dst: without making it a range
// first, since a compaction adds hundreds of thousands of them.
func addRecord(dst, rec *artifact.Record) {
	g := dst.Range
	dst.End = rec.End
	dst.DurationMS += rec.DurationMS
	dst.BudgetMS = max(dst.BudgetMS, rec.BudgetMS)
	g.Last = rec.Iteration
	g.Count++
	var walk func(prefix string, steps []artifact.StepRecord)
	walk = func(prefix string, steps []artifact.StepRecord) {
		for i := range steps {
			st := &steps[i]
			name := st.Name
			if prefix != "" {
				name = prefix + st.Name
			}
			rs := rangeStep(g, name)
			rs.Statuses[st.Status]++
			if st.Status == step.Passed {
				rs.Duration.Add(float64(st.DurationMS))
			}
			rs.Attempts += st.Attempts
			rs.PeakRSS = max(rs.PeakRSS, st.PeakRSS)
			var idx map[testKey]int // built only if the tests come in another order
			for j, t := range st.Tests {
				if j < len(rs.Tests) && rs.Tests[j].Package == t.Package && rs.Tests[j].Test == t.Test {
					rs.Tests[j].Statuses[t.Status]++
					continue
				}
				if idx == nil {
					idx = testIndex(rs.Tests)
				}
				rs.Tests = addTest(rs.Tests, idx, t.Package, t.Test, map[step.Status]int{t.Status: 1})
			}
			if len(st.Steps) > 0 {
				walk(name+"/", st.Steps)
			}
		}
	}
	walk("", rec.Steps)
	for k, f := range rec.Resources {
		if g.Resources == nil {
			g.Resources = make(map[string]artifact.RangeFigures, len(rec.Resources))
		}
		old, ok := g.Resources[k]
		if !ok {
			g.Resources[k] = artifact.RangeFigures{Min: f, Max: f, Last: f}
			continue
		}
		g.Resources[k] = artifact.RangeFigures{Min: figMin(old.Min, f), Max: figMax(old.Max, f), Last: f}
	}
}

// rangeStep returns the step called name of range g, adding it. Plans have
// few steps: a linear search beats a map built for every record.
func rangeStep(g *artifact.Range, name string) *artifact.RangeStep {
	for i := range g.Steps {
		if g.Steps[i].Name == name {
			return &g.Steps[i]
		}
	}
	g.Steps = append(g.Steps, artifact.RangeStep{Name: name, Statuses: map[step.Status]int{}})
	return &g.Steps[len(g.Steps)-1]
}

// mergeRange adds src, the range record that follows dst's last iteration,
// to dst.
func mergeRange(dst, src *artifact.Record) {
	d, s := dst.Range, src.Range
	dst.End = src.End
	dst.DurationMS += src.DurationMS
	dst.BudgetMS = max(dst.BudgetMS, src.BudgetMS)
	d.Last = s.Last
	d.Count += s.Count
	for _, ss := range s.Steps {
		ds := rangeStep(d, ss.Name)
		for st, n := range ss.Statuses {
			ds.Statuses[st] += n
		}
		ds.Duration.Merge(&ss.Duration)
		ds.Attempts += ss.Attempts
		ds.PeakRSS = max(ds.PeakRSS, ss.PeakRSS)
		if len(ss.Tests) > 0 {
			idx := testIndex(ds.Tests)
			for _, t := range ss.Tests {
				ds.Tests = addTest(ds.Tests, idx, t.Package, t.Test, t.Statuses)
			}
		}
	}
	for k, f := range s.Resources {
		if d.Resources == nil {
			d.Resources = map[string]artifact.RangeFigures{}
		}
		old, ok := d.Resources[k]
		if !ok {
			d.Resources[k] = f
			continue
		}
		d.Resources[k] = artifact.RangeFigures{Min: figMin(old.Min, f.Min), Max: figMax(old.Max, f.Max), Last: f.Last}
	}
}

// testKey identifies a test of a step.
type testKey struct{ pkg, test string }

// testIndex maps the tests of a range step to their index, so that a go
// test step's hundreds of tests merge in linear time.
func testIndex(tests []artifact.RangeTest) map[testKey]int {
	idx := make(map[testKey]int, len(tests))
	for i, t := range tests {
		idx[testKey{t.Package, t.Test}] = i
	}
	return idx
}

// addTest adds the status counts of a test to tests (indexed by idx) and
// returns tests.
func addTest(tests []artifact.RangeTest, idx map[testKey]int, pkg, test string, counts map[step.Status]int) []artifact.RangeTest {
	k := testKey{pkg, test}
	j, ok := idx[k]
	if !ok {
		j = len(tests)
		idx[k] = j
		tests = append(tests, artifact.RangeTest{Package: pkg, Test: test, Statuses: map[step.Status]int{}})
	}
	for st, n := range counts {
		tests[j].Statuses[st] += n
	}
	return tests
}

func figMin(a, b artifact.Figures) artifact.Figures {
	return artifact.Figures{RSS: min(a.RSS, b.RSS), PeakRSS: min(a.PeakRSS, b.PeakRSS), FDs: min(a.FDs, b.FDs),
		Threads: min(a.Threads, b.Threads), Procs: min(a.Procs, b.Procs), Goroutines: min(a.Goroutines, b.Goroutines),
		HeapLive: min(a.HeapLive, b.HeapLive)}
}

func figMax(a, b artifact.Figures) artifact.Figures {
	return artifact.Figures{RSS: max(a.RSS, b.RSS), PeakRSS: max(a.PeakRSS, b.PeakRSS), FDs: max(a.FDs, b.FDs),
		Threads: max(a.Threads, b.Threads), Procs: max(a.Procs, b.Procs), Goroutines: max(a.Goroutines, b.Goroutines),
		HeapLive: max(a.HeapLive, b.HeapLive)}
}

// tempWriter counts the bytes of a compaction's new file against the cap.
type tempWriter struct {
	st   *store
	w    io.Writer
	path string // for the test seam: the temporary file's name up to its random part
	n    int64
}

func (t *tempWriter) Write(p []byte) (int, error) {
	if err := t.st.check(t.path); err != nil {
		return 0, err
	}
	if !t.st.reserve(int64(len(p)), useTemp) {
		return 0, errCapReached
	}
	n, err := t.w.Write(p)
	t.n += int64(n)
	if n < len(p) {
		t.st.release(int64(len(p)-n), useTemp)
	}
	return n, err
}

// replace rewrites the file of a through fill, atomically, with its bytes
// counted: the new file is reserved as it is written, the old one released
// once it is gone.
func (r *runner) replace(a *jsonl.Appender, fill func(w io.Writer) error) error {
	var tw *tempWriter
	var old int64
	err := a.Replace(func(w io.Writer) error {
		if fi, err := os.Stat(a.Path()); err == nil {
			old = fi.Size()
		}
		tw = &tempWriter{st: r.st, w: w, path: filepath.Join(filepath.Dir(a.Path()), "."+filepath.Base(a.Path())+".tmp-")}
		return fill(tw)
	})
	if err != nil {
		if tw != nil {
			r.st.release(tw.n, useTemp)
		}
		return err
	}
	r.st.release(old, useRecord)
	return nil
}

// compactRecords merges the passing iterations of iterations.jsonl, all
// but the newest, into range records within aligned blocks of iterations,
// the blocks as small as still brings the file to about target bytes (and
// the ranges to at most maxRanges), and deletes the logs of the iterations
// it merged.
//
// It reads the file once, decoding each line once: the block size is
// chosen up front from what the runner knows of the file (see
// [fileStats]), and the lines it keeps are copied as they are.
func (r *runner) compactRecords(target int64) error {
	path := r.iters.Path()
	last := r.state.Counts.Iterations // iteration numbers are continuous
	cutoff := last - max(recentKept, r.cfg.KeepLogs)
	if cutoff < 2 {
		return nil
	}
	fs := &r.cmp.file
	if !fs.known {
		// A resumed soak: the file was written by an earlier process.
		if err := fs.count(path); err != nil {
			return err
		}
	}
	eligible := fs.eligible - (last - cutoff) // the newest stay full
	if eligible <= 0 {
		return nil
	}
	rangeLine := fs.rangeLine
	if rangeLine == 0 {
		rangeLine = fs.fullLine * 3 / 2 // no range yet: about a record, and sketches grow as values spread
	}
	ranges := min(max((target-fs.kept)/max(rangeLine, 1), 16), maxRanges)
	span := max(r.cmp.span, pow2(int((int64(eligible)+ranges-1)/ranges)), 2)
	block := func(n int) int { return (n - 1) / span }

	var merged [][2]int // first and last iteration of each range written
	var after fileStats
	err := r.replace(r.iters, func(w io.Writer) error {
		merged = merged[:0]
		after = fileStats{known: true, fullLine: fs.fullLine}
		var pend *artifact.Record // a range being built, or one eligible full record
		var pendLine []byte       // pend's line while it is a full record
		flush := func() error {
			if pend == nil {
				return nil
			}
			line := pendLine
			if line == nil {
				b, err := canonjson.Marshal(pend)
				if err != nil {
					return err
				}
				line = b
				merged = append(merged, [2]int{pend.Iteration, pend.Range.Last})
				after.rangeLine = max(after.rangeLine, int64(len(line)))
			}
			after.eligible += pend.Iterations()
			pend, pendLine = nil, nil
			_, err := w.Write(line)
			return err
		}
		err := artifact.ScanRecords(path, func(rec *artifact.Record, line []byte, _ int) error {
			if rec.Range == nil && !compactible(rec) {
				after.kept += int64(len(line)) + 1
				if err := flush(); err != nil {
					return err
				}
				return writeLine(w, line)
			}
			if rec.Range == nil && rec.Iteration > cutoff {
				// Compactible, but among the newest: kept as it is, and
				// eligible next time.
				if err := flush(); err != nil {
					return err
				}
				after.eligible++
				return writeLine(w, line)
			}
			if pend != nil && pend.LastIteration()+1 == rec.Iteration && block(pend.Iteration) == block(rec.LastIteration()) {
				if pend.Range == nil {
					pend, pendLine = toRange(pend), nil
				}
				if rec.Range == nil {
					addRecord(pend, rec)
				} else {
					mergeRange(pend, rec)
				}
				return nil
			}
			if err := flush(); err != nil {
				return err
			}
			pend = rec
			if rec.Range == nil {
				pendLine = append(bytes.Clone(line), '\n')
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	if err != nil {
		return err
	}
	r.cmp.span = span
	r.cmp.file = after
	r.st.dropLogs(func(n int) bool {
		_, found := slices.BinarySearchFunc(merged, n, func(g [2]int, n int) int {
			switch {
			case g[1] < n:
				return -1
			case g[0] > n:
				return 1
			}
			return 0
		})
		return found
	})
	return nil
}

// fileStats is what the runner knows of iterations.jsonl between
// compactions, kept up to date as records are appended, so that a
// compaction chooses its block size without reading the file first.
type fileStats struct {
	known     bool  // false until counted (a resumed soak's file)
	eligible  int   // iterations that may merge: in range records, or passing full records
	kept      int64 // bytes of the lines that stay as they are (failures and the like)
	rangeLine int64 // the longest range record line; 0: none yet
	fullLine  int64 // the longest compactible full record line
}

// appended counts rec, just appended as a line of size bytes.
func (fs *fileStats) appended(rec *artifact.Record, size int64) {
	if rec.Range == nil && !compactible(rec) {
		fs.kept += size
		return
	}
	fs.eligible += rec.Iterations()
	if rec.Range != nil {
		fs.rangeLine = max(fs.rangeLine, size)
	} else {
		fs.fullLine = max(fs.fullLine, size)
	}
}

// count reads the file at path to know it.
func (fs *fileStats) count(path string) error {
	*fs = fileStats{}
	err := artifact.ScanRecords(path, func(rec *artifact.Record, line []byte, _ int) error {
		fs.appended(rec, int64(len(line))+1)
		return nil
	})
	if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	fs.known = true
	return nil
}

// writeLine writes line, a line read by jsonl.Scan (without its newline,
// in a buffer the scanner reuses), and a newline.
func writeLine(w io.Writer, line []byte) error {
	if _, err := w.Write(line); err != nil {
		return err
	}
	_, err := w.Write([]byte{'\n'})
	return err
}

// pow2 returns the smallest power of 2 at or above n (1 for n <= 1).
func pow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}

// A window is one time window of one target's samples while they are
// thinned: the samples that hold an extremum of a metric are kept.
type window struct {
	k        int64 // window index
	minRSS   extremum
	maxRSS   extremum
	maxOther [5]extremum // fds, threads, procs, goroutines, heap
}

type extremum struct {
	line int // ordinal of the sample's line; -1 for none
	v    float64
}

func newWindow(k int64) *window {
	w := &window{k: k, minRSS: extremum{line: -1}, maxRSS: extremum{line: -1}}
	for i := range w.maxOther {
		w.maxOther[i].line = -1
	}
	return w
}

func (w *window) lines() []int {
	out := []int{w.minRSS.line, w.maxRSS.line}
	for _, e := range w.maxOther {
		out = append(out, e.line)
	}
	return slices.DeleteFunc(out, func(n int) bool { return n < 0 })
}

// compactSamples thins samples.jsonl to about target bytes: each target's
// samples are cut into equal time windows, and a window keeps only the
// samples that hold the minimum or maximum RSS or the maximum of another
// metric (file descriptors, threads, processes, goroutines, Go heap), so
// leak fits still see every peak and trough; samples that mark a target
// gone or restarted are all kept. The kept lines stay in file order.
func (r *runner) compactSamples(target int64) error {
	path := r.samples.Path()
	size := r.samples.Size()
	if size <= target {
		return nil
	}
	type span struct {
		first, last time.Time
		n           int
	}
	spans := map[string]*span{}
	var lines int
	for s, err := range artifact.Samples(path) {
		if err != nil {
			return err
		}
		lines++
		sp := spans[s.Target]
		if sp == nil {
			sp = &span{first: s.Time}
			spans[s.Target] = sp
		}
		sp.first, sp.last = minTime(sp.first, s.Time), maxTime(sp.last, s.Time)
		sp.n++
	}
	// Each target keeps its share of target bytes, a few samples a window.
	width := map[string]time.Duration{}
	for t, sp := range spans {
		keep := max(int64(sp.n)*target/size, 1)
		windows := max(keep/samplesPerWindow, 1)
		width[t] = max(sp.last.Sub(sp.first)/time.Duration(windows), time.Nanosecond)
	}
	var keep []int
	open := map[string]*window{}
	i := -1
	for s, err := range artifact.Samples(path) {
		if err != nil {
			return err
		}
		i++
		if i >= lines {
			break // appended since the first pass: kept below
		}
		if s.Gone || s.Restart {
			keep = append(keep, i)
			continue
		}
		k := int64(s.Time.Sub(spans[s.Target].first) / width[s.Target])
		w := open[s.Target]
		if w == nil || w.k != k {
			if w != nil {
				keep = append(keep, w.lines()...)
			}
			w = newWindow(k)
			open[s.Target] = w
		}
		rss := float64(s.RSS)
		if w.minRSS.line < 0 || rss < w.minRSS.v {
			w.minRSS = extremum{i, rss}
		}
		if w.maxRSS.line < 0 || rss > w.maxRSS.v {
			w.maxRSS = extremum{i, rss}
		}
		for j, v := range [5]float64{float64(s.FDs), float64(s.Threads), float64(s.Procs), float64(s.Goroutines), float64(s.HeapLive)} {
			if v > 0 && (w.maxOther[j].line < 0 || v > w.maxOther[j].v) {
				w.maxOther[j] = extremum{i, v}
			}
		}
	}
	for _, w := range open {
		keep = append(keep, w.lines()...)
	}
	slices.Sort(keep)
	keep = slices.Compact(keep)
	if len(keep) >= lines {
		return nil
	}
	return r.replace(r.samples, func(w io.Writer) error {
		j, n := 0, -1
		return jsonl.Scan(path, func(line []byte, _ int) error {
			n++
			for j < len(keep) && keep[j] < n {
				j++
			}
			if n < lines && (j >= len(keep) || keep[j] != n) {
				return nil
			}
			return writeLine(w, line)
		})
	})
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
