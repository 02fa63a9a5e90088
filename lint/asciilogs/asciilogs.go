package asciilogs

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/analysisutil"
)

// Name is the analyzer's name.
const Name = "asciilogs"

// Rules lists the analyzer's rules with their default severities.
var Rules = []config.Rule{
	{ID: Name + "/non-ascii", Severity: config.SeverityError, Doc: "non-ASCII text in a print or log call"},
	{ID: Name + "/long-line", Severity: config.SeverityError, Doc: "source line longer than max_line_length"},
}

// Analyzer reads its configuration from -config or $SOAKKIT_LINT_CONFIG.
var Analyzer = newAnalyzer(nil)

// New returns an analyzer using cfg (defaults if nil). Like [Analyzer] it
// has a -config flag; when set, the file it names replaces cfg.
func New(cfg *config.Config) *analysis.Analyzer { return newAnalyzer(analysisutil.Fixed(cfg)) }

func newAnalyzer(src *analysisutil.ConfigSource) *analysis.Analyzer {
	return analysisutil.Wire(&analysis.Analyzer{
		Name:     Name,
		Doc:      "log and print text must be ASCII; lines must not be huge",
		URL:      "https://pkg.go.dev/github.com/soakkit/soakkit/lint/asciilogs",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
	}, src, run)
}

var printFuncs = map[string]bool{
	"fmt.Print": true, "fmt.Printf": true, "fmt.Println": true,
	"log.Print": true, "log.Printf": true, "log.Println": true,
	"log.Fatal": true, "log.Fatalf": true, "log.Fatalln": true,
	"log.Panic": true, "log.Panicf": true, "log.Panicln": true,
	"log/slog.Debug": true, "log/slog.Info": true, "log/slog.Warn": true, "log/slog.Error": true,
	"log/slog.DebugContext": true, "log/slog.InfoContext": true, "log/slog.WarnContext": true, "log/slog.ErrorContext": true,
	"log/slog.Log": true, "log/slog.LogAttrs": true,
}

var fprintFuncs = map[string]bool{"fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true}

func isLogMethod(fn *types.Func) bool {
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "log":
		n := fn.Name()
		return strings.HasPrefix(n, "Print") || strings.HasPrefix(n, "Fatal") || strings.HasPrefix(n, "Panic")
	case "log/slog":
		switch fn.Name() {
		case "Debug", "Info", "Warn", "Error", "DebugContext", "InfoContext", "WarnContext", "ErrorContext", "Log", "LogAttrs":
			return true
		}
	}
	return false
}

func run(pass *analysis.Pass, cfg *config.Config) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	sev := map[string]config.Severity{}
	for _, r := range Rules {
		sev[strings.TrimPrefix(r.ID, Name+"/")] = r.Severity
	}
	rep := &analysisutil.Reporter{Pass: pass, Analyzer: Name, Cfg: cfg, Defaults: sev}
	if rep.Enabled("non-ascii") {
		ins.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			call := n.(*ast.CallExpr)
			what, ok := printCall(pass, call)
			if !ok {
				return
			}
			for _, arg := range call.Args {
				if pos, r, ok := nonASCII(pass, arg); ok {
					rep.Report("non-ascii", pos, pos+token.Pos(max(utf8.RuneLen(r), 1)),
						fmt.Sprintf("non-ASCII character %U %q in %s text; use ASCII (e.g. \"[OK]\" for a check mark)", r, r, what))
					return
				}
			}
		})
	}
	if limit := cfg.ASCIILogs.MaxLineLength; limit > 0 && rep.Enabled("long-line") {
		for _, f := range pass.Files {
			tf := pass.Fset.File(f.Pos())
			src, err := pass.ReadFile(tf.Name())
			if err != nil {
				continue
			}
			for i, line := range strings.Split(string(src), "\n") {
				if len(line) <= limit { // bytes ≥ runes: cheap pre-check
					continue
				}
				if n := utf8.RuneCountInString(line); n > limit && i+1 <= tf.LineCount() {
					pos := tf.LineStart(i + 1)
					rep.Report("long-line", pos, pos, fmt.Sprintf("line too long (%d characters, limit %d)", n, limit))
				}
			}
		}
	}
	return rep.Result(), nil
}

// printCall reports whether call prints or logs, and names it.
func printCall(pass *analysis.Pass, call *ast.CallExpr) (string, bool) {
	switch fn := typeutil.Callee(pass.TypesInfo, call).(type) {
	case *types.Builtin:
		if fn.Name() == "print" || fn.Name() == "println" {
			return fn.Name(), true
		}
	case *types.Func:
		name := fn.FullName()
		if printFuncs[name] {
			return strings.TrimPrefix(name, "log/"), true
		}
		if fprintFuncs[name] && len(call.Args) > 0 {
			if sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok {
				if v, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "os" && (v.Name() == "Stdout" || v.Name() == "Stderr") {
					return name, true
				}
			}
			return "", false
		}
		if isLogMethod(fn) {
			return fn.Pkg().Name() + "." + fn.Name(), true
		}
	}
	return "", false
}

// nonASCII finds the first non-ASCII character of a constant string argument.
func nonASCII(pass *analysis.Pass, arg ast.Expr) (token.Pos, rune, bool) {
	tv, ok := pass.TypesInfo.Types[arg]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return token.NoPos, 0, false
	}
	s := constant.StringVal(tv.Value)
	idx := strings.IndexFunc(s, func(r rune) bool { return r > 0x7f })
	if idx < 0 {
		return token.NoPos, 0, false
	}
	r, _ := utf8.DecodeRuneInString(s[idx:])
	// Point at the character in the literal when it is written as is.
	if lit, ok := ast.Unparen(arg).(*ast.BasicLit); ok {
		if j := strings.IndexFunc(lit.Value, func(r rune) bool { return r > 0x7f }); j >= 0 {
			return lit.Pos() + token.Pos(j), r, true
		}
	}
	return arg.Pos(), r, true
}
