package secrets

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ScanGit scans the lines added in a git revision range of the repository
// at dir, as a pull-request check does: revRange is passed to git diff as
// is ("base..head", or "base...head" for changes since the merge base).
// Deleted files and removed lines are not scanned. As in
// [Scanner.ScanHistory], the rules see a few unchanged lines around each
// change (a value's key) and report only what touches an added line, and
// Report.Files counts the file diffs read, binary ones included. It runs
// the real git binary; a git failure is an error, never a clean report.
func (s *Scanner) ScanGit(ctx context.Context, dir, revRange string) (*Report, error) {
	if revRange == "" || strings.HasPrefix(revRange, "-") {
		return nil, fmt.Errorf("secrets: bad revision range %q", revRange)
	}
	return s.scanDiff(ctx, dir, revRange)
}

// ScanStaged scans the lines added in the index (git diff --cached) of the
// repository at dir, for a pre-commit hook.
func (s *Scanner) ScanStaged(ctx context.Context, dir string) (*Report, error) {
	return s.scanDiff(ctx, dir, "--cached")
}

func (s *Scanner) scanDiff(ctx context.Context, dir, what string) (*Report, error) {
	start := time.Now()
	top, err := gitOutput(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	top = strings.TrimSpace(top)
	s2 := *s
	if s2.Root == "" {
		s2.Root = top
	}
	c, err := s2.compile()
	if err != nil {
		return nil, err
	}
	// The prefixes are explicit: a user's diff.noprefix or diff.mnemonicPrefix
	// ("+++ i/path" for --cached) would otherwise change the paths parseDiff
	// reads; and diff.suppressBlankEmpty would print an empty context line
	// as an empty line, which ends a hunk for the parser.
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "-c", "core.quotePath=false", "-c", "diff.suppressBlankEmpty=false", "diff", "--no-color",
		"--no-ext-diff", "--no-textconv", "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", "-U"+strconv.Itoa(diffContext),
		"--diff-filter=d", what, "--")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("secrets: git diff: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("secrets: git diff: %w", err)
	}
	perr := c.parseDiff(out, top)
	io.Copy(io.Discard, out)
	werr := cmd.Wait()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	if werr != nil {
		return nil, fmt.Errorf("secrets: git diff %s: %w: %s", what, werr, strings.TrimSpace(truncate(stderr.String(), 500)))
	}
	if perr != nil {
		return nil, perr
	}
	return c.finish(start), nil
}

func gitOutput(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return "", fmt.Errorf("secrets: git: %w", err)
		}
		return "", fmt.Errorf("secrets: git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// maxFragment bounds a run of added lines scanned at once; a longer run is
// scanned in pieces.
const maxFragment = 1 << 20

// parseDiff reads a unified diff with diffContext lines of context and
// scans each hunk's new side (see [diffSide]): a finding counts when it
// touches an added line. The findings on the lines a diff adds to a file
// and the file's path-only findings are one fragment for composite rules,
// as a file is in a directory scan. Each file diff but a deletion counts
// in Report.Files, binary or not.
func (c *compiled) parseDiff(r io.Reader, top string) error {
	br := bufio.NewReaderSize(r, 64<<10)
	w := c.newWorker()
	var (
		open    bool   // a file's diff is being read
		header  string // its path from the "diff --git" line
		file    string // its path from the "+++" line, if any
		src     source
		inHunk  bool
		nw      diffSide
		adds    []Finding
		lineBuf []byte
	)
	scanAdd := func() {
		if nw.nChange > 0 && file != "" {
			adds = append(adds, w.scanSide(&nw, src)...)
		}
	}
	endFile := func() {
		scanAdd()
		nw.reset(0)
		inHunk = false
		if !open {
			return
		}
		open = false
		c.count(func(r *Report) { r.Files++ })
		fs := adds
		// Path-only rules apply to every file in the diff: git prints no
		// "+++" line for a binary or empty file or a mode change.
		if p := cmp.Or(file, header); p != "" {
			abs := filepath.Join(top, filepath.FromSlash(p))
			w.out = w.out[:0]
			w.pathOnly(source{rel: c.rel(abs), critical: c.critical(abs)})
			fs = append(fs, w.out...)
			w.out = w.out[:0]
		}
		fs = c.compose(fs)
		c.mu.Lock()
		c.rep.Findings = append(c.rep.Findings, fs...)
		c.mu.Unlock()
		adds = adds[:0]
	}
	for {
		lineBuf = lineBuf[:0]
		var err error
		for {
			var part []byte
			var isPrefix bool
			part, isPrefix, err = br.ReadLine()
			lineBuf = append(lineBuf, part...)
			if !isPrefix || err != nil {
				break
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("secrets: read git diff: %w", err)
		}
		l := lineBuf
		switch {
		case bytes.HasPrefix(l, []byte("diff --git ")):
			endFile()
			open = true
			header = headerPath(l[len("diff --git "):])
			file = ""
		case !inHunk && bytes.HasPrefix(l, []byte("+++ ")):
			file = diffPath(l[4:], "b/")
			abs := filepath.Join(top, filepath.FromSlash(file))
			src = source{rel: c.rel(abs), critical: c.critical(abs)}
		case !inHunk && bytes.HasPrefix(l, []byte("Binary files ")):
			if i := bytes.LastIndex(l, []byte(" and ")); i >= 0 {
				if p := diffPath(bytes.TrimSuffix(l[i+5:], []byte(" differ")), "b/"); p != "" {
					rel := c.rel(filepath.Join(top, filepath.FromSlash(p)))
					c.count(func(r *Report) { r.Binary = append(r.Binary, rel) })
				}
			}
		case bytes.HasPrefix(l, []byte("@@ ")):
			scanAdd()
			inHunk = true
			nw.reset(hunkStart(l))
		case inHunk && len(l) > 0 && (l[0] == '+' || l[0] == ' '):
			nw.add(l[1:], l[0] == '+')
			if nw.full() {
				scanAdd()
				nw.carry()
			}
		case inHunk && len(l) > 0 && (l[0] == '-' || l[0] == '\\'):
		default:
			inHunk = false
		}
	}
	endFile()
	return nil
}

// hunkStart returns c from "@@ -a,b +c,d @@".
func hunkStart(l []byte) int { return hunkLine(l, " +") }

// hunkOldStart returns a from "@@ -a,b +c,d @@".
func hunkOldStart(l []byte) int { return hunkLine(l, " -") }

// hunkLine returns the line number after sep in a hunk header, 1 when the
// header has none.
func hunkLine(l []byte, sep string) int {
	i := bytes.Index(l, []byte(sep))
	if i < 0 {
		return 1
	}
	rest := l[i+len(sep):]
	e := 0
	for e < len(rest) && clsDigit[rest[e]] {
		e++
	}
	n, err := strconv.Atoi(string(rest[:e]))
	if err != nil {
		return 1
	}
	return n
}

// unquoteGitPath undoes git's C-style quoting of unusual path names.
func unquoteGitPath(p string) string {
	p = strings.TrimRight(p, "\t")
	if len(p) >= 2 && p[0] == '"' {
		if u, err := strconv.Unquote(p); err == nil {
			return u
		}
	}
	return p
}
