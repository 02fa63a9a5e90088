package secrets

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
)

// NewWriter returns a writer that redacts with the zero [Redactor] and
// writes to w. See [Redactor.NewWriter].
func NewWriter(w io.Writer) io.WriteCloser { return defaultRedactor.NewWriter(w) }

// NewWriter returns a writer that redacts what is written to it and passes
// the result to w. Its output is the same as [Redactor.Redact] of
// everything written, however the text is split across Write calls.
//
// Text is released line by line. A private key block is held until its END
// line, so a multi-line key is masked as a whole; a block longer than
// MaxHold is masked line by line up to its END line. A line longer than
// MaxHold is cut where no secret the rules find, and no key=value pair, can
// span the cut (looking MaxHold/2 bytes further ahead); a line with no such
// place, one long token, is masked whole, or, with RulesOnly, cut anyway
// (no rule matches inside a token-like run). Memory stays bounded by about
// 1.5 × MaxHold.
//
// Close flushes what is buffered; it does not close w. Write errors from w
// are returned and stick. A writer is not safe for concurrent use; give
// stdout and stderr a writer each.
func (r *Redactor) NewWriter(w io.Writer) io.WriteCloser {
	return &redactWriter{e: r.newEngine(), w: w}
}

type redactWriter struct {
	e      *engine
	w      io.Writer
	buf    []byte
	out    []byte
	err    error
	closed bool
}

var errClosed = errors.New("secrets: write to closed redacting writer")

// Write buffers p and writes out what can be redacted so far.
func (rw *redactWriter) Write(p []byte) (int, error) {
	if rw.closed {
		return 0, errClosed
	}
	if rw.err != nil {
		return 0, rw.err
	}
	n := len(p)
	for len(p) > 0 {
		room := rw.e.win + 4096 - len(rw.buf)
		if room <= 0 {
			room = 4096
		}
		k := min(len(p), room)
		rw.buf = append(rw.buf, p[:k]...)
		p = p[k:]
		if err := rw.drain(false); err != nil {
			rw.err = err
			return n - len(p), err
		}
	}
	return n, nil
}

// Close redacts and writes what is still buffered.
func (rw *redactWriter) Close() error {
	if rw.closed {
		return rw.err
	}
	rw.closed = true
	if rw.err != nil {
		return rw.err
	}
	rw.err = rw.drain(true)
	return rw.err
}

func (rw *redactWriter) drain(final bool) error {
	out, used := rw.e.process(rw.out[:0], rw.buf, final)
	k := copy(rw.buf, rw.buf[used:])
	rw.buf = rw.buf[:k]
	if cap(rw.buf) > 4*rw.e.win {
		rw.buf = slices.Clone(rw.buf)
	}
	rw.out = out[:0]
	if cap(rw.out) > 4*rw.e.win {
		rw.out = nil
	}
	if len(out) == 0 {
		return nil
	}
	_, err := rw.w.Write(out)
	return err
}

var (
	pemBegin = []byte("-----BEGIN ")
	pemKey   = []byte("PRIVATE KEY")
	pemEnd   = []byte("-----END ")
)

// An engine is the redaction state machine behind [Redactor.Redact] and
// the writer. Text is cut into units that are redacted independently:
// lines, private key blocks, and pieces of lines longer than max. Every
// cut is decided from bytes at most win past the start of the unit, so a
// writer that holds win bytes decides exactly as Redact does over the
// whole text; that is what makes their outputs equal.
type engine struct {
	r     *Redactor
	max   int // longest unit without a cut
	win   int // bytes examined to place a cut in a long line
	known knownSet

	inKey   bool // masking the lines of a key block longer than max
	keyLong bool // inside inKey: swallowing the rest of a line longer than max
	keyTail []byte
	inRun   bool // swallowing the rest of a token masked whole
}

func (r *Redactor) newEngine() *engine {
	m := r.MaxHold
	if m <= 0 {
		m = 64 << 10
	}
	m = max(m, 1024)
	return &engine{r: r, max: m, win: m + m/2}
}

