package metriclabels

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/analysisutil"
	"github.com/soakkit/soakkit/lint/internal/labelrules"
	"github.com/soakkit/soakkit/lint/internal/promapi"
	"github.com/soakkit/soakkit/lint/internal/suppress"
)

// Name is the analyzer's name, the prefix of its rule IDs.
const Name = "metriclabels"

const doc = "check Prometheus metric label names and label use sites\n\n" +
	"Label names of client_golang metrics are checked against an allowlist, a denylist, per-metric rules " +
	"and the rules client_golang enforces at run time (reserved names, duplicates, WithLabelValues arity, " +
	"With keys)."

// Rules lists the analyzer's rules with their default severities.
var Rules = []config.Rule{
	{ID: Name + "/not-allowed", Severity: config.SeverityError, Doc: "label not in the allowlist"},
	{ID: Name + "/denied", Severity: config.SeverityError, Doc: "label in the denylist: unbounded values"},
	{ID: Name + "/unbounded-name", Severity: config.SeverityWarning, Doc: "label name that looks unbounded (ids, emails, IPs, UUIDs, URLs, paths, timestamps)"},
	{ID: Name + "/not-allowed-for-metric", Severity: config.SeverityError, Doc: "a per_metric rule forbids the label"},
	{ID: Name + "/required-for-metric", Severity: config.SeverityError, Doc: "a per_metric rule requires a missing label"},
	{ID: Name + "/reserved", Severity: config.SeverityError, Doc: "reserved label name"},
	{ID: Name + "/invalid-name", Severity: config.SeverityError, Doc: "invalid label name"},
	{ID: Name + "/case", Severity: config.SeverityWarning, Doc: "camelCase label name"},
	{ID: Name + "/duplicate", Severity: config.SeverityError, Doc: "duplicate label name"},
	{ID: Name + "/too-many", Severity: config.SeverityWarning, Doc: "more labels than max_labels_per_metric"},
	{ID: Name + "/cardinality-budget", Severity: config.SeverityWarning, Doc: "estimated series count over series_budget"},
	{ID: Name + "/arity", Severity: config.SeverityError, Doc: "wrong number of label values (panics)"},
	{ID: Name + "/undeclared", Severity: config.SeverityError, Doc: "label key not declared on the vector"},
	{ID: Name + "/missing", Severity: config.SeverityError, Doc: "declared label key missing"},
	{ID: Name + "/unverifiable", Severity: config.SeverityInfo, Doc: "label names or values not constant"},
	{ID: Name + "/unbounded-value", Severity: config.SeverityWarning, Doc: "label value from an unbounded source: err.Error(), URLs, paths, timestamps, UUIDs, addresses"},
	{ID: Name + "/formatted-value", Severity: config.SeverityOff, Doc: "label value formatted from a number or with fmt.Sprint* (opt-in)"},
}

// Analyzer reads its configuration from the -config flag (or
// $SOAKKIT_LINT_CONFIG), defaulting to [config.Default].
var Analyzer = newAnalyzer(nil)

// New returns an analyzer using cfg (defaults if nil). Like [Analyzer] it
// has a -config flag; when set, the file it names replaces cfg.
func New(cfg *config.Config) *analysis.Analyzer { return newAnalyzer(analysisutil.Fixed(cfg)) }

func newAnalyzer(src *analysisutil.ConfigSource) *analysis.Analyzer {
	return analysisutil.Wire(&analysis.Analyzer{
		Name:      Name,
		Doc:       doc,
		URL:       "https://pkg.go.dev/github.com/soakkit/soakkit/lint/metriclabels",
		Requires:  []*analysis.Analyzer{inspect.Analyzer},
		FactTypes: []analysis.Fact{new(VecFact)},
	}, src, run)
}

func defaults() map[string]config.Severity {
	m := map[string]config.Severity{}
	for _, r := range Rules {
		m[strings.TrimPrefix(r.ID, Name+"/")] = r.Severity
	}
	return m
}

var defaultSev = defaults()

// A VecFact records, on an exported package-level variable or struct field holding
// a metric vector or Desc, what the declaration said, so that use sites in
// other packages are checked too.
type VecFact struct {
	Metric string   // fully qualified name; "" if not constant
	Kind   string   // counter, gauge, histogram, summary, untyped
	Labels []string // variable labels still to be given (after currying)
	Known  bool     // the label list is complete
}

