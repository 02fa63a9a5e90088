package secrets

import (
	"fmt"
	"slices"
	"strings"
)

// A requirement is a [Required] resolved for a scan: the indexes of the
// rules whose findings satisfy it, and its distances (-1: unbounded).
type requirement struct {
	rules         []int
	lines, column int
}

// compileRequired resolves the rules' requirements to rule indexes. A
// RuleID naming no rule is an error; a gitleaks rule id the built-in rules
// cover under another name stands for those rules.
func (c *compiled) compileRequired(rules []Rule) error {
	idx := make(map[string]int, len(rules))
	for i, r := range rules {
		idx[r.ID] = i
	}
	c.ruleIdx = idx
	for i, r := range rules {
		if r.SkipReport {
			c.composite = true
		}
		if len(r.Required) == 0 {
			continue
		}
		c.composite = true
		if c.req == nil {
			c.req = make([][]requirement, len(rules))
		}
		for _, q := range r.Required {
			rq := requirement{lines: -1, column: -1}
			if j, ok := idx[q.RuleID]; ok {
				rq.rules = []int{j}
			} else {
				for _, id := range builtinFor(rules, q.RuleID) {
					rq.rules = append(rq.rules, idx[id])
				}
			}
			if len(rq.rules) == 0 {
				return &ConfigError{File: "rules", Field: r.ID + ".required", Err: fmt.Errorf("no rule %q", q.RuleID)}
			}
			if q.WithinLines != nil {
				rq.lines = max(*q.WithinLines, 0)
			}
			if q.WithinColumns != nil {
				rq.column = max(*q.WithinColumns, 0)
			}
			c.req[i] = append(c.req[i], rq)
		}
	}
	return nil
}

// compose post-processes the findings of one fragment, in place, as
// gitleaks does once a fragment's rules have run: a composite rule's
// finding stays only when every one of its requirements has a finding near
// it, the findings of rules that skip their report go, and then a
// configured generic rule's finding goes when a specific one shadows it
// (see [compiled.shadowed]). The findings of required rules are judged as
// found, before any of this filtering. Baseline entries count as used for
// the findings kept.
func (c *compiled) compose(fs []Finding) []Finding {
	if !c.composite && !c.regexGeneric || len(fs) == 0 {
		return fs
	}
	ri := make([]int, len(fs)) // rule index of each finding
	for i := range fs {
		ri[i] = -1
		if r, ok := c.ruleIdx[fs[i].RuleID]; ok {
			ri[i] = r
		}
	}
	keep := make([]bool, len(fs))
	for i := range fs {
		r := ri[i]
		if r < 0 {
			keep[i] = true
			continue
		}
		if c.det.rules[r].SkipReport {
			continue
		}
		keep[i] = true
		if c.req != nil {
			for _, rq := range c.req[r] {
				if !c.satisfied(fs, ri, i, rq) {
					keep[i] = false
					break
				}
			}
		}
	}
	if c.regexGeneric {
		c.shadowed(fs, ri, keep)
	}
	out := fs[:0]
	for i, f := range fs {
		if !keep[i] {
			continue
		}
		if f.Suppressed == Baselined {
			c.markBaseline(f.Fingerprint)
		}
		out = append(out, f)
	}
	return out
}

// shadowed applies gitleaks' precedence of specific rules over a
// configured generic one (a regex rule whose id contains "generic"): such
// a finding goes when a kept finding of a rule that is not generic, on
// the same line and commit, counts (is not suppressed but by the
// baseline) and has a secret containing the generic one's. Because only
// a finding that counts shadows, a generic finding survives a specific
// one that an allowlist drops, as in gitleaks. The built-in generic rules
// yield earlier, to any specific candidate overlapping their secret (see
// [detector.dropShadowed]).
func (c *compiled) shadowed(fs []Finding, ri []int, keep []bool) {
	for i := range fs {
		if !keep[i] || ri[i] < 0 || !c.det.rules[ri[i]].generic || c.det.rules[ri[i]].Regex == nil {
			continue
		}
		g := &fs[i]
		for j := range fs {
			p := &fs[j]
			if j == i || !keep[j] || ri[j] < 0 || c.det.rules[ri[j]].generic {
				continue
			}
			if p.Suppressed != NotSuppressed && p.Suppressed != Baselined {
				continue
			}
			if p.Line == g.Line && p.Commit == g.Commit && p.RuleID != g.RuleID && strings.Contains(p.Secret, g.Secret) {
				keep[i] = false
				break
			}
		}
	}
}

// satisfied reports whether some finding of fs other than fs[i] is of one
// of rq's rules, counts (is not suppressed but by the baseline), and lies
// within rq's distances of fs[i].
func (c *compiled) satisfied(fs []Finding, ri []int, i int, rq requirement) bool {
	p := &fs[i]
	for j := range fs {
		a := &fs[j]
		if j == i || !slices.Contains(rq.rules, ri[j]) {
			continue
		}
		if a.Suppressed != NotSuppressed && a.Suppressed != Baselined {
			continue
		}
		if rq.lines >= 0 && absInt(a.Line-p.Line) > rq.lines {
			continue
		}
		if rq.column >= 0 && absInt(a.Column-p.Column) > rq.column {
			continue
		}
		return true
	}
	return false
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