// process appends to dst the redaction of the units of buf that are
// complete, and returns dst and how many bytes of buf it consumed. With
// final set, buf is the end of the text and is consumed entirely.
func (e *engine) process(dst, buf []byte, final bool) ([]byte, int) {
	pos := 0
	for pos < len(buf) {
		switch {
		case e.inRun:
			pos = run(buf, pos, cls64ish, len(buf)-pos)
			if pos < len(buf) {
				e.inRun = false
			}
			continue
		case e.keyLong:
			nl := bytes.IndexByte(buf[pos:], '\n')
			end := len(buf)
			if nl >= 0 {
				end = pos + nl
			}
			e.noteKeyText(buf[pos:end])
			if nl < 0 {
				pos = len(buf)
				continue
			}
			dst = append(dst, '\n')
			pos = end + 1
			e.keyLong = false
			e.endKeyLine()
			continue
		case e.inKey:
			nl := bytes.IndexByte(buf[pos:], '\n')
			switch {
			case nl >= 0 && nl+1 <= e.max:
				dst = append(dst, Mask+"\n"...)
				if bytes.Contains(buf[pos:pos+nl], pemEnd) {
					e.inKey = false
				}
				pos += nl + 1
			case len(buf)-pos > e.max || nl >= 0:
				// A line longer than max: mask it and swallow the rest.
				dst = append(dst, Mask...)
				e.keyTail = e.keyTail[:0]
				e.noteKeyText(buf[pos : pos+e.max])
				pos += e.max
				e.keyLong = true
			case final:
				dst = append(dst, Mask...)
				pos = len(buf)
			default:
				return dst, pos
			}
			continue
		}
		// Whole lines up to the first long line or open key block.
		end := pos
		long, key := false, false
		if nl := bytes.LastIndexByte(buf[pos:], '\n'); nl >= 0 {
			end = pos + nl + 1
			if end-pos > e.max {
				for ls := pos; ls < end; {
					le := ls + bytes.IndexByte(buf[ls:end], '\n') + 1
					if le-ls > e.max {
						end, long = ls, true
						break
					}
					ls = le
				}
			}
			if k := openKeyBegin(buf[pos:end]); k >= 0 {
				end, long, key = pos+k, false, true
			}
		}
		if end > pos {
			dst = e.redactBatch(dst, buf[pos:end])
			pos = end
			continue
		}
		if key {
			u, ok, wait := e.keyBlock(buf, pos, final)
			switch {
			case ok:
				dst = e.redactBatch(dst, buf[pos:u])
				pos = u
			case wait:
				return dst, pos
			default:
				e.inKey = true
			}
			continue
		}
		le := len(buf)
		nl := bytes.IndexByte(buf[pos:], '\n')
		if nl >= 0 {
			le = pos + nl + 1
		}
		if !long && le-pos <= e.max {
			// The last, unterminated line.
			if !final {
				return dst, pos
			}
			dst = e.redactBatch(dst, buf[pos:])
			pos = len(buf)
			continue
		}
		we := min(le, pos+e.win)
		if nl < 0 && we-pos < e.win && !final {
			return dst, pos // wait for a full window
		}
		if p, ok := e.cut(buf[pos:we]); ok {
			dst = e.redactBatch(dst, buf[pos:pos+p])
			pos += p
			continue
		}
		dst = append(dst, Mask...)
		pos += e.max
		e.inRun = true
	}
	return dst, pos
}

// noteKeyText records swallowed text of an over-long key block line, to
// see an END marker in it even when it arrives in pieces.
func (e *engine) noteKeyText(p []byte) {
	e.keyTail = append(e.keyTail, p...)
	if bytes.Contains(e.keyTail, pemEnd) {
		e.keyTail = append(e.keyTail[:0], pemEnd...) // remembered until the line ends
		return
	}
	if n := len(pemEnd) - 1; len(e.keyTail) > n {
		e.keyTail = append(e.keyTail[:0], e.keyTail[len(e.keyTail)-n:]...)
	}
}

func (e *engine) endKeyLine() {
	if bytes.Equal(e.keyTail, pemEnd) {
		e.inKey = false
	}
	e.keyTail = e.keyTail[:0]
}

// openKeyBegin returns the start of the first line of b that begins a
// private key block and does not end it, or -1. b holds whole lines.
func openKeyBegin(b []byte) int {
	for from := 0; ; {
		i := bytes.Index(b[from:], pemBegin)
		if i < 0 {
			return -1
		}
		i += from
		ls := bytes.LastIndexByte(b[:i], '\n') + 1
		le := len(b)
		if nl := bytes.IndexByte(b[i:], '\n'); nl >= 0 {
			le = i + nl
		}
		line := b[i:le]
		if bytes.Contains(line[:min(len(line), 64)], pemKey) && !bytes.Contains(line, pemEnd) {
			return ls
		}
		from = le
	}
}

