package atomicwrite

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/analysisutil"
)

// Name is the analyzer's name.
const Name = "atomicwrite"

// Rules lists the analyzer's rules with their default severities.
var Rules = []config.Rule{
	{ID: Name + "/json-encoder-file", Severity: config.SeverityError, Doc: "json.NewEncoder writing straight to a file"},
	{ID: Name + "/json-writefile", Severity: config.SeverityError, Doc: "json.Marshal output written with os.WriteFile"},
	{ID: Name + "/json-file-write", Severity: config.SeverityError, Doc: "json.Marshal output written with (*os.File).Write"},
	{ID: Name + "/direct-write", Severity: config.SeverityError, Doc: "file created outside a sanctioned writer (mode all)"},
}

// Analyzer reads its configuration from -config or $SOAKKIT_LINT_CONFIG.
var Analyzer = newAnalyzer(nil)

// New returns an analyzer using cfg (defaults if nil). Like [Analyzer] it
// has a -config flag; when set, the file it names replaces cfg.
func New(cfg *config.Config) *analysis.Analyzer { return newAnalyzer(analysisutil.Fixed(cfg)) }

func newAnalyzer(src *analysisutil.ConfigSource) *analysis.Analyzer {
	return analysisutil.Wire(&analysis.Analyzer{
		Name:     Name,
		Doc:      "JSON files must be written atomically (temp file, Sync, Rename)\n\nFlags json.NewEncoder on *os.File and os.WriteFile/File.Write of json.Marshal output outside sanctioned atomic writers.",
		URL:      "https://pkg.go.dev/github.com/soakkit/soakkit/lint/atomicwrite",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
	}, src, run)
}

type checker struct {
	pass *analysis.Pass
	cfg  *config.Config
	rep  *analysisutil.Reporter
	defs map[types.Object]ast.Expr // single definition of a variable
	n    map[types.Object]int

	body   *ast.BlockStmt // function being checked; nil for package-level initializers
	inLoop bool           // the call being checked is inside a for or range statement
}

func run(pass *analysis.Pass, cfg *config.Config) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	sev := map[string]config.Severity{}
	for _, r := range Rules {
		sev[strings.TrimPrefix(r.ID, Name+"/")] = r.Severity
	}
	c := &checker{pass: pass, cfg: cfg,
		rep:  &analysisutil.Reporter{Pass: pass, Analyzer: Name, Cfg: cfg, Defaults: sev},
		defs: map[types.Object]ast.Expr{}, n: map[types.Object]int{}}
	c.index(ins)
	for _, f := range pass.Files {
		if c.excluded(f) {
			continue
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if c.sanctioned(fd) {
				continue
			}
			c.body = fd.Body
			ast.PreorderStack(fd.Body, nil, func(n ast.Node, stack []ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					c.inLoop = inLoop(stack)
					c.call(call)
				}
				return true
			})
		}
		c.body, c.inLoop = nil, false
		// Package-level initializers.
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				ast.Inspect(gd, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok {
						c.call(call)
					}
					return true
				})
			}
		}
	}
	return c.rep.Result(), nil
}

func (c *checker) excluded(f *ast.File) bool {
	name := filepath.ToSlash(c.pass.Fset.File(f.Pos()).Name())
	for _, pat := range c.cfg.AtomicWrite.Exclude {
		if ok, _ := doublestar.Match(pat, name); ok {
			return true
		}
		if ok, _ := doublestar.Match(pat, strings.TrimPrefix(name, "/")); ok {
			return true
		}
	}
	return false
}

// index records the single defining expression of local variables,
// including the first result of a multi-value call (f, err := os.Create(p)).
func (c *checker) index(ins *inspector.Inspector) {
	info := c.pass.TypesInfo
	rec := func(id *ast.Ident, e ast.Expr) {
		obj := info.ObjectOf(id)
		if obj == nil || id.Name == "_" {
			return
		}
		c.n[obj]++
		if e != nil {
			c.defs[obj] = e
		}
	}
	ins.Preorder([]ast.Node{(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok {
					continue
				}
				switch {
				case len(n.Rhs) == len(n.Lhs) && c.selfAppend(id, n.Rhs[i]):
					// x = append(x, …) keeps x's provenance.
				case len(n.Rhs) == len(n.Lhs):
					rec(id, n.Rhs[i])
				case i == 0 && len(n.Rhs) == 1:
					rec(id, n.Rhs[0])
				default:
					rec(id, nil)
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				switch {
				case len(n.Values) == len(n.Names):
					rec(id, n.Values[i])
				case i == 0 && len(n.Values) == 1:
					rec(id, n.Values[0])
				}
			}
		}
	})
}

