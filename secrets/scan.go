package secrets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// A Scanner finds secrets in files, directory trees, readers and git
// changes. The zero value of each field selects its default, so a zero
// Scanner scans with the built-in rules and allowlists. A Scanner is not
// modified by scanning and may be used concurrently.
type Scanner struct {
	Rules      []Rule      // nil: DefaultRules()
	Allowlists []Allowlist // global allowlists; a matching finding is suppressed as Allowlisted
	Baseline   Baseline    // accepted fingerprints; matching findings are suppressed as Baselined
	// GitleaksIgnore holds gitleaks .gitleaksignore fingerprints; a finding
	// they name is suppressed as Allowlisted. See [ParseGitleaksIgnore].
	GitleaksIgnore GitleaksIgnore
	// Root is the directory that reported paths, globs and fingerprints are
	// relative to. Default: the current directory.
	Root string
	// ArtifactsDir, if set, is scanned too, and any finding under it is
	// critical: no allowlist, inline comment or baseline suppresses it.
	ArtifactsDir string
	// Exclude lists doublestar globs (relative to Root) of files and
	// directories not to read. They are counted in Report.Excluded. An
	// excluded directory holding ArtifactsDir still has that scanned.
	Exclude []string
	Strict  bool // suppressed findings (except baselined ones) fail the scan

	NoTestCredentials bool // don't suppress scan_secrets.py's CI test credentials
	IgnoreInline      bool // don't honour soakkit:allow / gitleaks:allow comments

	Workers        int // parallel file readers; default: runtime.NumCPU()
	MaxDecodeDepth int // base64/hex decode-and-rescan depth; default 2; negative disables
	// ChunkSize is how many bytes are scanned at a time; default 256 KiB.
	// Files of any size are scanned whole, chunk by chunk, with an overlap
	// of 16 KiB so a token on a boundary is seen in one piece; memory per
	// worker is about twice ChunkSize.
	ChunkSize int
}

// OriginalExclude is scan_secrets.py's IGNORE_DIRS and
// IGNORE_GLOBS as doublestar globs, for Scanner.Exclude when its behaviour
// is wanted. It leaves out scan_secrets.py's "artifacts", which
// Scanner.ArtifactsDir scans as critical instead.
var OriginalExclude = []string{
	"**/.git", "**/.github", "**/.venv", "**/venv", "**/__pycache__", "**/reports", "**/dist",
	"**/build", "**/node_modules", "**/.pytest_cache", "**/htmlcov", "**/golden", "**/presets",
	"**/*.md", "**/*.png", "**/*.jpg", "**/*.jpeg", "**/*.gif", "**/*.svg", "**/*.csv", "**/*.parquet",
	"**/*.arrow", "**/*.ipynb", "**/*.pyc", "**/*.pyo",
}

// Defaults for Scanner fields.
const (
	DefaultChunkSize = 256 << 10
	chunkOverlap     = 16 << 10
	defaultDepth     = 2
	sniffLen         = 8 << 10 // a NUL in the first 8 KiB makes a file binary
)

// A Report is the result of a scan.
type Report struct {
	Findings []Finding // sorted by file, line, column, rule
	Files    int       // files scanned; in a git or history scan, file diffs read (binary ones too, not deletions)
	Commits  int       // commits selected by a history scan (merges included)
	// RepositoryURI and Revision name what a history scan read: the origin
	// remote's URL without credentials (else a file URL of the repository)
	// and the commit its range ends at ("" with History.All).
	RepositoryURI string
	Revision      string
	Bytes         int64    // bytes scanned
	Binary        []string // files skipped because they look binary (NUL in the first 8 KiB); in a history scan, paths of blobs git diffs as binary
	// Special lists what was not scanned because it is not a regular file:
	// FIFOs, sockets and devices. Opening one could block for ever (a FIFO
	// with no writer) or never end (a character device), so none is opened.
	Special  []string
	Excluded int          // files and directories skipped by Exclude
	Symlinks int          // symbolic links not followed
	Errors   []UnreadFile // files that could not be read
	Strict   bool         // the scan ran in strict mode
	Duration time.Duration
	// BaselineUnused counts baseline fingerprints that matched nothing:
	// stale entries that can be removed.
	BaselineUnused int
}

// An UnreadFile is a file that could not be scanned, and why.
type UnreadFile struct {
	Path string `json:"path"`
	Err  string `json:"error"`
}

