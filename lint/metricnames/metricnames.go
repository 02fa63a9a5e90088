package metricnames

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	dto "github.com/prometheus/client_model/go"

	"github.com/soakkit/soakkit/lint/config"
	"github.com/soakkit/soakkit/lint/internal/analysisutil"
	"github.com/soakkit/soakkit/lint/internal/promapi"
	"github.com/soakkit/soakkit/lint/internal/promrules"
)

// Name is the analyzer's name.
const Name = "metricnames"

// Rules lists the analyzer's rules with their default severities.
var Rules = func() []config.Rule {
	var rs []config.Rule
	for _, r := range promrules.Rules {
		if r.ID == promrules.Other {
			continue
		}
		r.ID = Name + "/" + r.ID
		rs = append(rs, r)
	}
	return append(rs,
		config.Rule{ID: Name + "/duplicate-name", Severity: config.SeverityWarning, Doc: "the same metric name constructed twice"},
		config.Rule{ID: Name + "/unverifiable", Severity: config.SeverityInfo, Doc: "metric name not constant"},
	)
}()

// Analyzer reads its configuration from -config or $SOAKKIT_LINT_CONFIG.
var Analyzer = newAnalyzer(nil)

// New returns an analyzer using cfg (defaults if nil). Like [Analyzer] it
// has a -config flag; when set, the file it names replaces cfg.
func New(cfg *config.Config) *analysis.Analyzer { return newAnalyzer(analysisutil.Fixed(cfg)) }

func newAnalyzer(src *analysisutil.ConfigSource) *analysis.Analyzer {
	return analysisutil.Wire(&analysis.Analyzer{
		Name:     Name,
		Doc:      "Prometheus metric naming rules (promlint) at source positions",
		URL:      "https://pkg.go.dev/github.com/soakkit/soakkit/lint/metricnames",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
	}, src, run)
}

func run(pass *analysis.Pass, cfg *config.Config) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	sev := map[string]config.Severity{}
	for _, r := range Rules {
		sev[strings.TrimPrefix(r.ID, Name+"/")] = r.Severity
	}
	rep := &analysisutil.Reporter{Pass: pass, Analyzer: Name, Cfg: cfg, Defaults: sev}
	res := promapi.NewResolver(pass.TypesInfo, pass.Files)
	first := map[string]token.Position{}
	var err error
	ins.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
		if err != nil {
			return
		}
		m, ok := res.Constructor(n.(*ast.CallExpr))
		if !ok {
			return
		}
		pos, end := m.NamePos, m.NameEnd
		if !pos.IsValid() {
			pos, end = m.Call.Pos(), m.Call.End()
		}
		if !m.NameKnown {
			rep.Report("unverifiable", pos, end, fmt.Sprintf("metric name of %s is not constant; naming rules cannot be verified", m.Func[strings.LastIndexByte(m.Func, '.')+1:]))
			return
		}
		if p, dup := first[m.Name]; dup && !strings.HasSuffix(m.Func, "NewDesc") {
			// A Desc is often shared by several const metrics; only
			// constructors that register a metric are compared.
			rep.Report("duplicate-name", pos, end, fmt.Sprintf("metric %q is also constructed at %s:%d (registration fails with a duplicate)", m.Name, shortFile(p.Filename), p.Line))
		} else if !strings.HasSuffix(m.Func, "NewDesc") {
			first[m.Name] = pass.Fset.Position(pos)
		}
		help := m.Help
		if !m.HelpKnown {
			help = "?" // not constant: do not claim it is missing
		}
		var labels []string
		for _, l := range m.AllLabels() {
			labels = append(labels, l.Name)
		}
		var ps []promrules.Problem
		ps, err = promrules.Lint(append([]*dto.MetricFamily{}, promrules.Family(m.Name, help, kindFor(m), labels)))
		if err != nil {
			err = fmt.Errorf("promlint %s: %w", m.Name, err)
			return
		}
		ps = append(ps, promrules.Extra(cfg, m.Name)...)
		for _, p := range ps {
			switch p.Rule {
			case promrules.LabelCamelCase, promrules.ReservedLabel, promrules.DuplicateSeries:
				continue // metriclabels' business
			}
			msg := p.Text
			if !strings.Contains(msg, m.Name) {
				msg = fmt.Sprintf("metric %q: %s", m.Name, p.Text)
			}
			var fixes []analysis.SuggestedFix
			if p.Rule == promrules.CounterTotal {
				fixes = totalFix(m.Call, pos, end)
			}
			rep.ReportFix(p.Rule, pos, end, msg, fixes)
		}
	})
	if err != nil {
		return nil, err
	}
	return rep.Result(), nil
}

// totalFix appends _total to a Name written as one string literal.
func totalFix(call *ast.CallExpr, pos, end token.Pos) []analysis.SuggestedFix {
	var lit *ast.BasicLit
	ast.Inspect(call, func(n ast.Node) bool {
		if b, ok := n.(*ast.BasicLit); ok && b.Pos() == pos && b.End() == end && b.Kind == token.STRING {
			lit = b
		}
		return lit == nil
	})
	if lit == nil {
		return nil
	}
	v, err := strconv.Unquote(lit.Value)
	if err != nil {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "append _total",
		TextEdits: []analysis.TextEdit{{Pos: pos, End: end, NewText: []byte(strconv.Quote(v + "_total"))}},
	}}
}

// kindFor returns the promlint type of a constructor; a Desc is linted as
// untyped, so counter and histogram suffix rules do not guess.
func kindFor(m *promapi.Metric) string { return m.Kind }

func shortFile(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