// AFact marks VecFact as an analysis fact.
func (*VecFact) AFact() {}

// String returns "vec(kind metric [labels])", the form analysistest and
// the -debug=f flag of a vet tool print facts in.
func (f *VecFact) String() string {
	return fmt.Sprintf("vec(%s %s [%s])", f.Kind, f.Metric, strings.Join(f.Labels, " "))
}

// vec is what is known about a vector or Desc held in an object.
type vec struct {
	m      *promapi.Metric
	labels []string // remaining variable labels (after currying)
	known  bool
}

type checker struct {
	pass *analysis.Pass
	cfg  *config.Config
	r    *promapi.Resolver
	rep  *analysisutil.Reporter
	vecs map[types.Object]*vec
	seen map[string]bool
}

func run(pass *analysis.Pass, cfg *config.Config) (any, error) {
	if pass.TypesInfo == nil {
		// A dependency loaded from export data (for facts): nothing to see.
		return &suppress.Result{}, nil
	}
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := &checker{
		pass: pass, cfg: cfg,
		r:    promapi.NewResolver(pass.TypesInfo, pass.Files),
		rep:  &analysisutil.Reporter{Pass: pass, Analyzer: Name, Cfg: cfg, Defaults: defaultSev},
		vecs: map[types.Object]*vec{},
		seen: map[string]bool{},
	}
	// Targets of assignments: call → object assigned.
	target := map[*ast.CallExpr]types.Object{}
	setTarget := func(lhs ast.Expr, rhs ast.Expr) {
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if !ok {
			return
		}
		var obj types.Object
		switch l := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			obj = pass.TypesInfo.ObjectOf(l)
		case *ast.SelectorExpr:
			obj = pass.TypesInfo.ObjectOf(l.Sel)
		}
		if obj != nil {
			target[call] = obj
		}
	}
	ins.Preorder([]ast.Node{(*ast.ValueSpec)(nil), (*ast.AssignStmt)(nil), (*ast.CompositeLit)(nil)}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.ValueSpec:
			if len(n.Values) == len(n.Names) {
				for i := range n.Names {
					setTarget(n.Names[i], n.Values[i])
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					setTarget(n.Lhs[i], n.Rhs[i])
				}
			}
		case *ast.CompositeLit:
			t := pass.TypesInfo.TypeOf(n)
			if t == nil {
				return
			}
			if _, ok := t.Underlying().(*types.Struct); !ok {
				return
			}
			for _, el := range n.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					setTarget(kv.Key, kv.Value)
				}
			}
		}
	})

	var uses []*ast.CallExpr
	ins.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
		call := n.(*ast.CallExpr)
		if m, ok := c.r.Constructor(call); ok {
			c.declaration(m)
			if obj := target[call]; obj != nil && m.Vec {
				c.vecs[obj] = &vec{m: m, labels: m.LabelNames(), known: m.LabelsKnown}
			}
			return
		}
		if key, _ := c.r.Callee(call); key != "" {
			uses = append(uses, call)
		}
	})
	// Curried vectors: x := v.MustCurryWith(Labels{…}). Iterate, as curries
	// may be chained.
	for changed := true; changed; {
		changed = false
		for _, call := range uses {
			obj := target[call]
			if obj == nil || c.vecs[obj] != nil {
				continue
			}
			key, _ := c.r.Callee(call)
			if !strings.HasSuffix(key, ".CurryWith") && !strings.HasSuffix(key, ".MustCurryWith") {
				continue
			}
			base := c.receiver(call)
			if base == nil || len(call.Args) != 1 {
				continue
			}
			keys, ok := c.r.LabelsKeys(call.Args[0])
			v := &vec{m: base.m, known: base.known && ok}
			for _, l := range base.labels {
				if !slices.ContainsFunc(keys, func(k promapi.Label) bool { return k.Name == l }) {
					v.labels = append(v.labels, l)
				}
			}
			c.vecs[obj] = v
			changed = true
		}
	}
	for _, call := range uses {
		c.use(call)
	}
	// Export what is known to importers.
	for obj, v := range c.vecs {
		if obj.Pkg() != pass.Pkg || !obj.Exported() {
			continue // only what importers can name
		}
		if vr, ok := obj.(*types.Var); !ok || !(vr.IsField() || obj.Parent() == pass.Pkg.Scope()) {
			continue
		}
		f := &VecFact{Kind: v.m.Kind, Labels: v.labels, Known: v.known}
		if v.m.NameKnown {
			f.Metric = v.m.Name
		}
		pass.ExportObjectFact(obj, f)
	}
	return c.rep.Result(), nil
}