// keyBlock looks for the END line of the key block starting at u. ok: the
// block ends at end, within max bytes. wait: more text is needed to tell.
// Neither: the block is longer than max.
func (e *engine) keyBlock(buf []byte, u int, final bool) (end int, ok, wait bool) {
	ls := u + bytes.IndexByte(buf[u:], '\n') + 1 // the BEGIN line is whole
	for ls < len(buf) && ls-u <= e.max {
		le := len(buf)
		nl := bytes.IndexByte(buf[ls:], '\n')
		if nl >= 0 {
			le = ls + nl + 1
		} else if !final {
			break
		}
		if le-u > e.max {
			break
		}
		if bytes.Contains(buf[ls:le], pemEnd) {
			return le, true, false
		}
		ls = le
	}
	if len(buf)-u > e.max {
		return 0, false, false
	}
	if final {
		return len(buf), true, false
	}
	return 0, false, true
}

// cut returns where to cut the long line w (a window of it): the last
// space or tab at most max bytes in that no secret or key=value pair
// spans, or else the last such end of a token-like run in the second half,
// or else, with RulesOnly, the last such byte in the second half.
func (e *engine) cut(w []byte) (int, bool) {
	zones := e.zones(w)
	free := func(p int) bool {
		for len(zones) > 0 && zones[len(zones)-1].s >= p+2 {
			zones = zones[:len(zones)-1]
		}
		return len(zones) == 0 || zones[len(zones)-1].e+2 <= p
	}
	hi := min(e.max, len(w)-1)
	all := zones
	for p := hi; p > 0; p-- {
		if c := w[p-1]; (c == ' ' || c == '\t') && free(p) {
			return p, true
		}
	}
	zones = all
	for p := hi; p >= e.max/2; p-- {
		if !cls64ish[w[p-1]] && free(p) {
			return p, true
		}
	}
	if !e.r.RulesOnly {
		return 0, false // the aggressive mode masks a long run whole anyway
	}
	// One long run (a blob, a padded field): no rule matches inside a
	// token-like run, since every token needs a boundary, so cut it.
	zones = all
	for p := hi; p >= e.max/2; p-- {
		if free(p) {
			return p, true
		}
	}
	return hi, true
}

type interval struct{ s, e int }

// zones returns the spans of w that a cut must not split, sorted by start
// with overlapping spans merged.
func (e *engine) zones(w []byte) []interval {
	det := e.r.detector()
	sc := det.scratch.Get().(*scratch)
	defer det.scratch.Put(sc)
	sc.cands = sc.cands[:0]
	var zs []interval
	for _, c := range det.detect(w, sc, nil, 0) {
		zs = append(zs, interval{c.sp.start, c.sp.end})
	}
	ws := string(w)
	for _, v := range e.r.Values {
		zs = occurrences(zs, ws, v, 0, len(ws))
	}
	zs = e.known.occurrences(zs, ws, 0, len(ws))
	if !e.r.RulesOnly {
		for _, re := range []*regexp.Regexp{reKV, reOrderID, rePEM} {
			for _, m := range re.FindAllStringIndex(ws, -1) {
				zs = append(zs, interval{m[0], m[1]})
			}
		}
	}
	return mergeIntervals(zs)
}

func mergeIntervals(zs []interval) []interval {
	slices.SortFunc(zs, func(a, b interval) int { return a.s - b.s })
	out := zs[:0]
	for _, z := range zs {
		if n := len(out); n > 0 && z.s <= out[n-1].e {
			out[n-1].e = max(out[n-1].e, z.e)
			continue
		}
		out = append(out, z)
	}
	return out
}

// occurrences appends the non-overlapping occurrences of v in s[from:to].
func occurrences(dst []interval, s, v string, from, to int) []interval {
	if len(v) < 4 {
		return dst
	}
	for from < to {
		i := strings.Index(s[from:to], v)
		if i < 0 {
			break
		}
		dst = append(dst, interval{from + i, from + i + len(v)})
		from += i + len(v)
	}
	return dst
}

// allOccurrences appends every occurrence of v in s[from:to], overlapping
// ones included, as [knownSet.occurrences] finds them.
func allOccurrences(dst []interval, s, v string, from, to int) []interval {
	for from < to {
		i := strings.Index(s[from:to], v)
		if i < 0 {
			break
		}
		dst = append(dst, interval{from + i, from + i + len(v)})
		from += i + 1
	}
	return dst
}

