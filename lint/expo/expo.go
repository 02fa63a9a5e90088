package expo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/labelrules"
	"github.com/soakkit/soakkit/lint/internal/promrules"
)

// Name is the analyzer name of exposition findings.
const Name = "exposition"

// Rules lists the exposition rules with their default severities.
var Rules = func() []config.Rule {
	var rs []config.Rule
	for _, r := range promrules.Rules {
		r.ID = Name + "/" + r.ID
		rs = append(rs, r)
	}
	rs = append(rs, config.Rule{ID: Name + "/" + promrules.DuplicateSeries, Severity: config.SeverityError, Doc: "two series with the same labels"})
	names := make([]string, 0, len(labelrules.Defaults))
	for n := range labelrules.Defaults {
		if n != "cardinality-budget" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		rs = append(rs, config.Rule{ID: Name + "/" + n, Severity: labelrules.Defaults[n], Doc: "label rule " + n})
	}
	return append(rs,
		config.Rule{ID: Name + "/series", Severity: config.SeverityWarning, Doc: "more series than max_series_per_metric"},
		config.Rule{ID: Name + "/label-values", Severity: config.SeverityWarning, Doc: "more distinct label values than the cardinality hint"},
		config.Rule{ID: Name + "/value-shape", Severity: config.SeverityWarning, Doc: "label values that look unbounded"},
		config.Rule{ID: Name + "/empty-value", Severity: config.SeverityInfo, Doc: "empty label value"},
	)
}()

// A Finding is one problem in an exposition. Line is 0 when unknown.
type Finding struct {
	Line    int
	Metric  string
	Rule    string // "exposition/rule"
	Message string
}

// Format names the encoding of an exposition.
type Format string

// Formats.
const (
	Auto        Format = ""            // sniff: protobuf, OpenMetrics ("# EOF"), else text
	Text        Format = "text"        // text/plain; version=0.0.4
	OpenMetrics Format = "openmetrics" // application/openmetrics-text; version=1.0.0
	Protobuf    Format = "protobuf"    // delimited io.prometheus.client.MetricFamily
)

// FormatOf maps a Content-Type header value to a Format.
func FormatOf(contentType string) Format {
	h := http.Header{}
	h.Set("Content-Type", contentType)
	switch expfmt.ResponseFormat(h).FormatType() {
	case expfmt.TypeProtoDelim:
		return Protobuf
	case expfmt.TypeOpenMetrics:
		return OpenMetrics
	case expfmt.TypeTextPlain:
		return Text
	}
	return Auto
}

func sniff(data []byte) Format {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && !utf8Text(t[:min(len(t), 512)]) {
		return Protobuf
	}
	if bytes.HasSuffix(t, []byte("# EOF")) {
		return OpenMetrics
	}
	return Text
}

func utf8Text(b []byte) bool {
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			return false
		}
	}
	return true
}

// Decode parses an exposition into metric families, sorted by name.
func Decode(data []byte, f Format) ([]*dto.MetricFamily, error) {
	if f == Auto {
		f = sniff(data)
	}
	var ef expfmt.Format
	switch f {
	case Protobuf:
		return decodeProto(data)
	case OpenMetrics:
		ef = expfmt.FmtOpenMetrics_1_0_0
	default:
		ef = expfmt.NewFormat(expfmt.TypeTextPlain)
	}
	dec := expfmt.NewDecoder(bytes.NewReader(data), ef)
	var mfs []*dto.MetricFamily
	for {
		mf := &dto.MetricFamily{}
		err := dec.Decode(mf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("expo: %w", err)
		}
		mfs = append(mfs, mf)
	}
	slices.SortFunc(mfs, func(a, b *dto.MetricFamily) int { return strings.Compare(a.GetName(), b.GetName()) })
	return mfs, nil
}