func (c *checker) report(rule string, pos, end token.Pos, msg string) {
	c.reportFix(rule, pos, end, msg, nil)
}

func (c *checker) reportFix(rule string, pos, end token.Pos, msg string, fixes []analysis.SuggestedFix) {
	k := fmt.Sprintf("%d/%s/%s", pos, rule, msg)
	if c.seen[k] {
		return
	}
	c.seen[k] = true
	c.rep.ReportFix(rule, pos, end, msg, fixes)
}

// renameFix replaces a label written as a string literal.
func (c *checker) renameFix(l promapi.Label, to string) []analysis.SuggestedFix {
	if !c.isStringLit(l.Pos, l.End) {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   fmt.Sprintf("rename label to %q", to),
		TextEdits: []analysis.TextEdit{{Pos: l.Pos, End: l.End, NewText: []byte(strconv.Quote(to))}},
	}}
}

// isStringLit reports whether [pos, end) is exactly a string literal.
func (c *checker) isStringLit(pos, end token.Pos) bool {
	found := false
	for _, f := range c.pass.Files {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if found || n == nil || n.Pos() > pos || n.End() < end {
				return false
			}
			if lit, ok := n.(*ast.BasicLit); ok && lit.Pos() == pos && lit.End() == end && lit.Kind == token.STRING {
				found = true
			}
			return true
		})
	}
	return found
}

func (c *checker) declaration(m *promapi.Metric) {
	name := ""
	if m.NameKnown {
		name = m.Name
	}
	if !m.LabelsKnown {
		c.report("unverifiable", m.LabelsPos, m.LabelsPos, fmt.Sprintf("label names of %s are not constant; cannot verify (use a constant list or lint-ok)", shortFunc(m.Func)))
	}
	if !m.ConstKnown {
		c.report("unverifiable", m.Call.Pos(), m.Call.Pos(), fmt.Sprintf("const labels of %s are not constant; cannot verify", shortFunc(m.Func)))
	}
	all := m.AllLabels()
	var names []string
	for _, l := range all {
		names = append(names, l.Name)
	}
	buckets := m.Buckets
	if m.Kind == "summary" {
		buckets = m.Objectives
	}
	lm := labelrules.Metric{Name: name, Kind: m.Kind, Info: m.Info, Buckets: buckets}
	for _, p := range labelrules.Set(c.cfg, lm, names, len(m.ConstLabels)) {
		if p.Index >= 0 {
			l := all[p.Index]
			var fixes []analysis.SuggestedFix
			if p.Rule == "case" {
				fixes = c.renameFix(l, labelrules.SnakeCase(l.Name))
			}
			c.reportFix(p.Rule, l.Pos, l.End, p.Msg, fixes)
			continue
		}
		if !m.LabelsKnown && (p.Rule == "required-for-metric" || p.Rule == "cardinality-budget" || p.Rule == "too-many") {
			continue // the set is incomplete
		}
		c.report(p.Rule, m.LabelsPos, m.LabelsPos, p.Msg)
	}
}