// compiled is a Scanner prepared for one scan.
type compiled struct {
	s          *Scanner
	det        *detector
	root       string // absolute
	artifacts  string // absolute, or ""
	chunk      int
	pathRules  []int // rules with a Path filter
	pathOnly   []int // rules with only a Path
	ruleAllows bool
	// Composite rules: per rule index, its requirements resolved to rule
	// indexes; composite is set when any rule has requirements or skips
	// its report, so that compose has work to do.
	req       [][]requirement
	ruleIdx   map[string]int // rule id -> index
	composite bool
	// regexGeneric is set when a configured generic rule (a regex rule
	// whose id contains "generic") is in the set: compose then applies
	// gitleaks' precedence of specific findings over its findings.
	regexGeneric bool

	mu       sync.Mutex
	rep      *Report
	baseUsed map[string]bool
}

func (s *Scanner) compile() (*compiled, error) {
	rules := s.Rules
	if rules == nil {
		rules = builtinRules
	}
	seen := map[string]bool{}
	for _, r := range rules {
		if r.ID == "" {
			return nil, &ConfigError{File: "rules", Field: "id", Err: errors.New("rule without id")}
		}
		if seen[r.ID] {
			return nil, &ConfigError{File: "rules", Field: "id", Err: fmt.Errorf("duplicate rule id %q", r.ID)}
		}
		seen[r.ID] = true
	}
	depth := s.MaxDecodeDepth
	if depth == 0 {
		depth = defaultDepth
	} else if depth < 0 {
		depth = 0
	}
	var det *detector
	if s.Rules == nil && depth == defaultDepth {
		det = defaultDetector()
	} else {
		det = newDetector(rules, depth)
	}
	c := &compiled{s: s, det: det, chunk: s.ChunkSize, rep: &Report{Strict: s.Strict}, baseUsed: map[string]bool{}}
	if c.chunk <= 0 {
		c.chunk = DefaultChunkSize
	}
	if c.chunk < 2*chunkOverlap {
		c.chunk = 2 * chunkOverlap
	}
	root := s.Root
	if root == "" {
		root = "."
	}
	var err error
	if c.root, err = filepath.Abs(root); err != nil {
		return nil, fmt.Errorf("secrets: root: %w", err)
	}
	if s.ArtifactsDir != "" {
		if c.artifacts, err = filepath.Abs(s.ArtifactsDir); err != nil {
			return nil, fmt.Errorf("secrets: artifacts dir: %w", err)
		}
	}
	for i, r := range rules {
		if r.Path != nil {
			if r.Regex == nil && r.match == nil {
				c.pathOnly = append(c.pathOnly, i)
			} else {
				c.pathRules = append(c.pathRules, i)
			}
		}
		if len(r.Allowlists) > 0 {
			c.ruleAllows = true
		}
		if r.generic && r.Regex != nil {
			c.regexGeneric = true
		}
	}
	if err := c.compileRequired(rules); err != nil {
		return nil, err
	}
	return c, nil
}

// rel returns the slash path of abs relative to the root, or abs itself
// (slash-separated) when it is outside the root.
func (c *compiled) rel(abs string) string {
	if r, err := filepath.Rel(c.root, abs); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(abs)
}

func (c *compiled) critical(abs string) bool {
	return c.artifacts != "" && abs != "" && within(c.artifacts, abs)
}