// decodeProto decodes delimited protobuf. expfmt's decoder trusts the
// length prefix and allocates whatever it claims (a 7-byte input can ask for
// terabytes, found by FuzzCheck); here a length beyond the input is an error.
func decodeProto(data []byte) ([]*dto.MetricFamily, error) {
	var mfs []*dto.MetricFamily
	for off := 0; off < len(data); {
		n, k := protowire.ConsumeVarint(data[off:])
		if k < 0 {
			return nil, fmt.Errorf("expo: protobuf: bad length prefix at byte %d", off)
		}
		off += k
		if n > uint64(len(data)-off) {
			return nil, fmt.Errorf("expo: protobuf: message of %d bytes at byte %d exceeds the input", n, off)
		}
		mf := &dto.MetricFamily{}
		if err := proto.Unmarshal(data[off:off+int(n)], mf); err != nil {
			return nil, fmt.Errorf("expo: protobuf: %w", err)
		}
		off += int(n)
		if !model.UTF8Validation.IsValidMetricName(mf.GetName()) {
			return nil, fmt.Errorf("expo: protobuf: invalid metric name %q", mf.GetName())
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if !model.LabelValue(l.GetValue()).IsValid() || !model.UTF8Validation.IsValidLabelName(l.GetName()) {
					return nil, fmt.Errorf("expo: protobuf: invalid label %q=%q in %s", l.GetName(), l.GetValue(), mf.GetName())
				}
			}
		}
		mfs = append(mfs, mf)
	}
	slices.SortFunc(mfs, func(a, b *dto.MetricFamily) int { return strings.Compare(a.GetName(), b.GetName()) })
	return mfs, nil
}

// Check decodes and lints an exposition. An error means it could not be
// decoded.
func Check(data []byte, f Format, cfg *config.Config) ([]Finding, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	if f == Auto {
		f = sniff(data)
	}
	mfs, err := Decode(data, f)
	if err != nil {
		return nil, err
	}
	var lines map[string]int
	if f != Protobuf {
		lines = familyLines(data, mfs)
	}
	fs, err := CheckFamilies(mfs, cfg)
	if err != nil {
		return nil, err
	}
	for i := range fs {
		fs[i].Line = lines[fs[i].Metric]
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Line < fs[j].Line })
	return fs, nil
}

// CheckFamilies lints decoded families (e.g. from a Gatherer). Findings
// have no line.
func CheckFamilies(mfs []*dto.MetricFamily, cfg *config.Config) ([]Finding, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	var out []Finding
	add := func(metric, rule, msg string) {
		out = append(out, Finding{Metric: metric, Rule: Name + "/" + rule, Message: msg})
	}
	ps, err := promrules.Lint(mfs)
	if err != nil {
		return nil, fmt.Errorf("expo: promlint: %w", err)
	}
	for _, p := range ps {
		switch p.Rule {
		case promrules.LabelCamelCase, promrules.ReservedLabel:
			continue // reported by the label rules below, with the label named
		}
		add(p.Metric, p.Rule, fmt.Sprintf("metric %q: %s", p.Metric, p.Text))
	}
	for _, mf := range mfs {
		name := mf.GetName()
		for _, p := range promrules.Extra(cfg, name) {
			add(name, p.Rule, p.Text)
		}
		kind := strings.ToLower(mf.GetType().String())
		values := map[string]map[string]bool{}
		var order []string
		series := 0
		for _, m := range mf.Metric {
			switch mf.GetType() {
			case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
				series += len(m.GetHistogram().GetBucket()) + 2
			case dto.MetricType_SUMMARY:
				series += len(m.GetSummary().GetQuantile()) + 2
			default:
				series++
			}
			for _, lp := range m.Label {
				n := lp.GetName()
				if values[n] == nil {
					values[n] = map[string]bool{}
					order = append(order, n)
				}
				values[n][lp.GetValue()] = true
			}
		}
		sort.Strings(order)
		for _, p := range labelrules.Set(cfg, labelrules.Metric{Name: name, Kind: kind, Info: kind != "counter" && labelrules.IsInfo(name), Buckets: -1}, order, 0) {
			if p.Rule == "cardinality-budget" {
				continue // measured below instead of estimated
			}
			add(name, p.Rule, p.Msg)
		}
		if max := cfg.Exposition.MaxSeriesPerMetric; max > 0 && series > max {
			add(name, "series", fmt.Sprintf("metric %q has %d series, more than max_series_per_metric %d", name, series, max))
		}
		for _, l := range order {
			vals := values[l]
			if hint, ok := cfg.Metrics.Labels.Cardinality[l]; ok && len(vals) > hint {
				add(name, "label-values", fmt.Sprintf("label %q of metric %q has %d distinct values, more than its cardinality hint %d", l, name, len(vals), hint))
			}
			sorted := make([]string, 0, len(vals))
			for v := range vals {
				sorted = append(sorted, v)
			}
			sort.Strings(sorted)
			for _, v := range sorted {
				if v == "" {
					add(name, "empty-value", fmt.Sprintf("label %q of metric %q has an empty value (the same as no label)", l, name))
					break
				}
			}
			info := kind != "counter" && labelrules.IsInfo(name)
			for _, v := range sorted {
				if info {
					break // one series per process whatever the values
				}
				if shape := Shape(v, cfg.Exposition.MaxValueLength); shape != "" {
					add(name, "value-shape", fmt.Sprintf("label %q of metric %q has values that look unbounded (%s, e.g. %q)", l, name, shape, v))
					break
				}
			}
		}
	}
	return out, nil
}