func shortFunc(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// receiver returns the vector the method call is made on, if known.
func (c *checker) receiver(call *ast.CallExpr) *vec {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return c.vecOf(sel.X)
}

func (c *checker) vecOf(e ast.Expr) *vec {
	e = ast.Unparen(e)
	var obj types.Object
	switch x := e.(type) {
	case *ast.Ident:
		obj = c.pass.TypesInfo.Uses[x]
	case *ast.SelectorExpr:
		obj = c.pass.TypesInfo.Uses[x.Sel]
	case *ast.CallExpr:
		if m, ok := c.r.Constructor(x); ok && m.Vec {
			return &vec{m: m, labels: m.LabelNames(), known: m.LabelsKnown}
		}
	}
	if obj == nil {
		return nil
	}
	if v := c.vecs[obj]; v != nil {
		return v
	}
	var f VecFact
	if obj.Pkg() != nil && obj.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(obj, &f) {
		m := &promapi.Metric{Kind: f.Kind, Name: f.Metric, NameKnown: f.Metric != "", Vec: true}
		return &vec{m: m, labels: f.Labels, known: f.Known}
	}
	return nil
}

// use-site method kinds
var (
	arityMethods   = []string{"WithLabelValues", "GetMetricWithLabelValues", "DeleteLabelValues"}
	fullMapMethods = map[string]string{"With": "panics", "GetMetricWith": "returns an error", "Delete": "deletes nothing"}
	partialMethods = []string{"CurryWith", "MustCurryWith", "DeletePartialMatch"}
	// const metrics: index of the first label value
	constMetric = map[string]int{
		"prometheus.NewConstMetric": 3, "prometheus.MustNewConstMetric": 3,
		"prometheus.NewConstMetricWithCreatedTimestamp": 4, "prometheus.MustNewConstMetricWithCreatedTimestamp": 4,
		"prometheus.NewConstHistogram": 4, "prometheus.MustNewConstHistogram": 4,
		"prometheus.NewConstSummary": 4, "prometheus.MustNewConstSummary": 4,
	}
)

func (c *checker) use(call *ast.CallExpr) {
	key, _ := c.r.Callee(call)
	if idx, ok := constMetric[key]; ok {
		if len(call.Args) == 0 {
			return
		}
		v := c.vecOf(c.resolveExpr(call.Args[0]))
		if v == nil || !v.known {
			return
		}
		c.arity(call, shortFunc(key), v, idx)
		return
	}
	parts := strings.Split(key, ".")
	if len(parts) != 3 || parts[0] != "prometheus" || !isVecType(parts[1]) {
		return
	}
	method := parts[2]
	v := c.receiver(call)
	switch {
	case slices.Contains(arityMethods, method):
		if v != nil && v.known {
			c.arity(call, method, v, 0)
		}
	case fullMapMethods[method] != "" || slices.Contains(partialMethods, method):
		if len(call.Args) != 1 {
			return
		}
		keys, ok := c.r.LabelsKeys(call.Args[0])
		if !ok {
			if v != nil && v.known {
				c.report("unverifiable", call.Args[0].Pos(), call.Args[0].End(), fmt.Sprintf("%s: label keys are not constant; cannot verify", method))
			}
			return
		}
		if v == nil || !v.known {
			// Declared elsewhere: check the keys against the allowlist.
			for _, k := range keys {
				for _, p := range labelrules.Label(c.cfg, labelrules.Metric{Buckets: -1}, k.Name) {
					c.report(p.Rule, k.Pos, k.End, p.Msg)
				}
			}
			return
		}
		metric := "?"
		if v.m.NameKnown {
			metric = v.m.Name
		}
		for _, k := range keys {
			if !slices.Contains(v.labels, k.Name) {
				c.report("undeclared", k.Pos, k.End, fmt.Sprintf("%s: label %q is not declared on %q (declared: %s)", method, k.Name, metric, strings.Join(v.labels, ", ")))
			}
		}
		if lit, ok := ast.Unparen(c.r.Resolve(call.Args[0])).(*ast.CompositeLit); ok {
			for _, el := range lit.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if k, ok := c.r.StringValue(kv.Key); ok {
						c.unbounded(kv.Value, k, method)
					}
				}
			}
		}
		if consequence := fullMapMethods[method]; consequence != "" {
			for _, l := range v.labels {
				if !slices.ContainsFunc(keys, func(k promapi.Label) bool { return k.Name == l }) {
					c.report("missing", call.Args[0].Pos(), call.Args[0].End(), fmt.Sprintf("%s: missing label %q for %q (%s)", method, l, metric, consequence))
				}
			}
		}
	}
}

func (c *checker) resolveExpr(e ast.Expr) ast.Expr {
	if r := c.r.Resolve(e); r != nil {
		if _, ok := r.(*ast.CallExpr); ok {
			return r
		}
	}
	return e
}

