package summary

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A Gate is a threshold on one number: a summary figure (see
// [Summary.Figures]) or a value read from a JSON file the plan produces,
// a KPI gate over any figure. A hard bound (Max, Min) that is crossed
// fails the run; a soft bound (SoftMax, SoftMin) warns. A value that cannot
// be found is reported as missing, never read as zero; Missing says whether
// that fails the run (the default) or warns.
//
// Exactly one of Figure and File must be set, and at least one bound.
type Gate struct {
	Name string `json:"name,omitempty" yaml:"name,omitempty"` // default: the figure, or file#pointer
	// Figure names a summary figure, e.g. "failure_rate",
	// "step.tests.p95_ms" or "leak.service.rss.slope".
	Figure string `json:"figure,omitempty" yaml:"figure,omitempty"`
	// File is a JSON file (relative paths: Config.Dir) and Pointer an RFC
	// 6901 JSON Pointer into it ("/summary/p95_latency_ms"; "" is the whole
	// document).
	File    string `json:"file,omitempty" yaml:"file,omitempty"`
	Pointer string `json:"pointer,omitempty" yaml:"pointer,omitempty"`
	// Aggregate reduces an array of numbers to one: mean, median, min, max,
	// first or last. It is required when the value is an array.
	Aggregate string `json:"aggregate,omitempty" yaml:"aggregate,omitempty"`

	Max     *float64 `json:"max,omitempty" yaml:"max,omitempty"`           // hard: fail above
	Min     *float64 `json:"min,omitempty" yaml:"min,omitempty"`           // hard: fail below
	SoftMax *float64 `json:"soft_max,omitempty" yaml:"soft_max,omitempty"` // soft: warn above
	SoftMin *float64 `json:"soft_min,omitempty" yaml:"soft_min,omitempty"` // soft: warn below
	// Missing is what a missing value does: "fail" (default) or "warn".
	Missing string `json:"missing,omitempty" yaml:"missing,omitempty"`
}

// A GateStatus is the outcome of a gate.
type GateStatus string

// Gate outcomes. A missing value is GateFail or GateWarn (per Gate.Missing)
// with GateResult.Missing set.
const (
	GatePass GateStatus = "pass"
	GateWarn GateStatus = "warn"
	GateFail GateStatus = "fail"
)

// A GateResult is the outcome of one gate.
type GateResult struct {
	Name    string     `json:"name"`
	Status  GateStatus `json:"status"`
	Value   *float64   `json:"value"` // null when missing
	Missing bool       `json:"missing,omitempty"`
	Level   string     `json:"level,omitempty"` // "hard" or "soft": the bound crossed
	Reason  string     `json:"reason"`
}

var aggregates = []string{"mean", "median", "min", "max", "first", "last"}

func (g *Gate) name() string {
	switch {
	case g.Name != "":
		return g.Name
	case g.Figure != "":
		return g.Figure
	}
	return g.File + "#" + g.Pointer
}

func (g *Gate) validate(field string, bad func(field, format string, args ...any)) {
	if (g.Figure == "") == (g.File == "") {
		bad(field, "exactly one of figure and file must be set")
	}
	if g.Pointer != "" && !strings.HasPrefix(g.Pointer, "/") {
		bad(field+".pointer", "%q is not a JSON Pointer (it must start with /)", g.Pointer)
	}
	if g.Pointer != "" && g.File == "" {
		bad(field+".pointer", "a pointer needs a file")
	}
	if g.Aggregate != "" && !slices.Contains(aggregates, g.Aggregate) {
		bad(field+".aggregate", "%q is not one of %s", g.Aggregate, strings.Join(aggregates, ", "))
	}
	if g.Max == nil && g.Min == nil && g.SoftMax == nil && g.SoftMin == nil {
		bad(field, "no bound: set max, min, soft_max or soft_min")
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"max", g.Max}, {"min", g.Min}, {"soft_max", g.SoftMax}, {"soft_min", g.SoftMin}} {
		if b.v != nil && (math.IsNaN(*b.v) || math.IsInf(*b.v, 0)) {
			bad(field+"."+b.name, "not a finite number")
		}
	}
	if g.Max != nil && g.SoftMax != nil && *g.SoftMax > *g.Max {
		bad(field+".soft_max", "%v is above max %v", *g.SoftMax, *g.Max)
	}
	if g.Min != nil && g.SoftMin != nil && *g.SoftMin < *g.Min {
		bad(field+".soft_min", "%v is below min %v", *g.SoftMin, *g.Min)
	}
	if g.Missing != "" && g.Missing != "fail" && g.Missing != "warn" {
		bad(field+".missing", "%q is neither fail nor warn", g.Missing)
	}
}

