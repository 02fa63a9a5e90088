package secrets

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A History selects the commits [Scanner.ScanHistory] reads. The zero
// value scans every commit reachable from HEAD, one git process per CPU.
type History struct {
	// Range is what git rev-list selects, as one or more revisions
	// separated by spaces: "HEAD" (the default), "origin/main..HEAD" for a
	// pull request's commits, "v1.0...main", "^base topic". A revision
	// starting with '-' is an error, so Range never passes an option to git.
	Range string
	// All scans every ref (branches, tags, remote-tracking refs) instead of
	// Range, as gitleaks' git mode does by default. Range must be empty.
	All bool
	// Merges says how merge commits are diffed; default MergesSkip.
	Merges Merges
	// Workers is how many git processes produce patches at once; default
	// runtime.NumCPU().
	Workers int
}

// Merges says how [Scanner.ScanHistory] treats merge commits.
type Merges string

const (
	// MergesSkip diffs no merge commit, as gitleaks' git mode does (its
	// git log -p prints no patch for merges): what a merge brings in is
	// scanned in the commits that made it on the merged branch. Content a
	// merge adds of its own, such as a conflict resolution, is not seen.
	MergesSkip Merges = "skip"
	// MergesFirstParent diffs each merge against its first parent, which
	// also catches content added by the merge itself, at the cost of
	// scanning each merged branch's changes a second time. A secret so seen
	// twice is still one finding, at the commit that introduced it.
	MergesFirstParent Merges = "first-parent"
)

// histBatch is how many commits one git diff-tree process diffs. Small
// enough to balance the work across workers, large enough that starting a
// process (a few milliseconds) is a small share of its run.
const histBatch = 64

// ScanHistory scans every commit of the repository at dir that h selects:
// the lines each commit adds, in that commit's version of the file, through
// the real git binary (git rev-list, then git diff-tree on batches of
// commits in parallel). Memory does not grow with the size of the history:
// patches are streamed and only findings are kept.
//
// gitleaks' git mode reads git log -U0 and so sees only the changed lines:
// a commit that edits a YAML block scalar's value, an XML element's text
// on the line after its tag, or a PEM key's body alone adds lines without
// a key, and it finds nothing. ScanHistory reads diffs with five unchanged
// lines of context around each change and runs the rules over each hunk
// with them, but keeps only the findings whose match touches a line the
// commit adds (removes, for the old side): a secret on unchanged lines is
// not the commit's, so it is not reported again. Context costs about a
// tenth more diff text; a key more than five lines above its changed value
// is still not seen. The lines a commit adds to a file and the file's
// path-only findings are one fragment for composite rules
// ([Rule.Required]), as a file is in a directory scan.
//
// A secret present in many commits is one [Finding], at the commit that
// introduced it (the earliest in topological order): Commit, Author,
// Email, Date, File and Line describe that commit's version, and Commits
// counts the scanned commits whose tree carries the secret (the lines each
// commit removes are scanned too, to tell when a secret leaves a file).
// Its Fingerprint is the same as a directory scan's, so a [Baseline]
// works unchanged, and Scanner.GitleaksIgnore entries of the form
// commit:file:rule:line suppress it. If every commit that adds the secret is
// suppressed that way it is reported suppressed; otherwise at the earliest
// commit that is not.
//
// Binary blobs (and those over git's core.bigFileThreshold, which git
// treats as binary) are listed in Report.Binary by path, never silently
// skipped; path-only rules still apply to them, as to empty files.
// Report.Files counts the file diffs read: one per file each scanned
// commit adds, modifies or changes the mode of, binary ones included;
// deletions and paths matching Scanner.Exclude are not counted. A git
// failure is an error, never a clean report; if ctx is canceled every git
// process is killed and context.Cause(ctx) returned.
func (s *Scanner) ScanHistory(ctx context.Context, dir string, h History) (*Report, error) {
	start := time.Now()
	revs, err := h.revArgs()
	if err != nil {
		return nil, err
	}
	switch h.Merges {
	case "", MergesSkip, MergesFirstParent:
	default:
		return nil, fmt.Errorf("secrets: unknown merge mode %q (want %q or %q)", h.Merges, MergesSkip, MergesFirstParent)
	}
	top, err := repoTop(ctx, dir)
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	if err != nil {
		return nil, err
	}
	s2 := *s
	if s2.Root == "" {
		s2.Root = top
	}
	c, err := s2.compile()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	hs := &histScan{c: c, dir: dir, top: top, merges: h.Merges, ctx: ctx, cancel: cancel,
		events: map[string][]histEvent{}, binary: map[string]bool{}}
	workers := h.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	batches := make(chan []string)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := c.newWorker()
			for b := range batches {
				if err := hs.diffBatch(w, b); err != nil {
					hs.fail(err)
				}
			}
		}()
	}
	lerr := hs.listCommits(revs, batches)
	close(batches)
	wg.Wait()
	if lerr != nil {
		hs.fail(lerr)
	}
	if err := hs.err(); err != nil {
		return nil, err
	}
	if err := hs.resolve(revs); err != nil {
		return nil, err
	}
	c.rep.Commits = hs.commits
	c.rep.RepositoryURI, c.rep.Revision = provenance(ctx, dir, top, h, revs)
	for p := range hs.binary {
		c.rep.Binary = append(c.rep.Binary, p)
	}
	return c.finish(start), nil
}

