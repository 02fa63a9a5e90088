package secrets

import (
	"bufio"
	"bytes"
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
// Deleted files and removed lines are not scanned. It runs the real git
// binary; a git failure is an error, never a clean report.
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
	// ("+++ i/path" for --cached) would otherwise change the paths parseDiff reads.
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "-c", "core.quotePath=false", "diff", "--no-color",
		"--no-ext-diff", "--no-textconv", "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", "-U0",
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

// parseDiff reads a unified diff with zero context and scans each run of
// added lines as a fragment whose lines map back to the new file's lines.
func (c *compiled) parseDiff(r io.Reader, top string) error {
	br := bufio.NewReaderSize(r, 64<<10)
	w := c.newWorker()
	w.hold = true // a file's added runs are one fragment: released per file
	var (
		file    string
		src     source
		frag    []byte
		lines   []int
		next    int // new-file line number of the next added line
		inHunk  bool
		files   = map[string]bool{} // counted in Report.Files
		paths   = map[string]bool{} // path-only rules applied
		lineBuf []byte
	)
	// pathOnly applies the path-only rules to a file in the diff, once. It
	// runs from the "diff --git" header, because git prints no "+++" line
	// for a binary or empty file or a mode change.
	pathOnly := func(p string) {
		if p == "" || paths[p] {
			return
		}
		paths[p] = true
		abs := filepath.Join(top, filepath.FromSlash(p))
		w.pathOnly(source{rel: c.rel(abs), critical: c.critical(abs)})
		c.mu.Lock()
		c.rep.Findings = append(c.rep.Findings, w.out...)
		c.mu.Unlock()
		w.out = w.out[:0]
	}
	flushFrag := func() {
		if len(frag) == 0 {
			return
		}
		src.lines = lines
		w.scanStream(bytes.NewReader(frag), src)
		frag, lines = frag[:0], nil
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
			flushFrag()
			w.release()
			inHunk = false
			file = ""
			pathOnly(headerPath(l[len("diff --git "):]))
		case !inHunk && bytes.HasPrefix(l, []byte("+++ ")):
			flushFrag()
			p := unquoteGitPath(string(l[4:]))
			p = strings.TrimPrefix(p, "b/")
			file = p
			abs := filepath.Join(top, filepath.FromSlash(p))
			src = source{rel: c.rel(abs), critical: c.critical(abs)}
			if !files[file] {
				files[file] = true
				c.count(func(r *Report) { r.Files++ })
			}
			pathOnly(file)
		case !inHunk && bytes.HasPrefix(l, []byte("Binary files ")):
			if i := bytes.LastIndex(l, []byte(" and ")); i >= 0 {
				p := strings.TrimSuffix(string(l[i+5:]), " differ")
				p = strings.TrimPrefix(unquoteGitPath(p), "b/")
				rel := c.rel(filepath.Join(top, filepath.FromSlash(p)))
				c.count(func(r *Report) { r.Binary = append(r.Binary, rel) })
			}
		case bytes.HasPrefix(l, []byte("@@ ")):
			flushFrag()
			inHunk = true
			next = hunkStart(l)
		case inHunk && len(l) > 0 && l[0] == '+' && file != "":
			if len(lines) > 0 && lines[len(lines)-1] != next-1 {
				flushFrag()
			}
			frag = append(frag, l[1:]...)
			frag = append(frag, '\n')
			lines = append(lines, next)
			next++
			if len(frag) >= maxFragment {
				flushFrag()
			}
		case inHunk && len(l) > 0 && (l[0] == '-' || l[0] == '\\' || l[0] == ' '):
			if l[0] == ' ' {
				next++
			}
		default:
			inHunk = false
		}
	}
	flushFrag()
	w.release()
	return nil
}

// hunkStart returns c from "@@ -a,b +c,d @@".
func hunkStart(l []byte) int {
	i := bytes.Index(l, []byte(" +"))
	if i < 0 {
		return 1
	}
	rest := l[i+2:]
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
