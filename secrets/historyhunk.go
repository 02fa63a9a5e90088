package secrets

import (
	"slices"
)

// Diff context.
//
// git diff -U0, which gitleaks' git mode reads, prints only the lines a
// commit changes, so a rule never sees the unchanged lines around them: a
// commit that edits only the value of a YAML block scalar, the text of an
// XML element on the line after its opening tag, or the body of a PEM key
// between its unchanged BEGIN and END lines, adds a line that holds no
// key, and gitleaks reports nothing. The history and diff scans ask git
// for diffContext unchanged lines around each change instead (-U) and run
// the rules over each hunk's whole side: the new file's lines for what a
// commit adds, the old file's for what it removes. A finding counts only
// when its match, without the whitespace around it, touches a line the
// commit changed on that side: a secret wholly on unchanged lines was
// there before the commit and is not the commit's (one finding per secret
// stays one, at the commit that introduced it), while a value whose key
// was renamed into a rule's reach is the commit's. The cost is the
// context's bytes: about a tenth more diff text on real histories.
//
// Context reaches diffContext lines: a key further above its changed
// value (a YAML block scalar's sixth line, one line of a long PEM body) is
// still not seen, as in gitleaks. The file at that commit is not read,
// which would cost a blob read per changed file.

// diffContext is how many unchanged lines git prints around each change.
// It covers a YAML block scalar's header with the blank lines allowed
// before its first line, an XML element's opening and closing tags, and a
// PEM header or footer line next to a changed body.
const diffContext = 5

// A diffSide is one side of a hunk being read: the new file's lines (the
// unchanged ones and those the commit adds) or the old file's (unchanged
// and removed). Lines are whole, each ending in '\n'.
type diffSide struct {
	b       []byte
	starts  []int  // offset in b of each line
	changed []bool // per line: added (new side) or removed (old side)
	nChange int    // changed lines in b
	first   int    // file line number of b's first line
	lines   []int  // scratch: file line number of each line, for source.lines
}

// reset starts a hunk whose first line is line first of the file.
func (d *diffSide) reset(first int) {
	d.b, d.starts, d.changed = d.b[:0], d.starts[:0], d.changed[:0]
	d.nChange = 0
	d.first = first
}

// add appends one line (without its '\n').
func (d *diffSide) add(l []byte, changed bool) {
	d.starts = append(d.starts, len(d.b))
	d.b = append(append(d.b, l...), '\n')
	d.changed = append(d.changed, changed)
	if changed {
		d.nChange++
	}
}

// full reports whether the side should be scanned before it grows further.
func (d *diffSide) full() bool { return len(d.b) >= maxFragment }

// carry keeps the side's last lines, up to diffContext of them and
// maxReach bytes, as unchanged context for the rest of an over-long hunk:
// they were scanned with the part before, where their findings counted.
func (d *diffSide) carry() {
	n := len(d.starts)
	k := n
	for k > 0 && n-k < diffContext && len(d.b)-d.starts[k-1] <= maxReach {
		k--
	}
	if k == n {
		d.reset(d.first + n)
		return
	}
	off := d.starts[k]
	first := d.first + k
	m := copy(d.b, d.b[off:])
	d.b = d.b[:m]
	m = copy(d.starts, d.starts[k:])
	d.starts = d.starts[:m]
	for i := range d.starts {
		d.starts[i] -= off
	}
	d.changed = d.changed[:copy(d.changed, d.changed[k:])]
	for i := range d.changed {
		d.changed[i] = false
	}
	d.nChange = 0
	d.first = first
}

// fileLines returns the file line number of each line of the side.
func (d *diffSide) fileLines() []int {
	d.lines = d.lines[:0]
	for i := range d.starts {
		d.lines = append(d.lines, d.first+i)
	}
	return d.lines
}

// touches reports whether sp's match, without the whitespace around it,
// lies on at least one changed line.
func (d *diffSide) touches(sp span) bool {
	s, e := sp.start, sp.end
	for s < e && isSpaceByte(d.b[s]) {
		s++
	}
	for e > s && isSpaceByte(d.b[e-1]) {
		e--
	}
	if e <= s {
		e = s + 1
	}
	i := d.lineOf(s)
	j := d.lineOf(e - 1)
	return slices.Contains(d.changed[i:j+1], true)
}

// lineOf returns the index of the line holding b[off].
func (d *diffSide) lineOf(off int) int {
	i, found := slices.BinarySearch(d.starts, off)
	if !found {
		i--
	}
	return max(i, 0)
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// scanSide runs the rules over a hunk side and returns the findings that
// touch a changed line (see [diffSide.touches]), located in the file. The
// findings are valid until the worker's next scan.
func (w *worker) scanSide(d *diffSide, src source) []Finding {
	c := w.c
	w.out = w.out[:0]
	if d.nChange == 0 || len(d.b) == 0 {
		return nil
	}
	cands := c.det.detect(d.b, w.sc, c.pathMask(src.rel), 0)
	w.sc.cands = w.sc.cands[:0]
	cands = slices.DeleteFunc(cands, func(r raw) bool { return !d.touches(r.sp) })
	src.lines = d.fileLines()
	w.locate(src, d.b, cands, len(d.b), 1, 0)
	c.count(func(r *Report) { r.Bytes += int64(len(d.b)) })
	return w.out
}