// revArgs returns the rev-list arguments for h.
func (h History) revArgs() ([]string, error) {
	if h.All {
		if strings.TrimSpace(h.Range) != "" {
			return nil, errors.New("secrets: history: All and a Range exclude each other")
		}
		return []string{"--all"}, nil
	}
	revs := strings.Fields(h.Range)
	if len(revs) == 0 {
		return []string{"HEAD"}, nil
	}
	for _, r := range revs {
		if strings.HasPrefix(r, "-") {
			return nil, fmt.Errorf("secrets: history: bad revision %q", r)
		}
	}
	return revs, nil
}

// repoTop returns the work tree's top directory, or for a bare repository
// its git directory.
func repoTop(ctx context.Context, dir string) (string, error) {
	out, err := gitOutput(ctx, dir, "rev-parse", "--is-bare-repository", "--absolute-git-dir")
	if err != nil {
		return "", err
	}
	f := strings.Fields(out)
	if len(f) == 2 && f[0] == "true" {
		return f[1], nil
	}
	top, err := gitOutput(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(top), nil
}

// histScan is the state of one ScanHistory call.
type histScan struct {
	c      *compiled
	dir    string
	top    string
	merges Merges
	ctx    context.Context
	cancel context.CancelCauseFunc

	mu      sync.Mutex
	first   error
	events  map[string][]histEvent // by commit id; only commits with findings
	binary  map[string]bool        // paths of binary blobs
	commits int
}

// A histEvent is a secret a commit adds to (delta 1, with its finding) or
// removes from (delta -1) a file, or the deletion of a file (deleted set,
// fp empty), which removes every secret in it. A path-only rule's finding
// is a fact about a file's presence, not its lines: its event has present
// set (and its finding), and makes the commit's tree carry the finding
// whatever its parent carried.
type histEvent struct {
	fp      string
	delta   int
	present bool
	f       *Finding
	deleted string // rel path of a deleted file
	topo    int    // position in topological order; set by resolve
}

func (hs *histScan) fail(err error) {
	hs.mu.Lock()
	if hs.first == nil {
		hs.first = err
	}
	hs.mu.Unlock()
	hs.cancel(err)
}

// err returns the first failure, or the cause of the caller's cancellation.
func (hs *histScan) err() error {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if hs.first != nil {
		if errors.Is(hs.first, context.Canceled) || errors.Is(hs.first, context.DeadlineExceeded) {
			return context.Cause(hs.ctx)
		}
		return hs.first
	}
	return context.Cause(hs.ctx)
}

// gitCmd starts git in the repository with the settings that keep its
// output in the shape the parsers read, whatever the user's configuration.
// The process is killed when ctx ends.
func (hs *histScan) gitCmd(stdin io.Reader, args ...string) (*exec.Cmd, io.ReadCloser, *capWriter, error) {
	cmd := exec.CommandContext(hs.ctx, "git", append([]string{"-C", hs.dir, "-c", "core.quotePath=false", "-c", "diff.suppressBlankEmpty=false"}, args...)...)
	cmd.Stdin = stdin
	stderr := &capWriter{max: 2000}
	cmd.Stderr = stderr
	cmd.WaitDelay = time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("secrets: git %s: %w", args[0], err)
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, fmt.Errorf("secrets: git %s: %w", args[0], err)
	}
	return cmd, out, stderr, nil
}

