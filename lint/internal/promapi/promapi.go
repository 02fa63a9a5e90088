package promapi

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// Package paths of client_golang.
const (
	PromPath     = "github.com/prometheus/client_golang/prometheus"
	PromautoPath = "github.com/prometheus/client_golang/prometheus/promauto"
)

// A Label is one label name found in source.
type Label struct {
	Name     string
	Pos, End token.Pos // the expression that produced the name
	Const    bool      // a const label (ConstLabels or NewDesc's constLabels)
}

// A Metric is a metric constructor call and what is known of it.
type Metric struct {
	Call        *ast.CallExpr
	Func        string // callee key, e.g. "prometheus.NewCounterVec", "promauto.Factory.NewGaugeVec"
	Kind        string // counter, gauge, histogram, summary, untyped (NewDesc)
	Vec         bool   // the result is a vector with variable labels
	Name        string // fully qualified name, if NameKnown
	NameKnown   bool
	NameTail    string    // the constant last part of the name (Name field, BuildFQName's name), if known
	Info        bool      // a gauge or Desc named *_info: a constant-1 info metric
	NamePos     token.Pos // where the name (or its last part) is written
	NameEnd     token.Pos
	Help        string
	HelpKnown   bool
	HelpSet     bool // a Help field or argument is present
	Labels      []Label
	LabelsKnown bool      // variable labels were all constant
	LabelsPos   token.Pos // the variable-labels expression, or the call
	ConstLabels []Label
	ConstKnown  bool
	Buckets     int // number of histogram buckets, -1 if unknown or default
	Objectives  int // number of summary objectives, -1 if unknown
}

// AllLabels returns the variable labels followed by the const labels.
func (m *Metric) AllLabels() []Label {
	out := append([]Label(nil), m.Labels...)
	return append(out, m.ConstLabels...)
}

// LabelNames returns the variable label names.
func (m *Metric) LabelNames() []string {
	var out []string
	for _, l := range m.Labels {
		out = append(out, l.Name)
	}
	return out
}

// FuncKey returns a short key for a client_golang function or method, or ""
// if fn is not part of prometheus or promauto. Keys look like
// "prometheus.NewCounterVec", "prometheus.v2.NewDesc",
// "promauto.Factory.NewCounterVec", "prometheus.CounterVec.WithLabelValues".
func FuncKey(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	var pkg string
	switch fn.Pkg().Path() {
	case PromPath:
		pkg = "prometheus"
	case PromautoPath:
		pkg = "promauto"
	default:
		return ""
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig != nil && sig.Recv() != nil {
		t := sig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return pkg + "." + n.Obj().Name() + "." + fn.Name()
		}
		return ""
	}
	return pkg + "." + fn.Name()
}

// ctor describes a constructor's argument layout.
type ctor struct {
	kind      string
	vec       bool
	opts      int // index of the opts argument, -1 if none
	labels    int // index of the label-names argument, -1 if none
	desc      bool
	vecOpts   bool // V2 *VecOpts carrying VariableLabels
	noLabels  bool // constructor without variable labels
	constDesc bool // NewDesc style: fqName, help, variableLabels, constLabels
}

var ctors = map[string]ctor{}