// selfAppend reports whether e is append(id, …).
func (c *checker) selfAppend(id *ast.Ident, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	fn, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || fn.Name != "append" {
		return false
	}
	if _, ok := c.pass.TypesInfo.Uses[fn].(*types.Builtin); !ok {
		return false
	}
	arg, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	return ok && c.pass.TypesInfo.ObjectOf(arg) == c.pass.TypesInfo.ObjectOf(id)
}

// def returns the single definition of the variable e names, or nil.
func (c *checker) def(e ast.Expr) ast.Expr {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	obj, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || c.n[obj] != 1 {
		return nil
	}
	return c.defs[obj]
}

func (c *checker) callee(call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return ""
	}
	return fn.FullName()
}

// sanctioned reports whether fd is a configured sanctioned writer or an
// atomic writer by construction (it calls os.CreateTemp and os.Rename).
func (c *checker) sanctioned(fd *ast.FuncDecl) bool {
	if fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
		if slices.Contains(c.cfg.AtomicWrite.SanctionedGo, fn.FullName()) {
			return true
		}
	}
	temp, rename := false, false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			switch c.callee(call) {
			case "os.CreateTemp", "io/ioutil.TempFile":
				temp = true
			case "os.Rename", "(*os.Root).Rename":
				rename = true
			}
		}
		return !(temp && rename)
	})
	return temp && rename
}

func (c *checker) advice() string {
	if s := c.cfg.AtomicWrite.SanctionedGo; len(s) > 0 {
		return "use " + shortName(s[0])
	}
	return "write a temp file, Sync, Close and Rename it (or use a sanctioned writer)"
}

// streamAdvice is the advice for a file written as a stream of lines (JSON
// Lines): a temp file and a rename would be wrong there; appending whole
// lines is what keeps a reader from seeing a torn record.
func (c *checker) streamAdvice() string {
	if c.cfg.AllowsAppend() {
		return "for a JSON Lines stream, open it with os.O_APPEND and write each line with a single Write"
	}
	return c.advice()
}

// inLoop reports whether the innermost function of stack runs the node in
// a for or range statement.
func inLoop(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit:
			return false
		}
	}
	return false
}

// streamPath reports whether e, the path given to os.Create or
// os.OpenFile, names a JSON Lines file by its constant suffix.
func (c *checker) streamPath(e ast.Expr) bool {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && c.callee(call) == "path/filepath.Join" && len(call.Args) > 0 {
		e = call.Args[len(call.Args)-1]
	}
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
		e = b.Y
	}
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return false
	}
	s := strings.ToLower(constant.StringVal(tv.Value))
	return strings.HasSuffix(s, ".jsonl") || strings.HasSuffix(s, ".ndjson")
}

// encoderStream reports whether the json.NewEncoder call enc is used as a
// stream: its Encode runs in a loop, or more than once.
func (c *checker) encoderStream(enc *ast.CallExpr) bool {
	if c.inLoop {
		return true
	}
	var obj types.Object
	for o, d := range c.defs {
		if ast.Unparen(d) == enc && c.n[o] == 1 {
			obj = o
		}
	}
	if obj == nil || c.body == nil {
		return false
	}
	n, loop := 0, false
	ast.PreorderStack(c.body, nil, func(x ast.Node, stack []ast.Node) bool {
		call, ok := x.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Encode" {
			return true
		}
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == obj {
			n++
			loop = loop || inLoop(stack)
		}
		return true
	})
	return loop || n > 1
}

