package junit

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Reading limits. A report is read as a stream, so memory stays bounded
// whatever its size up to MaxReportBytes: text is kept only as a tail.
const (
	MaxReportBytes = 64 << 20 // default limit on one report file
	maxText        = 4 << 10  // tail kept of a case's output and of a failure text
	maxMessage     = 512      // prefix kept of a message attribute
	maxProperties  = 64       // properties kept per suite or case
	maxDepth       = 64       // element nesting accepted
)

// An Outcome is the result of one test case as a report states it.
type Outcome string

// The outcomes of a test case.
const (
	Passed  Outcome = "passed"
	Failed  Outcome = "failed"  // a failure element: an assertion failed
	Errored Outcome = "error"   // an error element: the test could not run to its end
	Skipped Outcome = "skipped" // a skipped element
)

// A Rerun is an earlier run of a test case that a runner retried: Surefire
// and nextest write flakyFailure/flakyError for runs of a test that passed
// in the end, rerunFailure/rerunError for reruns of one that kept failing.
type Rerun struct {
	Kind    string        // the element's name, e.g. "flakyFailure"
	Message string        // its message attribute, at most 512 bytes
	Time    time.Duration // its time attribute when given
}

// A Result is one test case read from a report.
type Result struct {
	Suite      string        // name of the innermost testsuite
	Classname  string        // classname attribute (module, class, package)
	Name       string        // name attribute
	File       string        // file attribute, when the runner writes one
	Line       int           // line of the report where the testcase start tag ends
	Outcome    Outcome       // final outcome
	Time       time.Duration // time attribute
	Message    string        // message of the failure, error or skipped element, at most 512 bytes
	Output     string        // tail (at most 4 KiB) of the failure text, system-out and system-err
	Reruns     []Rerun       // earlier runs, in document order
	Properties []Property    // at most 64
}

// ID returns the test's identity across reports: Classname, or Suite when
// there is none, then Name.
func (r Result) ID() (group, name string) {
	group = r.Classname
	if group == "" {
		group = r.Suite
	}
	return group, r.Name
}

// A ReadError reports a report that could not be read: malformed XML, a
// file over the size limit, or a structure that is not JUnit XML.
type ReadError struct {
	File string
	Line int // 1-based; 0 when unknown
	Err  error
}

func (e *ReadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// ErrTooLarge is wrapped by the ReadError of a report over the size limit.
var ErrTooLarge = errors.New("report too large")

// ReadFile reads the JUnit XML report at path (at most maxBytes; 0 means
// MaxReportBytes) and calls fn with each test case, in document order. An
// error from fn stops the read and is returned as is.
func ReadFile(path string, maxBytes int64, fn func(Result) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return Read(f, path, maxBytes, fn)
}

// Read reads a JUnit XML report from r; name is used in errors. See
// [ReadFile].
//
// The dialects read are those of pytest, jest-junit, Maven Surefire, cargo
// nextest, gotestsum and ctest: testsuites and testsuite at any depth (a
// bare testsuite or testcase root too), testcase with classname, name,
// file and time, failure, error and skipped, Surefire's and nextest's
// flakyFailure, flakyError, rerunFailure and rerunError, system-out and
// system-err (a tail), and a case's properties (a suite's are skipped). Unknown elements are
// skipped. Entities are not expanded: a DOCTYPE is ignored and a reference
// to an entity other than XML's five predefined ones is an error, so a
// report cannot pull in files or grow in memory.
func Read(r io.Reader, name string, maxBytes int64, fn func(Result) error) error {
	if maxBytes <= 0 {
		maxBytes = MaxReportBytes
	}
	lr := &limitReader{r: r, left: maxBytes}
	d := xml.NewDecoder(lr)
	d.Strict = true
	d.Entity = nil
	d.CharsetReader = nil
	p := &reader{d: d, name: name, fn: fn}
	err := p.run()
	if lr.over {
		line, _ := d.InputPos()
		return &ReadError{File: name, Line: line, Err: fmt.Errorf("%w: over %d bytes", ErrTooLarge, maxBytes)}
	}
	return err
}

type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(b []byte) (int, error) {
	if l.left <= 0 {
		// Read one more byte to tell "exactly at the limit" from "over".
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			l.over = true
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(b)) > l.left {
		b = b[:l.left]
	}
	n, err := l.r.Read(b)
	l.left -= int64(n)
	return n, err
}

type reader struct {
	d      *xml.Decoder
	name   string
	fn     func(Result) error
	suites []string // names of the enclosing testsuites
	cases  int
	root   bool // a root element was seen
}

func (p *reader) errorf(format string, args ...any) error {
	line, _ := p.d.InputPos()
	return &ReadError{File: p.name, Line: line, Err: fmt.Errorf(format, args...)}
}

// fnError marks an error returned by the callback, passed through as is.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

func (p *reader) token() (xml.Token, error) {
	tok, err := p.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, &ReadError{File: p.name, Line: se.Line, Err: errors.New(se.Msg)}
		}
		return nil, p.errorf("%v", err)
	}
	return tok, nil
}