func init() {
	for _, k := range []struct{ name, kind string }{{"Counter", "counter"}, {"Gauge", "gauge"}, {"Histogram", "histogram"}, {"Summary", "summary"}} {
		for _, p := range []string{"prometheus.", "promauto.", "promauto.Factory."} {
			ctors[p+"New"+k.name+"Vec"] = ctor{kind: k.kind, vec: true, opts: 0, labels: 1}
			ctors[p+"New"+k.name] = ctor{kind: k.kind, opts: 0, labels: -1, noLabels: true}
		}
		ctors["prometheus.v2.New"+k.name+"Vec"] = ctor{kind: k.kind, vec: true, opts: 0, labels: -1, vecOpts: true}
	}
	for _, p := range []string{"prometheus.", "promauto.", "promauto.Factory."} {
		ctors[p+"NewCounterFunc"] = ctor{kind: "counter", opts: 0, labels: -1, noLabels: true}
		ctors[p+"NewGaugeFunc"] = ctor{kind: "gauge", opts: 0, labels: -1, noLabels: true}
		ctors[p+"NewUntypedFunc"] = ctor{kind: "untyped", opts: 0, labels: -1, noLabels: true}
	}
	ctors["prometheus.NewDesc"] = ctor{kind: "untyped", vec: true, opts: -1, labels: 2, constDesc: true}
	ctors["prometheus.v2.NewDesc"] = ctor{kind: "untyped", vec: true, opts: -1, labels: 2, constDesc: true}
}

// A Resolver finds the single defining expression of variables, so that
// opts and label lists held in variables can be evaluated.
type Resolver struct {
	Info *types.Info
	init map[types.Object]ast.Expr
	n    map[types.Object]int // number of assignments
}

// NewResolver indexes the assignments in files.
func NewResolver(info *types.Info, files []*ast.File) *Resolver {
	r := &Resolver{Info: info, init: map[types.Object]ast.Expr{}, n: map[types.Object]int{}}
	record := func(id *ast.Ident, e ast.Expr) {
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		if obj == nil {
			return
		}
		r.n[obj]++
		if e != nil {
			r.init[obj] = e
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					var e ast.Expr
					if len(n.Values) == len(n.Names) {
						e = n.Values[i]
					}
					if e != nil {
						record(id, e)
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					id, ok := ast.Unparen(lhs).(*ast.Ident)
					if !ok {
						continue
					}
					var e ast.Expr
					if len(n.Rhs) == len(n.Lhs) && (n.Tok == token.DEFINE || n.Tok == token.ASSIGN) {
						e = n.Rhs[i]
					}
					record(id, e)
					if e == nil {
						r.n[info.ObjectOf(id)] += 2 // op-assign or multi-value: unknown
					}
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND { // &x may be written through
					if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
						if obj := info.Uses[id]; obj != nil {
							r.n[obj] += 2
						}
					}
				}
			}
			return true
		})
	}
	return r
}

// Resolve returns the expression e stands for: e itself, or the single
// initializer of the variable e names. It returns nil for a variable
// assigned more than once.
func (r *Resolver) Resolve(e ast.Expr) ast.Expr {
	for range 8 {
		e = ast.Unparen(e)
		id, ok := e.(*ast.Ident)
		if !ok {
			return e
		}
		obj, ok := r.Info.Uses[id].(*types.Var)
		if !ok {
			return e
		}
		init := r.init[obj]
		if init == nil || r.n[obj] != 1 {
			return nil
		}
		e = init
	}
	return nil
}

// StringValue returns the constant string value of e: a constant
// expression, or prometheus.BuildFQName of constant strings.
func (r *Resolver) StringValue(e ast.Expr) (string, bool) {
	if tv, ok := r.Info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 3 && !call.Ellipsis.IsValid() {
		if key, _ := r.Callee(call); key == "prometheus.BuildFQName" {
			var parts [3]string
			for i, a := range call.Args {
				s, ok := r.StringValue(a)
				if !ok {
					return "", false
				}
				parts[i] = s
			}
			return BuildFQName(parts[0], parts[1], parts[2]), true
		}
	}
	return "", false
}

// Callee returns the client_golang key of the call's static callee.
func (r *Resolver) Callee(call *ast.CallExpr) (string, *types.Func) {
	fn, _ := typeutil.Callee(r.Info, call).(*types.Func)
	return FuncKey(fn), fn
}