var shapes = []struct {
	name string
	re   *regexp.Regexp
}{
	{"UUID", regexp.MustCompile(`(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`)},
	{"long hex id", regexp.MustCompile(`(?i)^(0x)?[0-9a-f]{16,}$`)},
	{"numeric id", regexp.MustCompile(`^\d{6,}$`)},
	{"IP address", regexp.MustCompile(`^(\d{1,3}\.){3}\d{1,3}(:\d+)?$|^\[?[0-9a-fA-F:]*:[0-9a-fA-F:]+\]?(:\d+)?$`)},
	{"e-mail address", regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$`)},
	{"URL", regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://`)},
	{"path", regexp.MustCompile(`^/[^/\s]+/[^\s]*$`)},
}

// Shape names the unbounded shape a label value has, or returns "".
func Shape(v string, maxLen int) string {
	for _, s := range shapes {
		if s.re.MatchString(v) {
			return s.name
		}
	}
	if maxLen > 0 && len(v) > maxLen {
		return fmt.Sprintf("longer than %d bytes", maxLen)
	}
	return ""
}

// familyLines finds, for each family, the first line that belongs to it.
func familyLines(data []byte, mfs []*dto.MetricFamily) map[string]int {
	fams := map[string]bool{}
	for _, mf := range mfs {
		fams[mf.GetName()] = true
	}
	family := func(sample string) string {
		if fams[sample] {
			return sample
		}
		for _, suf := range []string{"_bucket", "_count", "_sum", "_total", "_created", "_info", "_gsum", "_gcount"} {
			if b, ok := strings.CutSuffix(sample, suf); ok && fams[b] {
				return b
			}
		}
		return sample
	}
	lines := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		var name string
		switch {
		case strings.HasPrefix(l, "# HELP ") || strings.HasPrefix(l, "# TYPE ") || strings.HasPrefix(l, "# UNIT "):
			if f := strings.Fields(l); len(f) >= 3 {
				name = family(strings.Trim(f[2], `"`))
			}
		case l == "" || strings.HasPrefix(l, "#"):
			continue
		default:
			end := strings.IndexAny(l, "{ \t")
			if end < 0 {
				end = len(l)
			}
			name = family(l[:end])
		}
		if _, ok := lines[name]; !ok && name != "" {
			lines[name] = n
		}
	}
	return lines
}

// DefaultAccept is the Accept header [Fetch] sends unless told otherwise:
// the classic text format, whose counter naming promlint expects.
const DefaultAccept = "text/plain;version=0.0.4;q=1.0,*/*;q=0.1"

// Fetch GETs an exposition from url with the given Accept header ("" for
// [DefaultAccept]) and returns the body and its format. Bodies over 64 MiB
// are an error. Errors show url through [RedactURL].
func Fetch(ctx context.Context, client *http.Client, url, accept string) ([]byte, Format, error) {
	shown := RedactURL(url)
	if client == nil {
		client = http.DefaultClient
	}
	if accept == "" {
		accept = DefaultAccept
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", fmt.Errorf("expo: GET %s: bad URL", shown) // the parse error would quote the URL whole
	}
	req.Header.Set("Accept", accept)
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("expo: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("expo: GET %s: %s", shown, resp.Status)
	}
	const limit = 64 << 20
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, "", fmt.Errorf("expo: GET %s: %w", shown, err)
	}
	if len(data) > limit {
		return nil, "", fmt.Errorf("expo: GET %s: body larger than 64 MiB", shown)
	}
	f := FormatOf(resp.Header.Get("Content-Type"))
	return data, f, nil
}

// RedactURL returns rawURL with its user information (user name and
// password, either of which may be a credential) replaced by "****", for
// reports and errors. A URL that does not parse is returned as "(bad URL)".
func RedactURL(rawURL string) string {
	u, err := neturl.Parse(rawURL)
	if err != nil {
		return "(bad URL)"
	}
	if u.User == nil {
		return rawURL
	}
	u.User = nil
	s := u.String()
	if i := strings.Index(s, "://"); i >= 0 {
		return s[:i+3] + "****@" + s[i+3:]
	}
	return s
}