func (hs *histScan) wait(cmd *exec.Cmd, stderr *capWriter, what string) error {
	err := cmd.Wait()
	if hs.ctx.Err() != nil {
		return context.Cause(hs.ctx)
	}
	if err != nil {
		return fmt.Errorf("secrets: git %s: %w: %s", what, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// listCommits streams git rev-list into batches of commit ids. With
// MergesSkip, merge commits are counted but not diffed.
func (hs *histScan) listCommits(revs []string, batches chan<- []string) error {
	cmd, out, stderr, err := hs.gitCmd(nil, append([]string{"rev-list", "--parents"}, append(revs, "--")...)...)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(out, 64<<10)
	batch := make([]string, 0, histBatch)
	send := func() bool {
		select {
		case batches <- batch:
			batch = make([]string, 0, histBatch)
			return true
		case <-hs.ctx.Done():
			return false
		}
	}
	for {
		line, err := br.ReadString('\n')
		if f := strings.Fields(line); len(f) > 0 {
			hs.mu.Lock()
			hs.commits++
			hs.mu.Unlock()
			if len(f) <= 2 || hs.merges == MergesFirstParent {
				batch = append(batch, f[0])
				if len(batch) == histBatch && !send() {
					break
				}
			}
		}
		if err != nil {
			break
		}
	}
	if len(batch) > 0 && hs.ctx.Err() == nil {
		send()
	}
	io.Copy(io.Discard, out)
	return hs.wait(cmd, stderr, "rev-list")
}

// diffBatch runs one git diff-tree over a batch of commits and scans its
// patches.
func (hs *histScan) diffBatch(w *worker, batch []string) error {
	if hs.ctx.Err() != nil {
		return nil
	}
	args := []string{"diff-tree", "--stdin", "--root", "-r", "-p", "-U" + strconv.Itoa(diffContext), "--no-color", "--no-ext-diff",
		"--no-textconv", "--no-renames", "--irreversible-delete", "--src-prefix=a/", "--dst-prefix=b/",
		"--pretty=format:%x00%H%x00%an%x00%ae%x00%aI"}
	if hs.merges == MergesFirstParent {
		args = append(args, "--diff-merges=first-parent")
	}
	cmd, out, stderr, err := hs.gitCmd(strings.NewReader(strings.Join(batch, "\n")+"\n"), args...)
	if err != nil {
		return err
	}
	p := &patchParser{hs: hs, w: w}
	perr := p.parse(out)
	io.Copy(io.Discard, out)
	if err := hs.wait(cmd, stderr, "diff-tree"); err != nil {
		return err
	}
	return perr
}

// A capWriter keeps the first max bytes written to it.
type capWriter struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (c *capWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.b.Len(); room > 0 {
		c.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (c *capWriter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.String()
}

// commitMeta is the header diff-tree prints before each commit's patch.
type commitMeta struct {
	id, author, email, date string
}

// patchParser reads git diff-tree -p -U0 output with a NUL-led header per
// commit, and turns each commit's added and removed lines into events.
type patchParser struct {
	hs *histScan
	w  *worker

	meta       commitMeta
	events     []histEvent
	header     []byte // "a/path b/path" of the current diff --git line
	oldP, newP string // "" for /dev/null
	skip       bool   // the file matches Scanner.Exclude
	gone       bool   // the commit deletes the file
	inHunk     bool

	nw, old diffSide  // the current hunk's new and old sides
	adds    []Finding // findings of the file's added lines so far
}

func (p *patchParser) parse(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	for {
		line = line[:0]
		var err error
		for {
			var part []byte
			var isPrefix bool
			part, isPrefix, err = br.ReadLine()
			line = append(line, part...)
			if !isPrefix || err != nil {
				break
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("secrets: read git diff-tree: %w", err)
		}
		p.line(line)
	}
	p.endCommit()
	return nil
}

func (p *patchParser) line(l []byte) {
	switch {
	case len(l) > 0 && l[0] == 0:
		p.endCommit()
		f := strings.Split(string(l[1:]), "\x00")
		for len(f) < 4 {
			f = append(f, "")
		}
		p.meta = commitMeta{id: f[0], author: f[1], email: f[2], date: f[3]}
	case bytes.HasPrefix(l, []byte("diff --git ")):
		p.endFile()
		p.oldP, p.newP = "", ""
		p.header = append(p.header[:0], l[len("diff --git "):]...)
		p.skip, p.gone = false, false
		if ex := p.w.c.s.Exclude; len(ex) > 0 {
			if pth := headerPath(p.header); pth != "" && globMatch(ex, p.rel(pth)) {
				p.skip = true
				p.w.c.count(func(r *Report) { r.Excluded++ })
			}
		}
	case p.skip:
	case !p.inHunk && bytes.HasPrefix(l, []byte("deleted file mode ")):
		// --irreversible-delete prints no content for a deleted file: its
		// secrets leave with it.
		if pth := headerPath(p.header); pth != "" {
			p.events = append(p.events, histEvent{deleted: p.rel(pth)})
		}
		p.gone = true
	case !p.inHunk && bytes.HasPrefix(l, []byte("--- ")):
		p.oldP = diffPath(l[4:], "a/")
	case !p.inHunk && bytes.HasPrefix(l, []byte("+++ ")):
		p.newP = diffPath(l[4:], "b/")
	case !p.inHunk && bytes.HasPrefix(l, []byte("Binary files ")):
		if i := bytes.LastIndex(l, []byte(" and ")); i >= 0 {
			pth := diffPath(bytes.TrimSuffix(l[i+5:], []byte(" differ")), "b/")
			if pth == "" {
				pth = diffPath(l[len("Binary files "):i], "a/")
			}
			if pth != "" {
				p.hs.mu.Lock()
				p.hs.binary[p.rel(pth)] = true
				p.hs.mu.Unlock()
			}
		}
	case bytes.HasPrefix(l, []byte("@@ ")):
		p.flushHunk()
		p.inHunk = true
		p.old.reset(hunkOldStart(l))
		p.nw.reset(hunkStart(l))
	case p.inHunk && len(l) > 0 && l[0] == '+':
		p.nw.add(l[1:], true)
		if p.nw.full() {
			p.scanAdd()
			p.nw.carry()
		}
	case p.inHunk && len(l) > 0 && l[0] == '-':
		p.old.add(l[1:], true)
		if p.old.full() {
			p.scanDel()
			p.old.carry()
		}
	case p.inHunk && len(l) > 0 && l[0] == ' ':
		p.nw.add(l[1:], false)
		p.old.add(l[1:], false)
		if p.nw.full() || p.old.full() {
			p.scanAdd()
			p.scanDel()
			p.nw.carry()
			p.old.carry()
		}
	case p.inHunk && len(l) > 0 && l[0] == '\\':
	default:
		p.inHunk = false
	}
}

// headerPath returns the path of a "diff --git" header's "a/P b/P" (both
// halves are the same path, since renames are not detected).
func headerPath(h []byte) string {
	s := string(h)
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return ""
		}
		u, _ := strconv.Unquote(q)
		return strings.TrimPrefix(u, "a/")
	}
	if len(s) < 5 || (len(s)-5)%2 != 0 {
		return ""
	}
	return strings.TrimPrefix(s[:(len(s)-1)/2], "a/")
}

// diffPath returns the path of a ---/+++ or Binary line's file name, or ""
// for /dev/null.
func diffPath(b []byte, prefix string) string {
	s := unquoteGitPath(string(b))
	if s == "/dev/null" {
		return ""
	}
	return strings.TrimPrefix(s, prefix)
}

func (p *patchParser) rel(pth string) string {
	return p.w.c.rel(filepath.Join(p.hs.top, filepath.FromSlash(pth)))
}

// pathOnlyFile returns the path-only rules' findings for the file of the
// current "diff --git" header, once its extended header has been read: a
// file the commit adds, modifies or changes the mode of is in its tree and
// carries the path's finding; a deleted one no longer does (its deletion
// event removes it). The file's content plays no part, so this holds for
// the diffs git prints without "---" and "+++" lines: binary files, empty
// files and mode changes. The findings are valid until the worker's next
// scan.
func (p *patchParser) pathOnlyFile() []Finding {
	w := p.w
	w.out = w.out[:0]
	if len(p.header) == 0 || p.skip || p.gone || len(w.c.pathOnly) == 0 {
		return nil
	}
	pth := p.newP
	if pth == "" {
		pth = headerPath(p.header)
	}
	if pth == "" {
		return nil
	}
	w.pathOnly(source{rel: p.rel(pth), commit: p.meta.id})
	return w.out
}

func (p *patchParser) addEvent(f Finding) histEvent {
	f.Author, f.Email, f.Date = p.meta.author, p.meta.email, p.meta.date
	return histEvent{fp: f.Fingerprint, delta: 1, f: &f}
}

// scanAdd scans the new side of the current hunk. Its findings wait in
// p.adds for the file's other hunks: the lines a commit adds to a file
// are one fragment for composite rules, as in gitleaks and as a file is
// in a directory scan.
func (p *patchParser) scanAdd() {
	if p.nw.nChange > 0 && p.newP != "" {
		src := source{rel: p.rel(p.newP), commit: p.meta.id}
		p.adds = append(p.adds, p.w.scanSide(&p.nw, src)...)
	}
}

// scanDel scans the old side of the current hunk: each secret on a
// removed line leaves the file (one occurrence of it).
func (p *patchParser) scanDel() {
	if p.old.nChange > 0 && p.oldP != "" {
		src := source{rel: p.rel(p.oldP), commit: p.meta.id}
		for _, f := range p.w.scanSide(&p.old, src) {
			p.events = append(p.events, histEvent{fp: f.Fingerprint, delta: -1})
		}
	}
}

// flushHunk scans both sides of the current hunk and empties them.
func (p *patchParser) flushHunk() {
	p.scanAdd()
	p.scanDel()
	p.nw.reset(0)
	p.old.reset(0)
}

// endFile ends the current file's diff: its added lines' findings and its
// path-only findings are composed as one fragment (see
// [compiled.compose]) and become the commit's events. A file diff that
// is not a deletion or excluded counts in Report.Files, binary or not.
func (p *patchParser) endFile() {
	p.flushHunk()
	p.inHunk = false
	if len(p.header) > 0 && !p.skip && !p.gone {
		p.w.c.count(func(r *Report) { r.Files++ })
	}
	fs := append(p.adds, p.pathOnlyFile()...)
	for _, f := range p.w.c.compose(fs) {
		e := p.addEvent(f)
		if f.Line == 0 { // a path-only rule's: the file's presence
			e.delta, e.present = 0, true
		}
		p.events = append(p.events, e)
	}
	p.adds = fs[:0]
	p.w.out = p.w.out[:0]
	p.header = p.header[:0]
}

// endCommit hands the finished commit's events to the scan.
func (p *patchParser) endCommit() {
	p.endFile()
	if len(p.events) > 0 && p.meta.id != "" {
		p.hs.mu.Lock()
		p.hs.events[p.meta.id] = append(p.hs.events[p.meta.id], p.events...)
		p.hs.mu.Unlock()
	}
	p.events = nil
	p.w.out = p.w.out[:0]
}

// provenance returns the repository URI and the revision a history scan
// read, for reports (SARIF versionControlProvenance). It is best effort:
// a value git cannot give is left empty.
func provenance(ctx context.Context, dir, top string, h History, revs []string) (uri, rev string) {
	if out, err := gitOutput(ctx, dir, "config", "--get", "remote.origin.url"); err == nil {
		uri = remoteURI(strings.TrimSpace(out))
	}
	if uri == "" {
		uri = (&url.URL{Scheme: "file", Path: filepath.ToSlash(top)}).String()
		if !strings.HasPrefix(filepath.ToSlash(top), "/") {
			uri = (&url.URL{Scheme: "file", Path: "/" + filepath.ToSlash(top)}).String()
		}
	}
	if h.All {
		return uri, ""
	}
	tip := ""
	for _, r := range revs {
		if i := strings.LastIndex(r, ".."); i >= 0 {
			r = strings.TrimPrefix(r[i+2:], ".")
			if r == "" {
				r = "HEAD"
			}
		}
		if !strings.HasPrefix(r, "^") {
			tip = r
		}
	}
	if tip == "" {
		return uri, ""
	}
	if out, err := gitOutput(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", tip+"^{commit}"); err == nil {
		rev = strings.TrimSpace(out)
	}
	return uri, rev
}

// remoteURI turns a git remote URL into a URI without credentials:
// "https://user:token@host/x" gives "https://host/x", and the scp-like
// "git@host:org/repo.git" gives "ssh://host/org/repo.git". A remote that
// is neither gives "".
func remoteURI(remote string) string {
	if remote == "" {
		return ""
	}
	if u, err := url.Parse(remote); err == nil && u.Scheme != "" && u.Host != "" {
		u.User = nil
		u.RawQuery, u.Fragment = "", ""
		return u.String()
	}
	// scp-like syntax: [user@]host:path
	if i := strings.IndexByte(remote, ':'); i > 0 && !strings.Contains(remote[:i], "/") {
		host := remote[:i]
		if j := strings.LastIndexByte(host, '@'); j >= 0 {
			host = host[j+1:]
		}
		u := url.URL{Scheme: "ssh", Host: host, Path: "/" + strings.TrimPrefix(remote[i+1:], "/")}
		return u.String()
	}
	return ""
}
