package sarif

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
)

// Version and Schema identify the SARIF version written.
const (
	Version = "2.1.0"
	Schema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

// Levels of a result or rule.
const (
	LevelError   = "error"
	LevelWarning = "warning"
	LevelNote    = "note"
	LevelNone    = "none"
)

// A Rule describes one kind of result.
type Rule struct {
	ID          string   // stable rule id, e.g. "metriclabels/not-allowed"; required
	Name        string   // optional PascalCase name
	Short       string   // one-line description
	Full        string   // optional longer description
	HelpURI     string   // optional
	Level       string   // default level; default: LevelWarning
	Tags        []string // optional, e.g. "security"
	SecuritySev string   // optional "security-severity" property ("0.0"–"10.0")
}

// A Result is one finding.
type Result struct {
	RuleID    string
	Level     string // default: the rule's level
	Message   string
	Path      string // file path; made relative to the Builder's root and slash-separated
	Line, Col int    // 1-based; 0 means unknown
	EndLine   int    // optional
	EndCol    int    // optional
	Snippet   string // optional source text; must already be redacted where needed
	// Fingerprints go to partialFingerprints, e.g.
	// {"soakkitFingerprint/v1": "…"}. They must be stable across runs.
	Fingerprints map[string]string
	// Properties go to the result's property bag, e.g. the commit a secret
	// was found in. Values must already be redacted where needed.
	Properties map[string]any
}

// A VersionControl names the repository and revision a run analyzed
// (SARIF versionControlProvenance).
type VersionControl struct {
	RepositoryURI string // required by SARIF
	RevisionID    string // commit id; optional
	Branch        string // optional
}

// A Builder collects rules and results for one run. The zero Builder is not
// usable; call New.
type Builder struct {
	tool    driver
	root    string
	index   map[string]int
	results []result
	notes   []notification
	vcs     []vcs
}

// AddVersionControl records a repository and revision the run analyzed.
// An empty RepositoryURI is ignored, since SARIF requires one.
func (b *Builder) AddVersionControl(v VersionControl) {
	if v.RepositoryURI == "" {
		return
	}
	b.vcs = append(b.vcs, vcs{RepositoryURI: v.RepositoryURI, RevisionID: v.RevisionID, Branch: v.Branch})
}

// New returns a Builder for a tool. root, if not empty, is the directory that
// result paths are made relative to.
func New(toolName, version, infoURI, root string) *Builder {
	return &Builder{
		tool:  driver{Name: toolName, Version: version, InformationURI: infoURI, Rules: []rule{}},
		root:  root,
		index: map[string]int{},
	}
}

// AddRule registers a rule. Adding a rule id twice keeps the first.
func (b *Builder) AddRule(r Rule) {
	if _, ok := b.index[r.ID]; ok {
		return
	}
	level := r.Level
	if level == "" {
		level = LevelWarning
	}
	out := rule{
		ID:                   r.ID,
		Name:                 r.Name,
		ShortDescription:     &text{Text: orDefault(r.Short, r.ID)},
		HelpURI:              r.HelpURI,
		DefaultConfiguration: &config{Level: level},
	}
	if r.Full != "" {
		out.FullDescription = &text{Text: r.Full}
	}
	if len(r.Tags) > 0 || r.SecuritySev != "" {
		out.Properties = map[string]any{}
		if len(r.Tags) > 0 {
			out.Properties["tags"] = r.Tags
		}
		if r.SecuritySev != "" {
			out.Properties["security-severity"] = r.SecuritySev
		}
	}
	b.index[r.ID] = len(b.tool.Rules)
	b.tool.Rules = append(b.tool.Rules, out)
}

// Add records a result. A result whose rule was not registered gets a
// minimal rule entry so the log stays valid.
func (b *Builder) Add(r Result) {
	if _, ok := b.index[r.RuleID]; !ok {
		b.AddRule(Rule{ID: r.RuleID})
	}
	idx := b.index[r.RuleID]
	level := r.Level
	if level == "" {
		level = b.tool.Rules[idx].DefaultConfiguration.Level
	}
	res := result{
		RuleID:              r.RuleID,
		RuleIndex:           idx,
		Level:               level,
		Message:             text{Text: r.Message},
		PartialFingerprints: r.Fingerprints,
		Properties:          r.Properties,
	}
	if r.Path != "" {
		reg := &region{StartLine: r.Line, StartColumn: r.Col, EndLine: r.EndLine, EndColumn: r.EndCol}
		if r.Snippet != "" {
			reg.Snippet = &text{Text: r.Snippet}
		}
		if reg.StartLine == 0 {
			reg = nil
		}
		res.Locations = []location{{PhysicalLocation: physical{
			ArtifactLocation: artifact{URI: URI(b.root, r.Path), URIBaseID: "%SRCROOT%"},
			Region:           reg,
		}}}
	}
	b.results = append(b.results, res)
}

// AddError records a tool error (a file that could not be read, a bad
// config) as a notification; the invocation is then marked unsuccessful.
func (b *Builder) AddError(path, msg string) {
	n := notification{Level: LevelError, Message: text{Text: msg}}
	if path != "" {
		n.Locations = []location{{PhysicalLocation: physical{ArtifactLocation: artifact{URI: URI(b.root, path), URIBaseID: "%SRCROOT%"}}}}
	}
	b.notes = append(b.notes, n)
}

// Write writes the log as indented JSON. Results are sorted by path, line,
// column and rule so the output is stable.
func (b *Builder) Write(w io.Writer) error {
	results := append([]result(nil), b.results...)
	sort.SliceStable(results, func(i, j int) bool {
		ki, kj := sortKey(results[i]), sortKey(results[j])
		for n := range ki {
			if ki[n] != kj[n] {
				return ki[n] < kj[n]
			}
		}
		return false
	})
	if results == nil {
		results = []result{}
	}
	l := log{
		Schema:  Schema,
		Version: Version,
		Runs: []run{{
			Tool:    tool{Driver: b.tool},
			Results: results,
			Invocations: []invocation{{
				ExecutionSuccessful: len(b.notes) == 0,
				Notifications:       b.notes,
			}},
			ColumnKind:               "unicodeCodePoints",
			VersionControlProvenance: b.vcs,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}

// URI returns path as a relative, slash-separated, percent-encoded URI
// reference, relative to root when path lies under it.
func URI(root, path string) string {
	p := path
	if root != "" {
		if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		}
	}
	p = filepath.ToSlash(p)
	p = strings.TrimPrefix(p, "./")
	return (&url.URL{Path: p}).EscapedPath()
}

func sortKey(r result) [4]string {
	if len(r.Locations) == 0 {
		return [4]string{"", "", "", r.RuleID}
	}
	pl := r.Locations[0].PhysicalLocation
	line, col := "", ""
	if pl.Region != nil {
		line, col = pad(pl.Region.StartLine), pad(pl.Region.StartColumn)
	}
	return [4]string{pl.ArtifactLocation.URI, line, col, r.RuleID}
}

func pad(n int) string {
	s := strings.Repeat("0", 12) + itoa(n)
	return s[len(s)-12:]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

type log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []run  `json:"runs"`
}

type run struct {
	Tool        tool         `json:"tool"`
	Results     []result     `json:"results"`
	Invocations []invocation `json:"invocations"`
	ColumnKind  string       `json:"columnKind,omitempty"`

	VersionControlProvenance []vcs `json:"versionControlProvenance,omitempty"`
}

type vcs struct {
	RepositoryURI string `json:"repositoryUri"`
	RevisionID    string `json:"revisionId,omitempty"`
	Branch        string `json:"branch,omitempty"`
}

type tool struct {
	Driver driver `json:"driver"`
}

type driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []rule `json:"rules"`
}

type rule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     *text          `json:"shortDescription,omitempty"`
	FullDescription      *text          `json:"fullDescription,omitempty"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration *config        `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type config struct {
	Level string `json:"level"`
}

type text struct {
	Text string `json:"text"`
}

type result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             text              `json:"message"`
	Locations           []location        `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type location struct {
	PhysicalLocation physical `json:"physicalLocation"`
}

type physical struct {
	ArtifactLocation artifact `json:"artifactLocation"`
	Region           *region  `json:"region,omitempty"`
}

type artifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type region struct {
	StartLine   int   `json:"startLine,omitempty"`
	StartColumn int   `json:"startColumn,omitempty"`
	EndLine     int   `json:"endLine,omitempty"`
	EndColumn   int   `json:"endColumn,omitempty"`
	Snippet     *text `json:"snippet,omitempty"`
}

type invocation struct {
	ExecutionSuccessful bool           `json:"executionSuccessful"`
	Notifications       []notification `json:"toolExecutionNotifications,omitempty"`
}

type notification struct {
	Level     string     `json:"level"`
	Message   text       `json:"message"`
	Locations []location `json:"locations,omitempty"`
}