// within reports whether path is dir or inside it (both absolute).
func within(dir, path string) bool {
	r, err := filepath.Rel(dir, path)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

func (c *compiled) pathMask(rel string) []bool {
	if len(c.pathRules) == 0 {
		return nil
	}
	ok := make([]bool, len(c.det.rules))
	for i := range ok {
		ok[i] = true
	}
	for _, ri := range c.pathRules {
		ok[ri] = c.det.rules[ri].Path.MatchString(rel)
	}
	return ok
}

// Scan scans files and directory trees (recursively, in parallel, without
// following symbolic links; .git directories are skipped) and, when set,
// Scanner.ArtifactsDir. With no paths it scans Root.
//
// Files that cannot be read are listed in Report.Errors and binary files in
// Report.Binary; neither is an error. The error is non-nil only when the
// scan could not be done: a path does not exist, the configuration is
// invalid, or ctx was canceled (then context.Cause(ctx) is returned).
func (s *Scanner) Scan(ctx context.Context, paths ...string) (*Report, error) {
	start := time.Now()
	c, err := s.compile()
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		paths = []string{c.root}
	}
	if c.artifacts != "" {
		covered := false
		for _, p := range paths {
			if a, err := filepath.Abs(p); err == nil && within(a, c.artifacts) {
				covered = true
			}
		}
		if !covered {
			if _, err := os.Stat(c.artifacts); err == nil {
				paths = append(slices.Clone(paths), c.artifacts)
			}
		}
	}
	for _, p := range paths {
		if _, err := os.Lstat(p); err != nil {
			return nil, fmt.Errorf("secrets: %w", err)
		}
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var q walkQueue
	q.cond = sync.NewCond(&q.mu)
	var roots []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("secrets: %w", err)
		}
		roots = append(roots, abs)
	}
	// A path inside another one given is scanned once, as part of it.
	slices.Sort(roots)
	var kept []string
	for _, r := range roots {
		if !slices.ContainsFunc(kept, func(k string) bool { return within(k, r) }) {
			kept = append(kept, r)
		}
	}
	for _, abs := range kept {
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("secrets: %w", err)
		}
		if !fi.IsDir() && !fi.Mode().IsRegular() {
			c.special(abs)
			continue
		}
		q.push(walkItem{abs, fi.IsDir()})
	}
	stop := context.AfterFunc(ctx, q.abort)
	defer stop()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := c.newWorker()
			for {
				it, ok := q.pop()
				if !ok {
					return
				}
				if it.dir {
					c.readDir(it, &q)
				} else {
					w.scanFile(it.path)
				}
				q.done()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	return c.finish(start), nil
}

// A walkItem is a directory to list or a file to scan. Only the entries of
// a listed directory are subject to .git and Exclude pruning, so a path the
// caller names is always scanned.
type walkItem struct {
	path string
	dir  bool
}

// walkQueue is the shared work list of the parallel walk: every worker
// lists directories and scans files, so both use all cores. It is a stack,
// so the walk is depth-first and the list stays short.
type walkQueue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	items   []walkItem
	pending int // pushed but not yet done
	aborted bool
}

func (q *walkQueue) push(it walkItem) {
	q.mu.Lock()
	q.items = append(q.items, it)
	q.pending++
	q.mu.Unlock()
	q.cond.Signal()
}

// pop returns the next item, waiting for one while work is pending; ok is
// false when the walk is finished or aborted.
func (q *walkQueue) pop() (walkItem, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && q.pending > 0 && !q.aborted {
		q.cond.Wait()
	}
	if q.aborted || len(q.items) == 0 {
		return walkItem{}, false
	}
	it := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return it, true
}

func (q *walkQueue) done() {
	q.mu.Lock()
	q.pending--
	finished := q.pending == 0
	q.mu.Unlock()
	if finished {
		q.cond.Broadcast()
	}
}