func (p *reader) run() error {
	for {
		tok, err := p.token()
		if err == io.EOF {
			if !p.root {
				return &ReadError{File: p.name, Err: errors.New("no testsuites, testsuite or testcase element")}
			}
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if p.root {
			return p.errorf("more than one root element")
		}
		p.root = true
		switch se.Name.Local {
		case "testsuites", "testsuite", "testcase":
		default:
			return p.errorf("root element is <%s>, not testsuites, testsuite or testcase", se.Name.Local)
		}
		if err := p.element(se, 1); err != nil {
			var fe fnError
			if errors.As(err, &fe) {
				return fe.err
			}
			return err
		}
	}
}

// element reads the content of se, which has been read.
func (p *reader) element(se xml.StartElement, depth int) error {
	if depth > maxDepth {
		return p.errorf("elements nested deeper than %d", maxDepth)
	}
	switch se.Name.Local {
	case "testsuites":
		return p.children(depth)
	case "testsuite":
		p.suites = append(p.suites, attr(se, "name"))
		err := p.children(depth)
		p.suites = p.suites[:len(p.suites)-1]
		return err
	case "testcase":
		return p.testcase(se, depth)
	default:
		return p.skip()
	}
}

func (p *reader) children(depth int) error {
	for {
		tok, err := p.token()
		if err != nil {
			return p.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := p.element(t, depth+1); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// eof turns an end of input inside an element into a ReadError.
func (p *reader) eof(err error) error {
	if err == io.EOF {
		return p.errorf("unexpected end of file")
	}
	return err
}

// skip reads up to the end of the current element.
func (p *reader) skip() error {
	depth := 1
	for depth > 0 {
		tok, err := p.token()
		if err != nil {
			return p.eof(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return p.errorf("elements nested deeper than %d", maxDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

func (p *reader) testcase(se xml.StartElement, depth int) error {
	line, _ := p.d.InputPos()
	r := Result{
		Classname: attr(se, "classname"),
		Name:      attr(se, "name"),
		File:      attr(se, "file"),
		Line:      line,
		Outcome:   Passed,
	}
	if n := len(p.suites); n > 0 {
		r.Suite = p.suites[n-1]
	}
	if r.Name == "" {
		return p.errorf("testcase without a name")
	}
	// A time that is not a number (some runners write "" or "NaN") is
	// taken as unknown rather than failing the whole report.
	r.Time, _ = seconds(attr(se, "time"))
	var out tail
	for {
		tok, err := p.token()
		if err != nil {
			return p.eof(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			r.Output = out.String()
			p.cases++
			if err := p.fn(r); err != nil {
				return fnError{err}
			}
			return nil
		case xml.StartElement:
			if depth+1 > maxDepth {
				return p.errorf("elements nested deeper than %d", maxDepth)
			}
			switch k := t.Name.Local; k {
			case "failure", "error":
				o := Failed
				if k == "error" {
					o = Errored
				}
				// A second problem element never turns a failure back into an error.
				if r.Outcome != Failed {
					r.Outcome = o
				}
				if r.Message == "" {
					r.Message = clip(attr(t, "message"), maxMessage)
				}
				if err := p.text(&out); err != nil {
					return err
				}
			case "skipped":
				if r.Outcome == Passed {
					r.Outcome = Skipped
					r.Message = clip(attr(t, "message"), maxMessage)
				}
				if err := p.skip(); err != nil {
					return err
				}
			case "flakyFailure", "flakyError", "rerunFailure", "rerunError":
				rr := Rerun{Kind: k, Message: clip(attr(t, "message"), maxMessage)}
				rr.Time, _ = seconds(attr(t, "time"))
				r.Reruns = append(r.Reruns, rr)
				if err := p.text(&out); err != nil {
					return err
				}
			case "system-out", "system-err":
				if err := p.text(&out); err != nil {
					return err
				}
			case "properties":
				if err := p.properties(&r.Properties); err != nil {
					return err
				}
			default:
				if err := p.skip(); err != nil {
					return err
				}
			}
		}
	}
}

// text appends the character data of the current element, children
// included, to out.
func (p *reader) text(out *tail) error {
	if n := len(out.buf); n > 0 && out.buf[n-1] != '\n' {
		out.Write([]byte{'\n'})
	}
	depth := 1
	for depth > 0 {
		tok, err := p.token()
		if err != nil {
			return p.eof(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			out.Write(t)
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return p.errorf("elements nested deeper than %d", maxDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

func (p *reader) properties(props *[]Property) error {
	for {
		tok, err := p.token()
		if err != nil {
			return p.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "property" && len(*props) < maxProperties {
				*props = append(*props, Property{Name: clip(attr(t, "name"), maxMessage), Value: clip(attr(t, "value"), maxMessage)})
			}
			if err := p.skip(); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// seconds parses a time attribute: seconds as a decimal number, possibly
// with thousands separators ("1,234.5", as some Surefire versions write).
func seconds(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e9 {
		return 0, fmt.Errorf("%q is not a number of seconds", s)
	}
	return time.Duration(math.Round(v * 1e9)), nil
}

// clip returns s cut to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// tail keeps the last maxText bytes written to it.
type tail struct {
	buf []byte
	cut bool
}

func (t *tail) Write(b []byte) {
	if len(b) >= maxText {
		t.buf = append(t.buf[:0], b[len(b)-maxText:]...)
		t.cut = true
		return
	}
	if over := len(t.buf) + len(b) - maxText; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	t.buf = append(t.buf, b...)
}

func (t *tail) String() string {
	b := t.buf
	if t.cut {
		for len(b) > 0 && !utf8.RuneStart(b[0]) {
			b = b[1:]
		}
	}
	return strings.TrimSpace(string(b))
}