// Constructor reports whether call constructs a client_golang metric or
// Desc and, if so, what can be evaluated of it.
func (r *Resolver) Constructor(call *ast.CallExpr) (*Metric, bool) {
	key, _ := r.Callee(call)
	c, ok := ctors[key]
	if !ok {
		return nil, false
	}
	m := &Metric{Call: call, Func: key, Kind: c.kind, Vec: c.vec, LabelsKnown: true, ConstKnown: true, Buckets: -1, Objectives: -1, LabelsPos: call.Pos()}
	if c.constDesc {
		if len(call.Args) < 4 {
			return m, true
		}
		m.NamePos, m.NameEnd = call.Args[0].Pos(), call.Args[0].End()
		m.Name, m.NameKnown = r.StringValue(call.Args[0])
		m.NameTail = m.Name
		if !m.NameKnown {
			m.NameTail = r.fqNameTail(call.Args[0])
		}
		m.setInfo()
		m.HelpSet = true
		m.Help, m.HelpKnown = r.StringValue(call.Args[1])
		m.LabelsPos = call.Args[2].Pos()
		m.Labels, m.LabelsKnown = r.labelList(call.Args[2])
		m.ConstLabels, m.ConstKnown = r.labelsMap(call.Args[3])
		return m, true
	}
	if c.opts >= 0 && c.opts < len(call.Args) {
		r.evalOpts(m, call.Args[c.opts], c.vecOpts)
	}
	if c.labels >= 0 && c.labels < len(call.Args) {
		m.LabelsPos = call.Args[c.labels].Pos()
		m.Labels, m.LabelsKnown = r.labelList(call.Args[c.labels])
	}
	m.setInfo()
	return m, true
}

// setInfo decides Info from the name, or from its last part when the
// namespace is not constant (a version collector's Namespace: program).
func (m *Metric) setInfo() {
	if m.Kind != "gauge" && m.Kind != "untyped" {
		return
	}
	name := m.NameTail
	if m.NameKnown {
		name = m.Name
	}
	m.Info = name == "info" || strings.HasSuffix(name, "_info")
}

// fqNameTail returns the constant name argument of a BuildFQName call, or "".
func (r *Resolver) fqNameTail(e ast.Expr) string {
	call, ok := ast.Unparen(r.Resolve(e)).(*ast.CallExpr)
	if !ok || len(call.Args) != 3 {
		return ""
	}
	if key, _ := r.Callee(call); key != "prometheus.BuildFQName" {
		return ""
	}
	s, _ := r.StringValue(call.Args[2])
	return s
}

func (r *Resolver) evalOpts(m *Metric, e ast.Expr, vecOpts bool) {
	lit := r.compositeLit(e)
	if lit == nil {
		m.NameKnown, m.HelpKnown, m.ConstKnown = false, false, false
		if vecOpts {
			m.LabelsKnown = false
		}
		return
	}
	var ns, sub, name string
	known := true
	nameSeen := false
	m.HelpKnown = true
	var walk func(lit *ast.CompositeLit)
	walk = func(lit *ast.CompositeLit) {
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				known = false // positional fields: give up on names
				continue
			}
			key, _ := kv.Key.(*ast.Ident)
			if key == nil {
				continue
			}
			switch key.Name {
			case "CounterOpts", "GaugeOpts", "HistogramOpts", "SummaryOpts":
				if inner := r.compositeLit(kv.Value); inner != nil {
					walk(inner)
				} else {
					known, m.HelpKnown, m.ConstKnown = false, false, false
				}
			case "Namespace", "Subsystem", "Name":
				s, ok := r.StringValue(kv.Value)
				if !ok {
					known = false
				}
				switch key.Name {
				case "Namespace":
					ns = s
				case "Subsystem":
					sub = s
				case "Name":
					name, nameSeen = s, true
					if ok {
						m.NameTail = s
					}
					m.NamePos, m.NameEnd = kv.Value.Pos(), kv.Value.End()
				}
			case "Help":
				m.HelpSet = true
				m.Help, m.HelpKnown = r.StringValue(kv.Value)
			case "ConstLabels":
				m.ConstLabels, m.ConstKnown = r.labelsMap(kv.Value)
			case "VariableLabels":
				m.LabelsPos = kv.Value.Pos()
				m.Labels, m.LabelsKnown = r.labelList(kv.Value)
			case "Buckets":
				m.Buckets = r.sliceLen(kv.Value)
			case "Objectives":
				m.Objectives = r.sliceLen(kv.Value)
			}
		}
	}
	walk(lit)
	if !nameSeen {
		m.NamePos, m.NameEnd = lit.Pos(), lit.Lbrace+1
	}
	m.NameKnown = known && nameSeen
	if m.NameKnown {
		m.Name = BuildFQName(ns, sub, name)
	}
	if !m.HelpSet {
		m.Help = ""
	}
}