// jsonLine reports whether e is json.Marshal output with a newline added:
// one record of a JSON Lines stream.
func (c *checker) jsonLine(e ast.Expr, depth int) bool {
	if depth > 6 {
		return false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "append" && len(x.Args) > 1 {
			if _, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok {
				last := x.Args[len(x.Args)-1]
				if tv, ok := c.pass.TypesInfo.Types[last]; ok && tv.Value != nil {
					if v, ok := constant.Int64Val(constant.ToInt(tv.Value)); ok && v == '\n' {
						return c.isJSON(x.Args[0], depth+1)
					}
				}
				if x.Ellipsis.IsValid() {
					if tv, ok := c.pass.TypesInfo.Types[last]; ok && tv.Value != nil && tv.Value.Kind() == constant.String && strings.HasSuffix(constant.StringVal(tv.Value), "\n") {
						return c.isJSON(x.Args[0], depth+1)
					}
				}
			}
		}
		if tv, ok := c.pass.TypesInfo.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return c.jsonLine(x.Args[0], depth+1)
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			if tv, ok := c.pass.TypesInfo.Types[x.Y]; ok && tv.Value != nil && tv.Value.Kind() == constant.String && strings.HasSuffix(constant.StringVal(tv.Value), "\n") {
				return c.isJSON(x.X, depth+1)
			}
		}
	case *ast.Ident:
		if d := c.def(x); d != nil {
			return c.jsonLine(d, depth+1)
		}
	}
	return false
}

func shortName(full string) string {
	if i := strings.LastIndexByte(full, '/'); i >= 0 {
		return full[i+1:]
	}
	return full
}

func (c *checker) call(call *ast.CallExpr) {
	name := c.callee(call)
	switch name {
	case "encoding/json.NewEncoder":
		if len(call.Args) == 1 {
			if f, desc := c.fileTarget(call.Args[0], 0); f {
				advice := c.advice()
				if c.encoderStream(call) || c.streamTarget(call.Args[0], 0) {
					advice = c.streamAdvice()
				}
				c.rep.Report("json-encoder-file", call.Pos(), call.End(),
					fmt.Sprintf("json.NewEncoder writes straight to *os.File %s (not atomic); %s", desc, advice))
			}
		}
	case "os.WriteFile", "io/ioutil.WriteFile", "(*os.Root).WriteFile":
		if len(call.Args) >= 2 && c.isJSON(call.Args[1], 0) {
			c.rep.Report("json-writefile", call.Pos(), call.End(),
				fmt.Sprintf("JSON from json.Marshal written with %s is not atomic; %s", shortCallee(name), c.advice()))
			return
		}
		if c.cfg.AtomicWrite.Mode == "all" {
			c.rep.Report("direct-write", call.Pos(), call.End(), fmt.Sprintf("%s outside a sanctioned writer: artifacts must be written atomically; %s", shortCallee(name), c.advice()))
		}
	case "(*os.File).Write", "(*os.File).WriteString":
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || len(call.Args) != 1 || !c.isJSON(call.Args[0], 0) {
			return
		}
		if f, _ := c.fileTarget(sel.X, 0); f {
			advice := c.advice()
			if c.inLoop || c.jsonLine(call.Args[0], 0) || c.streamTarget(sel.X, 0) {
				advice = c.streamAdvice()
			}
			c.rep.Report("json-file-write", call.Pos(), call.End(),
				fmt.Sprintf("JSON from json.Marshal written with %s is not atomic; %s", shortCallee(name), advice))
		}
	case "os.Create", "os.OpenFile", "(*os.Root).Create", "(*os.Root).OpenFile":
		if c.cfg.AtomicWrite.Mode != "all" {
			return
		}
		if strings.HasSuffix(name, "OpenFile") {
			if len(call.Args) < 2 {
				return
			}
			flags, ok := c.flags(call.Args[1])
			if !ok || flags&c.osConst("O_CREATE") == 0 && flags&c.osConst("O_TRUNC") == 0 {
				return
			}
			if flags&c.osConst("O_APPEND") != 0 && c.cfg.AllowsAppend() {
				return
			}
		}
		advice := c.advice()
		if len(call.Args) > 0 && c.streamPath(call.Args[0]) {
			advice = c.streamAdvice()
		}
		c.rep.Report("direct-write", call.Pos(), call.End(), fmt.Sprintf("%s outside a sanctioned writer: artifacts must be written atomically; %s", shortCallee(name), advice))
	}
}

// flags returns the constant value of an os.OpenFile flag argument, also
// when it is a local variable assigned once from a constant expression.
func (c *checker) flags(e ast.Expr) (int64, bool) {
	if v, ok := c.intConst(e); ok {
		return v, true
	}
	if d := c.def(e); d != nil {
		return c.intConst(d)
	}
	return 0, false
}

