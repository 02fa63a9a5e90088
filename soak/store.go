package soak

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
)

// errCapReached reports that a record could not be written without exceeding
// the byte cap, even after every evictable log was removed.
var errCapReached = errors.New("artifacts byte cap reached")

// ErrWriteFailed is wrapped by the error of a soak that stopped because an
// artifact could not be written (disk full, I/O error, permissions): its
// records, logs or checkpoint are incomplete, so it has failed whatever its
// iterations did. The error also wraps the file system's error (for
// example syscall.ENOSPC).
var ErrWriteFailed = errors.New("artifact write failed")

// A writeError is an artifact write that failed.
type writeError struct {
	path string
	err  error
}

func (e *writeError) Error() string {
	err := e.err
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err) // the path is given already
	}
	return fmt.Sprintf("soak: %v: %s: %v", ErrWriteFailed, e.path, err)
}

func (e *writeError) Unwrap() []error { return []error{ErrWriteFailed, e.err} }

// maxWriteFailures bounds the write failures a store remembers (and
// state.json lists); later ones are counted only.
const maxWriteFailures = 20

// reserveSize is the size of the reserve file: room freed for the closing
// records and checkpoint when the disk fills up, and for the summary.
const reserveSize = 64 << 10

// A store accounts for every byte of the artifacts tree and keeps the total
// under a cap. Every write the soak makes reserves its bytes first; log
// output that does not fit after evicting old logs is dropped, and a record
// that does not fit is an error (the soak then stops). Log writers may only
// use the cap minus a headroom, so that records still fit when logs are cut.
//
// Logs are grouped by iteration (logs/000042/...). Passing iterations' logs
// are rotated per step, keeping the newest keep; under pressure the oldest
// passing iteration's logs go first, the oldest failing ones last. The
// current iteration's logs are never evicted while it runs.
type store struct {
	layout   artifact.Layout
	cap      int64
	headroom int64
	keep     int
	// closing is the room kept free while the soak runs for the files
	// written when it ends: the final checkpoint and manifest, the
	// summary, junit.xml and report.html. [store.openClosing] frees it.
	closing int64

	mu      sync.Mutex
	used    int64
	live    int64      // bytes reserved by log writers of the running iteration
	passing []iterLogs // completed iterations holding logs, oldest first
	failing []iterLogs
	evicted int64 // bytes removed by the cap
	dropped int64 // log bytes not written because of the cap

	// fault, if set, is asked before every write and its error taken as the
	// write's: the seam through which tests fail the Nth write.
	fault func(path string) error
	// onFail, if set, is called (outside mu) at the first write failure.
	onFail   func(error)
	failures []string // "path: error", at most maxWriteFailures
	nFailed  int
	first    error // the first failure, a *writeError
	reserved bool  // the reserve file exists
}

type iterLogs struct {
	n     int
	files []logFile
}

type logFile struct {
	rel  string // slash path below the iteration's log directory
	size int64
}

func (il iterLogs) bytes() int64 {
	var b int64
	for _, f := range il.files {
		b += f.size
	}
	return b
}

// openStore measures the tree under l.Root and indexes the iteration log
// directories; failed says which iterations failed (unknown ones count as
// failed, so their logs are kept longer).
//
// It also creates the reserve file, whose room [store.releaseReserve] frees
// for the closing writes; fault is the test seam (nil in production).
func openStore(l artifact.Layout, maxBytes int64, keep int, failed func(n int) bool, fault func(string) error) (*store, error) {
	s := &store{layout: l, cap: maxBytes, keep: keep, fault: fault}
	s.headroom = min(maxBytes/8, 4<<20)
	s.closing = closingRoom(maxBytes)
	removeStaleTemps(l.Dir())
	err := filepath.WalkDir(l.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // vanished
		}
		s.used += info.Size()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("soak: measure %s: %w", l.Root, err)
	}
	entries, err := os.ReadDir(l.Logs())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("soak: %w", err)
	}
	for _, e := range entries {
		n, ok := parseIterationDir(e.Name())
		if !ok || !e.IsDir() {
			continue
		}
		il := iterLogs{n: n, files: scanLogs(l.IterationLogs(n))}
		if failed(n) {
			s.failing = append(s.failing, il)
		} else {
			s.passing = append(s.passing, il)
		}
	}
	byN := func(a, b iterLogs) int { return a.n - b.n }
	slices.SortFunc(s.passing, byN)
	slices.SortFunc(s.failing, byN)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rotateLocked()
	for s.used > s.cap && s.evictOneLocked() {
	}
	if s.used > s.cap {
		return nil, fmt.Errorf("soak: %s holds %d bytes, over the %d-byte cap, and none of it is an evictable log", l.Root, s.used, s.cap)
	}
	if err := s.makeReserveLocked(); err != nil {
		return nil, err
	}
	return s, nil
}