func isVecType(t string) bool {
	switch t {
	case "CounterVec", "GaugeVec", "HistogramVec", "SummaryVec", "MetricVec":
		return true
	}
	return false
}

func (c *checker) arity(call *ast.CallExpr, method string, v *vec, first int) {
	metric := "?"
	if v.m.NameKnown {
		metric = v.m.Name
	}
	if call.Ellipsis.IsValid() {
		c.report("unverifiable", call.Ellipsis, call.Ellipsis, fmt.Sprintf("%s: label values are spread; arity cannot be verified for %q", method, metric))
		return
	}
	n := len(call.Args) - first
	if n < 0 {
		return
	}
	if n != len(v.labels) {
		c.report("arity", call.Lparen, call.Rparen+1, fmt.Sprintf("%s: %d values for %d labels [%s] of %q (%s: inconsistent label cardinality)", method, n, len(v.labels), strings.Join(v.labels, " "), metric, consequence(method)))
		return
	}
	for i, a := range call.Args[first:] {
		c.unbounded(a, v.labels[i], method)
	}
}

// consequence says what client_golang does on a label mismatch.
func consequence(method string) string {
	switch {
	case strings.HasPrefix(method, "Must") || method == "WithLabelValues" || method == "With":
		return "panics"
	case strings.HasPrefix(method, "Delete"):
		return "deletes nothing"
	}
	return "returns an error"
}

// unboundedSources are callees whose results are unbounded label values
// whatever the program: errors, URLs, timestamps, addresses.
var unboundedSources = map[string]bool{
	"(*net/url.URL).String": true, "(*net/url.URL).EscapedPath": true, "(*net/url.URL).RequestURI": true,
	"(time.Time).String": true, "(time.Time).Format": true,
	"(net.IP).String": true, "(net/netip.Addr).String": true, "(net/netip.AddrPort).String": true,
}

// unboundedFields are struct fields whose values are unbounded.
var unboundedFields = map[string]bool{
	"net/url.Path": true, "net/url.RawQuery": true, "net/url.RawPath": true,
	"net/http.RemoteAddr": true, "net/http.RequestURI": true,
}

// formattingSources are callees that format numbers or anything: bounded
// or not depending on the program (a CPU number is bounded, a request id
// is not), hence the opt-in rule formatted-value.
var formattingSources = map[string]bool{
	"strconv.Itoa": true, "strconv.FormatInt": true, "strconv.FormatUint": true, "strconv.FormatFloat": true, "strconv.Quote": true,
	"fmt.Sprint": true, "fmt.Sprintf": true, "fmt.Sprintln": true, "(time.Duration).String": true,
}

// unbounded reports a label value computed from a source with unbounded
// values (rule unbounded-value) or formatted from a number (opt-in rule
// formatted-value).
func (c *checker) unbounded(e ast.Expr, label, method string) {
	rule, what := "unbounded-value", ""
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn, _ := typeutil.Callee(c.pass.TypesInfo, x).(*types.Func)
		if fn == nil {
			return
		}
		full := fn.FullName()
		sig := fn.Type().(*types.Signature)
		switch {
		case unboundedSources[full]:
			what = types.ExprString(x.Fun) + "()"
		case formattingSources[full]:
			rule, what = "formatted-value", types.ExprString(x.Fun)+"()"
		case fn.Name() == "Error" && sig.Recv() != nil && sig.Params().Len() == 0 && types.Implements(sig.Recv().Type(), errorType):
			what = types.ExprString(x.Fun) + "()"
		case fn.Pkg() != nil && strings.Contains(strings.ToLower(fn.Pkg().Path()), "uuid"):
			what = types.ExprString(x.Fun) + "()"
		}
	case *ast.SelectorExpr:
		if v, ok := c.pass.TypesInfo.Uses[x.Sel].(*types.Var); ok && v.IsField() && v.Pkg() != nil && unboundedFields[v.Pkg().Path()+"."+v.Name()] {
			what = types.ExprString(x)
		}
	}
	if what == "" || !c.rep.Enabled(rule) {
		return
	}
	c.report(rule, e.Pos(), e.End(), fmt.Sprintf("%s: value of label %q comes from %s: unbounded; map it to a fixed set", method, label, what))
}

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