// evalGates judges every gate; files are read once each.
func evalGates(gates []Gate, figures map[string]float64, dir string) []GateResult {
	docs := map[string]docResult{}
	out := make([]GateResult, 0, len(gates))
	for i := range gates {
		g := &gates[i]
		var v float64
		var why string
		if g.Figure != "" {
			var ok bool
			if v, ok = figures[g.Figure]; !ok {
				why = fmt.Sprintf("the summary has no figure %q", g.Figure)
			}
		} else {
			path := g.File
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			d, seen := docs[path]
			if !seen {
				d = readDoc(path)
				docs[path] = d
			}
			if d.err != "" {
				why = d.err
			} else {
				v, why = lookup(d.v, g.Pointer, g.Aggregate)
			}
		}
		out = append(out, judge(g, v, why))
	}
	return out
}

func judge(g *Gate, v float64, missing string) GateResult {
	r := GateResult{Name: g.name(), Status: GatePass}
	if missing != "" {
		r.Missing = true
		r.Status = GateFail
		r.Level = "hard"
		if g.Missing == "warn" {
			r.Status, r.Level = GateWarn, "soft"
		}
		r.Reason = r.Name + " missing: " + missing
		return r
	}
	r.Value = &v
	f := strconv.FormatFloat
	switch {
	case g.Max != nil && v > *g.Max:
		r.Status, r.Level, r.Reason = GateFail, "hard", fmt.Sprintf("%s %s > %s (hard)", r.Name, f(v, 'g', 6, 64), f(*g.Max, 'g', 6, 64))
	case g.Min != nil && v < *g.Min:
		r.Status, r.Level, r.Reason = GateFail, "hard", fmt.Sprintf("%s %s < %s (hard)", r.Name, f(v, 'g', 6, 64), f(*g.Min, 'g', 6, 64))
	case g.SoftMax != nil && v > *g.SoftMax:
		r.Status, r.Level, r.Reason = GateWarn, "soft", fmt.Sprintf("%s %s > %s (soft)", r.Name, f(v, 'g', 6, 64), f(*g.SoftMax, 'g', 6, 64))
	case g.SoftMin != nil && v < *g.SoftMin:
		r.Status, r.Level, r.Reason = GateWarn, "soft", fmt.Sprintf("%s %s < %s (soft)", r.Name, f(v, 'g', 6, 64), f(*g.SoftMin, 'g', 6, 64))
	default:
		r.Reason = fmt.Sprintf("%s %s within bounds", r.Name, f(v, 'g', 6, 64))
	}
	return r
}

type docResult struct {
	v   any
	err string
}

func readDoc(path string) docResult {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return docResult{err: fmt.Sprintf("file %s does not exist", path)}
	}
	if err != nil {
		return docResult{err: err.Error()}
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return docResult{err: fmt.Sprintf("file %s is not JSON: %v", path, err)}
	}
	return docResult{v: v}
}

// lookup resolves an RFC 6901 pointer in v and returns the number there,
// or why there is none.
func lookup(v any, pointer, agg string) (float64, string) {
	if pointer != "" {
		for _, tok := range strings.Split(pointer[1:], "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch c := v.(type) {
			case map[string]any:
				x, ok := c[tok]
				if !ok {
					return 0, fmt.Sprintf("no key %q at %s", tok, pointer)
				}
				v = x
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(c) {
					return 0, fmt.Sprintf("no index %q at %s", tok, pointer)
				}
				v = c[i]
			default:
				return 0, fmt.Sprintf("%s does not lead to a value", pointer)
			}
		}
	}
	switch c := v.(type) {
	case json.Number:
		f, err := c.Float64()
		if err != nil {
			return 0, fmt.Sprintf("%s: %v", pointer, err)
		}
		return f, ""
	case nil:
		return 0, fmt.Sprintf("%s is null", pointer)
	case []any:
		if agg == "" {
			return 0, fmt.Sprintf("%s is an array and the gate has no aggregate", pointer)
		}
		var xs []float64
		for _, e := range c {
			n, ok := e.(json.Number)
			if !ok {
				continue // nulls and non-numbers are missing values, not zeros
			}
			if f, err := n.Float64(); err == nil {
				xs = append(xs, f)
			}
		}
		if len(xs) == 0 {
			return 0, fmt.Sprintf("%s has no numbers", pointer)
		}
		return aggregate(xs, agg), ""
	}
	return 0, fmt.Sprintf("%s is not a number", pointer)
}

func aggregate(xs []float64, agg string) float64 {
	switch agg {
	case "first":
		return xs[0]
	case "last":
		return xs[len(xs)-1]
	case "min":
		return slices.Min(xs)
	case "max":
		return slices.Max(xs)
	case "median":
		s := slices.Clone(xs)
		slices.Sort(s)
		if len(s)%2 == 1 {
			return s[len(s)/2]
		}
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