// A knownSet holds secrets found earlier in the text, masked wherever they
// recur later. It is bounded: secrets found after it is full are masked
// only on their own line. Lookups go through a bit set of hashed 4-byte
// prefixes, so scanning a text for all of them costs one probe per byte.
type knownSet struct {
	list  []string
	bits  []uint64            // 1<<16 bits, by prefix hash; nil while empty
	byPfx map[uint32][]string // secrets by their first 4 bytes
}

const maxKnown = 64

func (k *knownSet) has(s string) bool { return slices.Contains(k.list, s) }

func pfx4(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

func pfxHash(p uint32) uint32 { return (p * 2654435761) >> 16 }

// add records s, which is longer than 4 bytes, and reports whether there
// was room.
func (k *knownSet) add(s string) bool {
	if len(k.list) >= maxKnown {
		return false
	}
	if k.bits == nil {
		k.bits = make([]uint64, 1<<16/64)
		k.byPfx = map[uint32][]string{}
	}
	k.list = append(k.list, s)
	p := pfx4(s)
	h := pfxHash(p)
	k.bits[h/64] |= 1 << (h % 64)
	k.byPfx[p] = append(k.byPfx[p], s)
	return true
}

// occurrences appends every occurrence of a known secret in s[from:to].
func (k *knownSet) occurrences(dst []interval, s string, from, to int) []interval {
	if len(k.list) == 0 {
		return dst
	}
	if to-from < 4 {
		return dst
	}
	p := uint32(s[from])<<8 | uint32(s[from+1])<<16 | uint32(s[from+2])<<24
	for i := from; i+4 <= to; i++ {
		p = p>>8 | uint32(s[i+3])<<24 // s[i:i+4], little-endian, as pfx4
		h := pfxHash(p)
		if k.bits[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		for _, sec := range k.byPfx[p] {
			if i+len(sec) <= to && s[i:i+len(sec)] == sec {
				dst = append(dst, interval{i, i + len(sec)})
			}
		}
	}
	return dst
}

// redactBatch appends the redaction of b, which holds whole units, to dst.
func (e *engine) redactBatch(dst, b []byte) []byte {
	det := e.r.detector()
	sc := det.scratch.Get().(*scratch)
	sc.cands = sc.cands[:0]
	cands := det.detect(b, sc, nil, 0)
	var ivs []interval
	var s string
	if len(cands) > 0 || len(e.r.Values) > 0 || len(e.known.list) > 0 {
		s = string(b)
		for _, c := range cands {
			ivs = append(ivs, interval{c.sp.sStart, c.sp.sEnd})
		}
		for _, v := range e.r.Values {
			ivs = occurrences(ivs, s, v, 0, len(s))
		}
		ivs = e.known.occurrences(ivs, s, 0, len(s))
		slices.SortStableFunc(cands, func(x, y raw) int { return x.sp.start - y.sp.start })
		for _, c := range cands {
			secs := [2]string{s[c.sp.sStart:c.sp.sEnd], c.secret}
			for _, sec := range secs {
				if len(sec) <= len(Mask) || len(sec) > 256 || strings.IndexByte(sec, '\n') >= 0 || e.known.has(sec) {
					continue
				}
				ls := strings.LastIndexByte(s[:c.sp.start], '\n') + 1
				le := len(s)
				if !e.known.add(sec) {
					if nl := strings.IndexByte(s[c.sp.start:], '\n'); nl >= 0 {
						le = c.sp.start + nl
					}
				}
				ivs = allOccurrences(ivs, s, sec, ls, le)
			}
		}
	}
	det.scratch.Put(sc)
	if len(ivs) == 0 && e.r.RulesOnly {
		return append(dst, b...)
	}
	start := len(dst)
	dst = appendMasked(dst, b, mergeIntervals(ivs))
	if !e.r.RulesOnly {
		out := redactOriginal(string(dst[start:]))
		dst = append(dst[:start], out...)
	}
	return dst
}

// appendMasked appends b with every interval replaced by Mask.
func appendMasked(dst, b []byte, ivs []interval) []byte {
	pos := 0
	for _, v := range ivs {
		if v.e <= pos {
			continue
		}
		dst = append(dst, b[pos:max(pos, v.s)]...)
		dst = append(dst, Mask...)
		pos = v.e
	}
	return append(dst, b[pos:]...)
}