func (q *walkQueue) abort() {
	q.mu.Lock()
	q.aborted = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// readDir lists a directory and queues its entries. Symbolic links are
// counted, not followed; .git directories and Exclude matches are pruned.
func (c *compiled) readDir(it walkItem, q *walkQueue) {
	ents, err := os.ReadDir(it.path)
	if err != nil {
		c.addError(it.path, err)
	}
	for _, d := range ents {
		p := filepath.Join(it.path, d.Name())
		switch t := d.Type(); {
		case t&fs.ModeSymlink != 0:
			c.count(func(r *Report) { r.Symlinks++ })
		case d.IsDir() && d.Name() == ".git":
		case len(c.s.Exclude) > 0 && globMatch(c.s.Exclude, c.rel(p)):
			c.count(func(r *Report) { r.Excluded++ })
			if d.IsDir() && c.artifacts != "" && within(p, c.artifacts) {
				// Exclude never hides the artifacts directory: scan it alone.
				if fi, err := os.Stat(c.artifacts); err == nil && fi.IsDir() {
					q.push(walkItem{path: c.artifacts, dir: true})
				}
			}
		case d.IsDir():
			q.push(walkItem{path: p, dir: true})
		case t.IsRegular():
			q.push(walkItem{path: p})
		default: // FIFO, socket, device: never opened
			c.special(p)
		}
	}
}

// special records a path that is not scanned because it is not a regular
// file.
func (c *compiled) special(path string) {
	c.count(func(r *Report) { r.Special = append(r.Special, c.rel(path)) })
}

func (c *compiled) count(f func(*Report)) {
	c.mu.Lock()
	f(c.rep)
	c.mu.Unlock()
}

func (c *compiled) addError(path string, err error) {
	c.count(func(r *Report) { r.Errors = append(r.Errors, UnreadFile{Path: c.rel(path), Err: err.Error()}) })
}

type worker struct {
	c   *compiled
	buf []byte
	sc  *scratch
	out []Finding
	// hold keeps findings in out when a stream ends, for a caller whose
	// fragment is several streams (the added runs of one file's diff):
	// it calls release once the fragment is complete.
	hold bool
}

// release moves the worker's findings to the report, composed as one
// fragment (see [compiled.compose]).
func (w *worker) release() {
	w.c.mu.Lock()
	w.c.rep.Findings = append(w.c.rep.Findings, w.c.compose(w.out)...)
	w.c.mu.Unlock()
	w.out = w.out[:0]
}

func (c *compiled) newWorker() *worker {
	return &worker{c: c, buf: make([]byte, 0, c.chunk+chunkOverlap), sc: c.det.newScratch()}
}

func (w *worker) scanFile(abs string) {
	f, err := os.Open(abs)
	if err != nil {
		w.c.addError(abs, err)
		return
	}
	defer f.Close()
	rel := w.c.rel(abs)
	src := source{rel: rel, critical: w.c.critical(abs)}
	if err := w.scanStream(f, src); err != nil {
		w.c.addError(abs, err)
	}
}

// A source describes where scanned bytes come from.
type source struct {
	rel      string
	critical bool
	commit   string
	lines    []int // git fragments: file line number of each fragment line; nil for files
}

// scanStream scans r in chunks that overlap by chunkOverlap bytes; a
// finding is reported by the chunk it starts in, outside the overlap.
func (w *worker) scanStream(r io.Reader, src source) error {
	c := w.c
	buf := w.buf[:0]
	pathOK := c.pathMask(src.rel)
	if src.lines == nil { // git fragments: once per file, by parseDiff
		w.pathOnly(src)
	}
	var total int64
	line, col0 := 1, 0
	first := true
	for {
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		total += int64(n)
		eof := false
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			eof = true
		case err != nil:
			w.flush(src, total)
			return err
		}
		if first {
			first = false
			head := buf
			if len(head) > sniffLen {
				head = head[:sniffLen]
			}
			if bytes.IndexByte(head, 0) >= 0 {
				c.count(func(r *Report) { r.Binary = append(r.Binary, src.rel) })
				if !w.hold {
					w.release() // path-only rules still apply
				}
				return nil
			}
		}
		owned, end := len(buf), len(buf)
		if !eof {
			owned = safeCut(buf, len(buf)-chunkOverlap)
			// The buffer ends wherever the read stopped, mid-line: end the
			// text the rules see at the last line end, so that "$" (and a
			// match running into the cut) only ever meets a real line
			// boundary. What lies past it is scanned with the next chunk.
			if i := bytes.LastIndexByte(buf[owned:], '\n'); i >= 0 {
				end = owned + i
			}
		}
		cands := c.det.detect(buf[:end], w.sc, pathOK, 0)
		if end == len(buf) && !eof {
			// No line end after the cut: a match reaching the cut may owe
			// it an anchor. Any real match there is 16 KiB long or starts
			// after the cut, where the next chunk finds it.
			cands = slices.DeleteFunc(cands, func(r raw) bool { return r.sp.end >= end })
		}
		w.sc.cands = w.sc.cands[:0]
		w.locate(src, buf, cands, owned, line, col0)
		if eof {
			break
		}
		// Advance: line and column of buf[owned].
		head := buf[:owned]
		nl := bytes.Count(head, []byte{'\n'})
		if nl > 0 {
			line += nl
			col0 = utf8.RuneCount(head[bytes.LastIndexByte(head, '\n')+1:])
		} else {
			col0 += utf8.RuneCount(head)
		}
		k := copy(buf, buf[owned:])
		buf = buf[:k]
	}
	w.buf = buf[:0]
	w.flush(src, total)
	return nil
}

// pathOnly reports the path-only rules that match src's path.
func (w *worker) pathOnly(src source) {
	for _, ri := range w.c.pathOnly {
		if w.c.det.rules[ri].Path.MatchString(src.rel) {
			w.emit(src, ri, nil, 0, 0, 0, span{}, "", 0, "", false)
		}
	}
}

