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

	mu      sync.Mutex
	used    int64
	live    int64      // bytes reserved by log writers of the running iteration
	passing []iterLogs // completed iterations holding logs, oldest first
	failing []iterLogs
	evicted int64 // bytes removed by the cap
	dropped int64 // log bytes not written because of the cap
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
func openStore(l artifact.Layout, maxBytes int64, keep int, failed func(n int) bool) (*store, error) {
	s := &store{layout: l, cap: maxBytes, keep: keep}
	s.headroom = min(maxBytes/8, 4<<20)
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
	return s, nil
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
)

// reserve accounts for n more bytes, evicting old logs as needed, and
// reports whether they fit.
func (s *store) reserve(n int64, u use) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.cap
	if u == useLog || u == useService {
		limit -= s.headroom
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
	err = a.AppendRaw(b)
	if short := int64(len(b)) - (a.Size() - before); short > 0 {
		s.release(short, useRecord)
	}
	return err
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
	if err := atomicfile.WriteFile(path, b, 0o644); err != nil {
		s.release(int64(len(b)), useLogNote)
		return err
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
	if err := atomicfile.WriteFile(path, b, 0o644); err != nil {
		s.release(int64(len(b)), useRecord)
		return err
	}
	s.release(old, useRecord)
	return nil
}

// logWriter returns a writer into w whose bytes count against the cap. Once
// a write does not fit, it and every later write are dropped (a log with a
// hole in the middle would mislead); Close then appends a note saying how
// much was dropped. Writes always report success, so that the cap never
// fails a step.
func (s *store) logWriter(w io.Writer, u use) io.WriteCloser { return &capWriter{s: s, w: w, use: u} }

type capWriter struct {
	s       *store
	w       io.Writer
	use     use
	mu      sync.Mutex
	dropped int64
	closed  bool
}

func (c *capWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped == 0 && !c.closed && c.s.reserve(int64(len(p)), c.use) {
		n, err := c.w.Write(p)
		if n < len(p) {
			c.s.release(int64(len(p)-n), c.use)
		}
		if err != nil {
			return n, err
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
	if c.dropped > 0 {
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