// BuildFQName joins namespace, subsystem and name like client_golang.
func BuildFQName(namespace, subsystem, name string) string {
	if name == "" {
		return ""
	}
	var parts []string
	for _, p := range []string{namespace, subsystem, name} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "_")
}

func (r *Resolver) compositeLit(e ast.Expr) *ast.CompositeLit {
	e = r.Resolve(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, _ := e.(*ast.CompositeLit)
	return lit
}

func (r *Resolver) sliceLen(e ast.Expr) int {
	if lit := r.compositeLit(e); lit != nil {
		return len(lit.Elts)
	}
	return -1
}

// labelList evaluates a []string, UnconstrainedLabels or ConstrainedLabels
// expression; nil is the empty list.
func (r *Resolver) labelList(e ast.Expr) ([]Label, bool) {
	orig := e
	e = r.Resolve(e)
	if e == nil {
		return nil, false
	}
	if id, ok := e.(*ast.Ident); ok && r.Info.Uses[id] == types.Universe.Lookup("nil") {
		return nil, true
	}
	// Conversions: prometheus.UnconstrainedLabels(x).
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if tv, ok := r.Info.Types[call.Fun]; ok && tv.IsType() {
			return r.labelList(call.Args[0])
		}
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	_ = orig
	var out []Label
	known := true
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			el = kv.Value
		}
		// ConstrainedLabels elements are ConstrainedLabel literals.
		if cl, ok := el.(*ast.CompositeLit); ok {
			found := false
			for i, f := range cl.Elts {
				var v ast.Expr
				if kv, ok := f.(*ast.KeyValueExpr); ok {
					if k, _ := kv.Key.(*ast.Ident); k != nil && k.Name == "Name" {
						v = kv.Value
					}
				} else if i == 0 {
					v = f
				}
				if v != nil {
					if s, ok := r.StringValue(v); ok {
						out = append(out, Label{Name: s, Pos: v.Pos(), End: v.End()})
						found = true
					}
				}
			}
			if !found {
				known = false
			}
			continue
		}
		s, ok := r.StringValue(el)
		if !ok {
			known = false
			continue
		}
		out = append(out, Label{Name: s, Pos: el.Pos(), End: el.End()})
	}
	return out, known
}

// labelsMap evaluates the keys of a prometheus.Labels literal.
func (r *Resolver) labelsMap(e ast.Expr) ([]Label, bool) {
	e = r.Resolve(e)
	if e == nil {
		return nil, false
	}
	if id, ok := e.(*ast.Ident); ok && r.Info.Uses[id] == types.Universe.Lookup("nil") {
		return nil, true
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	var out []Label
	known := true
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			known = false
			continue
		}
		s, ok := r.StringValue(kv.Key)
		if !ok {
			known = false
			continue
		}
		out = append(out, Label{Name: s, Pos: kv.Key.Pos(), End: kv.Key.End(), Const: true})
	}
	return out, known
}

// LabelsKeys evaluates the keys of a Labels map expression at a use site.
func (r *Resolver) LabelsKeys(e ast.Expr) ([]Label, bool) { return r.labelsMap(e) }