// closingRoom returns the room kept under a cap of maxBytes for the files
// written when a soak ends. Their sizes do not grow with the number of
// iterations (the summary, junit.xml and report.html list failures up to a
// bound and draw charts from bounded series): a few hundred KiB in
// practice. An eighth of the cap, at least 512 KiB and at most 16 MiB,
// leaves them a wide margin; [Finish] checks the result.
func closingRoom(maxBytes int64) int64 {
	return min(max(maxBytes/8, 512<<10), 16<<20, maxBytes/2)
}

// removeStaleTemps removes the temporary files atomic writes leave in dir
// when the soak process dies during one: they are never artifacts, and a
// compaction that was cut short left its old file in place.
func removeStaleTemps(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); e.Type().IsRegular() && strings.HasPrefix(n, ".") && strings.Contains(n, ".tmp-") {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

// openClosing frees the room kept for the closing writes.
func (s *store) openClosing() {
	s.mu.Lock()
	s.closing = 0
	s.mu.Unlock()
}

// budget returns the bytes records, samples and logs may use while the
// soak runs: the cap minus the room kept for the closing writes.
func (s *store) budget() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cap - s.closing
}

// reservePath is the reserve file: blocks held so that, once the disk is
// full, removing it leaves room for the final record and checkpoint.
func (s *store) reservePath() string { return filepath.Join(s.layout.Dir(), ".reserve") }

// makeReserveLocked writes the reserve file (real blocks, not a sparse
// file), unless one of the right size is left from a run that was killed.
func (s *store) makeReserveLocked() error {
	p := s.reservePath()
	if st, err := os.Stat(p); err == nil && st.Size() == reserveSize {
		s.reserved = true
		return nil // counted by the walk above
	} else if err == nil {
		s.used -= st.Size()
		os.Remove(p)
	}
	if s.used+reserveSize > s.cap {
		return nil // no room under the cap: run without a reserve
	}
	err := s.check(p)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(p), 0o755)
	}
	if err == nil {
		err = os.WriteFile(p, make([]byte, reserveSize), 0o644)
	}
	if err != nil {
		os.Remove(p)
		return &writeError{path: s.rel(p), err: err}
	}
	s.used += reserveSize
	s.reserved = true
	return nil
}

// releaseReserve removes the reserve file, giving its room to the writes
// that close the run. It is called at the first write failure and when the
// soak ends.
func (s *store) releaseReserve() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.reserved {
		return
	}
	if err := os.Remove(s.reservePath()); err == nil || errors.Is(err, fs.ErrNotExist) {
		s.used -= reserveSize
	}
	s.reserved = false
}

// check asks the test seam, if any, whether a write to path fails.
func (s *store) check(path string) error {
	if s.fault == nil {
		return nil
	}
	return s.fault(path)
}

// rel returns path relative to the artifacts root, slash-separated, for
// messages; path itself if it is outside.
func (s *store) rel(path string) string {
	if r, err := filepath.Rel(s.layout.Root, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

// fail records that a write to path failed with err and returns the
// *writeError. The first failure frees the reserve file, so that the run
// can still record how it ended, and calls onFail.
func (s *store) fail(path string, err error) error {
	we := &writeError{path: s.rel(path), err: err}
	s.mu.Lock()
	s.nFailed++
	if len(s.failures) < maxWriteFailures {
		s.failures = append(s.failures, we.path+": "+err.Error())
	}
	first := s.first == nil
	if first {
		s.first = we
	}
	onFail := s.onFail
	s.mu.Unlock()
	if first {
		s.releaseReserve()
		if onFail != nil {
			onFail(we)
		}
	}
	return we
}

// setOnFail sets the function called at the first write failure.
func (s *store) setOnFail(fn func(error)) {
	s.mu.Lock()
	s.onFail = fn
	s.mu.Unlock()
}

// failure returns the first write failure, or nil, and the failures
// remembered with how many there were in all.
func (s *store) failure() (first error, list []string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first, slices.Clone(s.failures), s.nFailed
}

func parseIterationDir(name string) (int, bool) {
	if len(name) < 6 {
		return 0, false
	}
	n, err := strconv.Atoi(name)
	return n, err == nil && n > 0
}

func scanLogs(dir string) []logFile {
	var files []logFile
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, logFile{rel: filepath.ToSlash(rel), size: info.Size()})
		return nil
	})
	return files
}

