package suppress

import (
	"go/ast"
	"go/token"
	"strings"
)

// ParseGo returns the directives in the comments of a Go file, with the
// lines each covers computed from the syntax tree.
func ParseGo(fset *token.FileSet, f *ast.File) []*Directive {
	var dirs []*Directive
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !strings.Contains(c.Text, "-ok") {
				continue
			}
			for _, pd := range ParseAll(c.Text) {
				p := fset.Position(c.Slash + token.Pos(pd.Offset))
				dirs = append(dirs, &Directive{File: p.Filename, Line: p.Line, Col: p.Column, Rules: pd.Rules, Reason: pd.Reason, FileLevel: pd.FileLevel})
			}
		}
	}
	if len(dirs) == 0 {
		return nil
	}
	// For each line, the earliest column at which a non-comment node
	// starts or ends, and the last line of the outermost node starting there.
	type lineInfo struct{ minCol, stmtEnd int }
	lines := map[int]*lineInfo{}
	get := func(l int) *lineInfo {
		li := lines[l]
		if li == nil {
			li = &lineInfo{minCol: 1 << 30}
			lines[l] = li
		}
		return li
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.File, *ast.Comment, *ast.CommentGroup:
			return true
		}
		s, e := fset.Position(n.Pos()), fset.Position(n.End())
		li := get(s.Line)
		li.minCol = min(li.minCol, s.Column)
		li.stmtEnd = max(li.stmtEnd, e.Line)
		le := get(e.Line)
		le.minCol = min(le.minCol, e.Column-1)
		return true
	})
	for _, d := range dirs {
		if li := lines[d.Line]; li != nil && li.minCol < d.Col {
			d.From, d.To = d.Line, d.Line // trailing
			continue
		}
		next := d.Line + 1
		for next <= d.Line+50 { // skip further comment lines
			if _, ok := lines[next]; ok {
				break
			}
			next++
		}
		d.From, d.To = next, next
		if li := lines[next]; li != nil && li.stmtEnd > next {
			d.To = li.stmtEnd
		}
	}
	return dirs
}