// safeCut moves a chunk boundary back to just after a newline (or a space)
// so the next chunk does not start inside a token.
func safeCut(b []byte, at int) int {
	lo := at - chunkOverlap/2
	if i := bytes.LastIndexByte(b[lo:at], '\n'); i >= 0 {
		return lo + i + 1
	}
	if i := bytes.LastIndexAny(b[lo:at], " \t"); i >= 0 {
		return lo + i + 1
	}
	return at
}

func (w *worker) flush(src source, total int64) {
	w.c.mu.Lock()
	if src.lines == nil {
		w.c.rep.Files++ // git fragments are counted per file by parseDiff
	}
	w.c.rep.Bytes += total
	w.c.mu.Unlock()
	if !w.hold {
		w.release()
	}
}

// locate turns the candidates of one chunk into findings, computing lines
// and columns incrementally. Only candidates starting before owned count.
// A finding is located where its match starts, or where its secret starts
// when that is on a later line (a value on the line after its key).
func (w *worker) locate(src source, b []byte, cands []raw, owned, line0, col0 int) {
	for i := range cands {
		cands[i].at = cands[i].sp.start
		if sp := cands[i].sp; sp.sStart > sp.start && bytes.IndexByte(b[sp.start:sp.sStart], '\n') >= 0 {
			cands[i].at = sp.sStart
		}
	}
	slices.SortStableFunc(cands, func(x, y raw) int { return x.at - y.at })
	line, pos, lineStart := line0, 0, 0
	for _, cd := range cands {
		if cd.sp.start >= owned {
			continue // the next chunk reports it
		}
		// Advance to the candidate's location.
		for {
			i := bytes.IndexByte(b[pos:cd.at], '\n')
			if i < 0 {
				break
			}
			pos += i + 1
			line++
			lineStart = pos
		}
		pos = cd.at
		col := utf8.RuneCount(b[lineStart:cd.at]) + 1
		if lineStart == 0 {
			col += col0
		}
		w.emit(src, cd.rule, b, line, col, cd.at, cd.sp, cd.secret, cd.decoded, cd.codec, cd.badSum)
	}
}

// emit builds one finding and classifies its suppression. line and col
// are those of b[at], the finding's location; badSum marks a secret that
// fails its rule's checksum.
func (w *worker) emit(src source, ri int, b []byte, line, col, at int, sp span, decoded string, depth int, codec string, badSum bool) {
	c := w.c
	r := &c.det.rules[ri]
	f := Finding{RuleID: r.ID, Description: r.Description, File: src.rel, Commit: src.commit, Critical: src.critical}
	if b == nil { // path-only rule
		f.Match = "file detected: " + src.rel
		f.Fingerprint = Fingerprint(r.ID, src.rel, src.rel)
		w.classify(&f, nil, "")
		w.out = append(w.out, f)
		return
	}
	secret := decoded
	if secret == "" {
		secret = string(b[sp.sStart:sp.sEnd])
	}
	if r.match != nil && builtinDrop(secret) {
		return
	}
	match := b[sp.start:sp.end]
	f.Secret = secret
	f.Entropy = float64(int(entropy(secret)*1000)) / 1000
	switch {
	case codec == codecEscape:
		f.Match = redactMatch(r, string(match), sp.sStart-sp.start, sp.sEnd-sp.sStart)
		f.Tags = []string{"decoded:escape"}
	case decoded != "":
		f.Match = Mask
		f.Tags = []string{"decoded:" + codec, fmt.Sprintf("decode-depth:%d", depth)}
	default:
		f.Match = redactMatch(r, string(match), sp.sStart-sp.start, sp.sEnd-sp.sStart)
	}
	f.Line, f.Column = line, col
	rest := b[at:max(at, sp.end)]
	nl := bytes.Count(rest, []byte{'\n'})
	f.EndLine = line + nl
	if nl == 0 {
		f.EndColumn = col + utf8.RuneCount(rest)
	} else {
		f.EndColumn = utf8.RuneCount(rest[bytes.LastIndexByte(rest, '\n')+1:]) + 1
	}
	if src.lines != nil {
		f.Line = fragLine(src.lines, f.Line)
		f.EndLine = fragLine(src.lines, f.EndLine)
	}
	// The lines the match spans, whole: what an inline allow comment and
	// a "line" allowlist see.
	ls := bytes.LastIndexByte(b[:sp.start], '\n') + 1
	le := bytes.IndexByte(b[sp.end:], '\n')
	if le < 0 {
		le = len(b)
	} else {
		le += sp.end
	}
	lineText := b[ls:le]
	f.Fingerprint = Fingerprint(r.ID, secret, src.rel)
	w.classify(&f, lineText, string(match))
	if badSum && f.Suppressed == NotSuppressed && !f.Critical {
		f.Suppressed = ChecksumMismatch
	}
	w.out = append(w.out, f)
}