// stepKey groups a log file by step: the first path element up to its first
// dot ("build.out.log" and "build/x.log" both belong to "build").
func stepKey(rel string) string {
	if i := strings.IndexByte(rel, '/'); i >= 0 {
		rel = rel[:i]
	}
	if i := strings.IndexByte(rel, '.'); i > 0 {
		rel = rel[:i]
	}
	return rel
}

// A use says what reserved bytes are for.
type use int

const (
	useRecord  use = iota // records and JSON files: may use the whole cap
	useLog                // the running iteration's logs: cap minus headroom
	useLogNote            // a log's closing note: whole cap, but part of the iteration's logs
	useService            // the service's log: cap minus headroom
	useTemp               // a compaction's new file, until it replaces the old one: the whole cap
)

// reserve accounts for n more bytes, evicting old logs as needed, and
// reports whether they fit.
func (s *store) reserve(n int64, u use) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.cap - s.closing
	switch u {
	case useLog, useService:
		limit -= s.headroom
	case useTemp:
		// Transient, and only while nothing closes the soak: the old
		// file goes when the new one is complete.
		limit = s.cap
	}
	for s.used+n > limit {
		if !s.evictOneLocked() {
			return false
		}
	}
	s.used += n
	if u == useLog || u == useLogNote {
		s.live += n
	}
	return true
}

// release gives back n bytes reserved for u (a write fell short, or a file
// was removed).
func (s *store) release(n int64, u use) {
	s.mu.Lock()
	s.used -= n
	if u == useLog || u == useLogNote {
		s.live -= n
	}
	s.mu.Unlock()
}

func (s *store) noteDropped(n int64) {
	s.mu.Lock()
	s.dropped += n
	s.mu.Unlock()
}

// dropLogs removes the logs of the passing iterations for which gone is
// true (compacted into a range record).
func (s *store) dropLogs(gone func(n int) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.passing = slices.DeleteFunc(s.passing, func(il iterLogs) bool {
		if gone(il.n) {
			s.removeLocked(il.n, il.files)
			return true
		}
		return false
	})
}

// evictOneLocked removes the logs of the oldest passing iteration, or if
// there is none, of the oldest failing one. It reports whether it removed
// anything.
func (s *store) evictOneLocked() bool {
	list := &s.passing
	if len(*list) == 0 {
		list = &s.failing
	}
	if len(*list) == 0 {
		return false
	}
	il := (*list)[0]
	*list = (*list)[1:]
	s.removeLocked(il.n, il.files)
	return true
}

func (s *store) removeLocked(n int, files []logFile) {
	dir := s.layout.IterationLogs(n)
	for _, f := range files {
		err := os.Remove(filepath.Join(dir, filepath.FromSlash(f.rel)))
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			s.used -= f.size
			s.evicted += f.size
		}
	}
	removeEmptyDirs(dir)
}

// removeEmptyDirs removes dir and its subdirectories if they hold no files.
func removeEmptyDirs(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			removeEmptyDirs(filepath.Join(dir, e.Name()))
		}
	}
	os.Remove(dir) // fails if not empty, as intended
}

// finishIteration indexes iteration n's logs once it has ended, corrects the
// accounting for bytes written around the log writers, rotates, and brings
// the total back under the cap.
func (s *store) finishIteration(n int, failed bool) {
	files := scanLogs(s.layout.IterationLogs(n))
	il := iterLogs{n: n, files: files}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used += il.bytes() - s.live
	s.live = 0
	if len(files) > 0 {
		if failed {
			s.failing = append(s.failing, il)
		} else {
			s.passing = append(s.passing, il)
		}
	}
	s.rotateLocked()
	for s.used > s.cap && s.evictOneLocked() {
	}
}

// rotateLocked keeps, per step, the logs of the newest keep passing
// iterations that have logs for that step.
func (s *store) rotateLocked() {
	seen := map[string]int{}
	for i := len(s.passing) - 1; i >= 0; i-- {
		il := &s.passing[i]
		var gone []logFile
		kept := il.files[:0:0]
		counted := map[string]bool{}
		for _, f := range il.files {
			k := stepKey(f.rel)
			if !counted[k] {
				counted[k] = true
				seen[k]++
			}
			if seen[k] > s.keep {
				gone = append(gone, f)
			} else {
				kept = append(kept, f)
			}
		}
		if len(gone) > 0 {
			s.removeLocked(il.n, gone)
			il.files = kept
		}
	}
	s.passing = slices.DeleteFunc(s.passing, func(il iterLogs) bool { return len(il.files) == 0 })
}