// streamTarget reports whether the file e (as accepted by fileTarget) was
// created under a JSON Lines name.
func (c *checker) streamTarget(e ast.Expr, depth int) bool {
	if depth > 6 {
		return false
	}
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		switch c.callee(call) {
		case "bufio.NewWriter", "bufio.NewWriterSize":
			if len(call.Args) >= 1 {
				return c.streamTarget(call.Args[0], depth+1)
			}
		case "os.Create", "os.OpenFile", "(*os.Root).Create", "(*os.Root).OpenFile":
			return len(call.Args) > 0 && c.streamPath(call.Args[0])
		}
		return false
	}
	if d := c.def(e); d != nil {
		return c.streamTarget(d, depth+1)
	}
	return false
}

func shortCallee(full string) string {
	full = strings.NewReplacer("encoding/json.", "json.", "io/ioutil.", "ioutil.").Replace(full)
	return full
}

func (c *checker) intConst(e ast.Expr) (int64, bool) {
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil {
		return 0, false
	}
	v, ok := constant.Int64Val(constant.ToInt(tv.Value))
	return v, ok
}

// osConst returns the value of an os package integer constant, as compiled.
func (c *checker) osConst(name string) int64 {
	for _, p := range c.pass.Pkg.Imports() {
		if p.Path() == "os" {
			if k, ok := p.Scope().Lookup(name).(*types.Const); ok {
				v, _ := constant.Int64Val(constant.ToInt(k.Val()))
				return v
			}
		}
	}
	return 0
}

// fileTarget reports whether e is an *os.File (possibly behind
// bufio.NewWriter) that is not exempt, with a description.
func (c *checker) fileTarget(e ast.Expr, depth int) (bool, string) {
	if depth > 6 {
		return false, ""
	}
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		switch c.callee(call) {
		case "bufio.NewWriter", "bufio.NewWriterSize":
			if len(call.Args) >= 1 {
				return c.fileTarget(call.Args[0], depth+1)
			}
		}
	}
	t := c.pass.TypesInfo.TypeOf(e)
	if t == nil {
		return false, ""
	}
	if !isOSFile(t) {
		if d := c.def(e); d != nil {
			return c.fileTarget(d, depth+1)
		}
		return false, ""
	}
	// Exemptions by origin.
	if sel, ok := e.(*ast.SelectorExpr); ok {
		if v, ok := c.pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "os" && (v.Name() == "Stdout" || v.Name() == "Stderr") {
			return false, ""
		}
	}
	// Only files this function visibly creates or truncates are flagged:
	// a parameter or a field may be a pipe, a socket or a temp file.
	desc := types.ExprString(e)
	d := c.def(e)
	if d == nil {
		return false, ""
	}
	if sel, ok := ast.Unparen(d).(*ast.SelectorExpr); ok {
		return c.fileTarget(sel, depth+1)
	}
	if id, ok := ast.Unparen(d).(*ast.Ident); ok {
		return c.fileTarget(id, depth+1)
	}
	call, ok := ast.Unparen(d).(*ast.CallExpr)
	if !ok {
		return false, ""
	}
	switch c.callee(call) {
	case "os.Create", "(*os.Root).Create":
		return true, fmt.Sprintf("%q", desc)
	case "os.OpenFile", "(*os.Root).OpenFile":
		if len(call.Args) >= 2 {
			flags, ok := c.flags(call.Args[1])
			if !ok {
				return true, fmt.Sprintf("%q", desc)
			}
			if flags&c.osConst("O_APPEND") != 0 && c.cfg.AllowsAppend() {
				return false, ""
			}
			if flags&(c.osConst("O_WRONLY")|c.osConst("O_RDWR")) == 0 {
				return false, ""
			}
			return true, fmt.Sprintf("%q", desc)
		}
	}
	return false, ""
}

func isOSFile(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := p.Elem().(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "os" && n.Obj().Name() == "File"
}

// isJSON reports whether e evaluates to json.Marshal output.
func (c *checker) isJSON(e ast.Expr, depth int) bool {
	if depth > 6 {
		return false
	}
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.CallExpr:
		switch c.callee(x) {
		case "encoding/json.Marshal", "encoding/json.MarshalIndent":
			return true
		}
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "append" && len(x.Args) > 0 {
			if _, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok {
				return c.isJSON(x.Args[0], depth+1)
			}
		}
		if tv, ok := c.pass.TypesInfo.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return c.isJSON(x.Args[0], depth+1)
		}
	case *ast.Ident:
		if d := c.def(x); d != nil {
			return c.isJSON(d, depth+1)
		}
	}
	return false
}