func fragLine(lines []int, n int) int {
	if n >= 1 && n <= len(lines) {
		return lines[n-1]
	}
	if len(lines) > 0 {
		return lines[len(lines)-1]
	}
	return n
}

func (w *worker) classify(f *Finding, line []byte, match string) {
	c := w.c
	if f.Critical {
		return
	}
	if c.s.Baseline[f.Fingerprint] {
		f.Suppressed = Baselined
		if !c.composite && !c.regexGeneric { // else compose marks the findings it keeps
			c.markBaseline(f.Fingerprint)
		}
		return
	}
	if c.s.GitleaksIgnore.Has(*f) {
		f.Suppressed = Allowlisted
		return
	}
	if !c.s.IgnoreInline && hasInline(line) {
		f.Suppressed = InlineAllowed
		return
	}
	ls := string(line)
	for i := range c.s.Allowlists {
		if c.s.Allowlists[i].matches(f.RuleID, f.File, f.Secret, match, ls, f.Commit) {
			f.Suppressed = Allowlisted
			return
		}
	}
	if c.ruleAllows {
		r := c.ruleByID(f.RuleID)
		for i := range r.Allowlists {
			if r.Allowlists[i].matches(f.RuleID, f.File, f.Secret, match, ls, f.Commit) {
				f.Suppressed = Allowlisted
				return
			}
		}
	}
	if !c.s.NoTestCredentials {
		for _, tc := range TestCredentials {
			if strings.Contains(ls, tc) {
				f.Suppressed = TestCredential
				return
			}
		}
	}
	if isPublished(f.Secret) {
		f.Suppressed = Published
	}
}

func (c *compiled) markBaseline(fp string) {
	c.mu.Lock()
	c.baseUsed[fp] = true
	c.mu.Unlock()
}

func (c *compiled) ruleByID(id string) *Rule {
	for i := range c.det.rules {
		if c.det.rules[i].ID == id {
			return &c.det.rules[i]
		}
	}
	return &Rule{}
}

func (c *compiled) finish(start time.Time) *Report {
	rep := c.rep
	slices.SortFunc(rep.Findings, func(a, b Finding) int {
		return cmpFinding(a, b)
	})
	slices.Sort(rep.Binary)
	slices.Sort(rep.Special)
	slices.SortFunc(rep.Errors, func(a, b UnreadFile) int { return strings.Compare(a.Path, b.Path) })
	for fp := range c.s.Baseline {
		if !c.baseUsed[fp] {
			rep.BaselineUnused++
		}
	}
	rep.Duration = time.Since(start)
	return rep
}

func cmpFinding(a, b Finding) int {
	if x := strings.Compare(a.File, b.File); x != 0 {
		return x
	}
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	if a.Column != b.Column {
		return a.Column - b.Column
	}
	if x := strings.Compare(a.RuleID, b.RuleID); x != 0 {
		return x
	}
	return strings.Compare(a.Fingerprint, b.Fingerprint)
}

// ScanReader scans r as one file named name (for stdin, use "-" or
// "stdin"). Binary input is reported in Report.Binary, not scanned.
func (s *Scanner) ScanReader(ctx context.Context, name string, r io.Reader) (*Report, error) {
	start := time.Now()
	c, err := s.compile()
	if err != nil {
		return nil, err
	}
	w := c.newWorker()
	src := source{rel: filepath.ToSlash(name)}
	if err := w.scanStream(ctxReader{ctx, r}, src); err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, fmt.Errorf("secrets: read %s: %w", name, err)
	}
	return c.finish(start), nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read fails once the context is done.
func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// ScanString scans s with the built-in rules and returns its findings
// (File is empty). It is a convenience for tests and small inputs.
func ScanString(s string) []Finding {
	var sc Scanner
	rep, err := sc.ScanReader(context.Background(), "", strings.NewReader(s))
	if err != nil {
		return nil
	}
	return rep.Findings
}