// usage returns the accounted total and the bytes evicted and dropped.
func (s *store) usage() (used, evicted, dropped int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used, s.evicted, s.dropped
}

// appendLine appends one canonical JSON record to a, within the cap.
func (s *store) appendLine(a *jsonl.Appender, v any) error {
	b, err := canonjson.Marshal(v)
	if err != nil {
		return err
	}
	if !s.reserve(int64(len(b)), useRecord) {
		return fmt.Errorf("soak: %s: %w", a.Path(), errCapReached)
	}
	before := a.Size()
	err = s.check(a.Path())
	if err == nil {
		err = a.AppendRaw(b)
	}
	if short := int64(len(b)) - (a.Size() - before); short > 0 {
		s.release(short, useRecord)
	}
	if err != nil {
		return s.fail(a.Path(), err)
	}
	return nil
}

// writeJSON writes v to path atomically as canonical JSON, within the cap:
// the new file exists next to the old one until the rename.
func (s *store) writeJSON(path string, v any) error {
	b, err := canonjson.Marshal(v)
	if err != nil {
		return err
	}
	return s.writeFile(path, b)
}

// writeIterationJSON writes v atomically into the running iteration's log
// directory, counted with its logs (and rotated and evicted with them).
func (s *store) writeIterationJSON(path string, v any) error {
	b, err := canonjson.Marshal(v)
	if err != nil {
		return err
	}
	if !s.reserve(int64(len(b)), useLogNote) {
		return fmt.Errorf("soak: %s: %w", path, errCapReached)
	}
	err = s.check(path)
	if err == nil {
		err = atomicfile.WriteFile(path, b, 0o644)
	}
	if err != nil {
		s.release(int64(len(b)), useLogNote)
		return s.fail(path, err)
	}
	return nil
}

func (s *store) writeFile(path string, b []byte) error {
	var old int64
	if st, err := os.Stat(path); err == nil {
		old = st.Size()
	}
	if !s.reserve(int64(len(b)), useRecord) {
		return fmt.Errorf("soak: %s: %w", path, errCapReached)
	}
	err := s.check(path)
	if err == nil {
		err = atomicfile.WriteFile(path, b, 0o644)
	}
	if err != nil {
		s.release(int64(len(b)), useRecord)
		return s.fail(path, err)
	}
	s.release(old, useRecord)
	return nil
}

// logWriter returns a writer into w, the log file at path, whose bytes
// count against the cap. Once a write does not fit, it and every later
// write are dropped (a log with a hole in the middle would mislead); Close
// then appends a note saying how much was dropped. The cap never fails a
// step: dropped writes report success. A write the file refuses is a
// write failure of the soak (see [store.fail]) and is returned.
func (s *store) logWriter(w io.Writer, path string, u use) io.WriteCloser {
	return &capWriter{s: s, w: w, path: path, use: u}
}

type capWriter struct {
	s       *store
	w       io.Writer
	path    string
	use     use
	mu      sync.Mutex
	dropped int64
	failed  bool
	closed  bool
}

func (c *capWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed {
		return 0, fmt.Errorf("soak: %s: an earlier write failed", c.path)
	}
	if c.dropped == 0 && !c.closed && c.s.reserve(int64(len(p)), c.use) {
		err := c.s.check(c.path)
		n := 0
		if err == nil {
			n, err = c.w.Write(p)
		}
		if n < len(p) {
			c.s.release(int64(len(p)-n), c.use)
		}
		if err != nil {
			c.failed = true
			return n, c.s.fail(c.path, err)
		}
		return len(p), nil
	}
	c.dropped += int64(len(p))
	c.s.noteDropped(int64(len(p)))
	return len(p), nil
}

func (c *capWriter) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.dropped > 0 && !c.failed {
		note := fmt.Appendf(nil, "\n[soakkit: %d bytes of output dropped to keep the artifacts under their byte cap]\n", c.dropped)
		u := useLogNote
		if c.use == useService {
			u = useRecord
		}
		if c.s.reserve(int64(len(note)), u) {
			n, _ := c.w.Write(note)
			if n < len(note) {
				c.s.release(int64(len(note)-n), u)
			}
		}
	}
	return nil
}
