package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/soakkit/soakkit/secrets"
)

// glscore scores scanners on gitleaks' labelled samples (see glsamples).
// Each sample is written to a file of its own; a true-positive sample is
// detected when a scanner reports at least one unsuppressed finding of any
// rule in its file, and a false-positive sample is a false positive when a
// scanner reports any unsuppressed finding in its file. A rule is fully
// covered when every one of its true-positive samples is detected.
//
// soakkit is scored twice: by default, counting unsuppressed findings
// only, and strictly, counting also the findings suppressed because their
// token's checksum does not verify (gitleaks' samples are random strings,
// so most checksummed tokens among them fail their checksum; soakkit lists
// those, but they fail only a strict scan).
func glscore(args []string) error {
	fs := flag.NewFlagSet("glscore", flag.ExitOnError)
	samplesFile := fs.String("samples", "", "samples file written by glsamples")
	config := fs.String("config", "", "gitleaks' default config (gitleaks.toml), loaded through soakkit's config loader")
	gitleaks := fs.String("gitleaks", "", "gitleaks binary to score too (optional)")
	work := fs.String("work", "", "scratch directory (default: a new temporary one, removed afterwards)")
	show := fs.Int("show", 0, "list up to N samples where soakkit with gitleaks' config and gitleaks disagree")
	list := fs.Int("list", 0, "list up to N true positives the built-in rules miss and N false positives they report, by rule")
	fs.Parse(args)
	if *samplesFile == "" {
		return errors.New("glscore: -samples is required")
	}
	samples, err := readSamples(*samplesFile)
	if err != nil {
		return err
	}
	// The extraction writes some samples in map order: sort, so a sample
	// keeps its number from run to run.
	slices.SortStableFunc(samples, func(a, b labelled) int {
		return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.Label, b.Label),
			strings.Compare(a.Path, b.Path), strings.Compare(a.Text, b.Text))
	})
	dir := *work
	if dir == "" {
		if dir, err = os.MkdirTemp("", "glscore-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	root := filepath.Join(dir, "samples")
	os.RemoveAll(root)
	for i, s := range samples {
		p := filepath.Join(root, samplePath(i, s))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(s.Text), 0o644); err != nil {
			return err
		}
	}
	type result struct {
		name string
		hits [][]string // per sample: rule IDs found
	}
	var results []result
	soak := func(name string, sc *secrets.Scanner, strict bool) error {
		sc.Root = root
		rep, err := sc.Scan(context.Background(), root)
		if err != nil {
			return err
		}
		hits := make([][]string, len(samples))
		strictHits := make([][]string, len(samples))
		for _, f := range rep.Findings {
			i, ok := sampleIndex(f.File)
			if !ok || i >= len(hits) {
				continue
			}
			switch f.Suppressed {
			case secrets.NotSuppressed:
				hits[i] = append(hits[i], f.RuleID)
				strictHits[i] = append(strictHits[i], f.RuleID)
			case secrets.ChecksumMismatch:
				strictHits[i] = append(strictHits[i], f.RuleID+" (checksum mismatch)")
			}
		}
		results = append(results, result{name, hits})
		if strict {
			results = append(results, result{name + ", strict", strictHits})
		}
		return nil
	}
	if *gitleaks != "" {
		report := filepath.Join(dir, "gitleaks.json")
		cmd := exec.Command(*gitleaks, "dir", root, "--no-banner", "--exit-code", "0", "--report-format", "json", "--report-path", report)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("glscore: gitleaks: %w", err)
		}
		var rep []struct{ File, RuleID string }
		data, err := os.ReadFile(report)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			return fmt.Errorf("glscore: gitleaks report: %w", err)
		}
		hits := make([][]string, len(samples))
		for _, f := range rep {
			rel, err := filepath.Rel(root, f.File)
			if err != nil {
				continue
			}
			if i, ok := sampleIndex(filepath.ToSlash(rel)); ok && i < len(hits) {
				hits[i] = append(hits[i], f.RuleID)
			}
		}
		results = append(results, result{"gitleaks v8.30.1", hits})
	}
	builtin := len(results)
	if err := soak("soakkit, built-in rules", &secrets.Scanner{}, true); err != nil {
		return err
	}
	if *config != "" {
		cfg, err := secrets.LoadConfig(*config)
		if err != nil {
			return err
		}
		sc := &secrets.Scanner{}
		cfg.Apply(sc)
		if err := soak("soakkit with gitleaks' default config", sc, false); err != nil {
			return err
		}
	}

	tpRules := map[string]bool{}
	var nTP, nFP int
	for _, s := range samples {
		if s.Label == "tp" {
			nTP++
			tpRules[s.Rule] = true
		} else {
			nFP++
		}
	}
	fmt.Printf("gitleaks' labelled samples: %d true positives of %d rules, %d false-positive samples\n\n", nTP, len(tpRules), nFP)
	fmt.Printf("| scanner | recall | rules fully covered | false positives (of %d) |\n|---|---|---|---|\n", nFP)
	for _, r := range results {
		detected, fps := 0, 0
		missed := map[string]bool{}
		for i, s := range samples {
			found := len(r.hits[i]) > 0
			switch {
			case s.Label == "tp" && found:
				detected++
			case s.Label == "tp":
				missed[s.Rule] = true
			case found:
				fps++
			}
		}
		fmt.Printf("| %s | %.4f (%d/%d) | %d / %d | %d |\n", r.name, float64(detected)/float64(nTP), detected, nTP,
			len(tpRules)-len(missed), len(tpRules), fps)
	}
	if *list > 0 {
		listBuiltin(samples, results[builtin].hits, results[builtin+1].hits, *list)
	}
	if *show > 0 && len(results) >= 3 {
		gl, ours := results[0], results[len(results)-1]
		fmt.Printf("\nsamples where %q and %q disagree:\n", ours.name, gl.name)
		n := 0
		for i, s := range samples {
			if (len(gl.hits[i]) > 0) == (len(ours.hits[i]) > 0) {
				continue
			}
			if n++; n > *show {
				break
			}
			text := s.Text
			if len(text) > 160 {
				text = text[:160] + "…"
			}
			fmt.Printf("%s %s %s gitleaks=%v soakkit=%v %q\n", samplePath(i, s), s.Label, s.Rule,
				uniq(gl.hits[i]), uniq(ours.hits[i]), text)
		}
	}
	return nil
}

// listBuiltin prints, by rule, up to n true positives the built-in rules
// miss even strictly, up to n false positives they report by default, and
// up to n they report only strictly (a token whose checksum fails).
func listBuiltin(samples []labelled, hits, strictHits [][]string, n int) {
	type row struct {
		rule, label string
		idx         []int
	}
	byRule := map[[2]string]*row{}
	var rows []*row
	for i, s := range samples {
		var k [2]string
		switch {
		case s.Label == "tp" && len(strictHits[i]) == 0:
			k = [2]string{s.Rule, "missed"}
		case s.Label == "fp" && len(hits[i]) > 0:
			k = [2]string{s.Rule, "false positive"}
		case s.Label == "fp" && len(strictHits[i]) > 0:
			k = [2]string{s.Rule, "false positive, strictly"}
		default:
			continue
		}
		r := byRule[k]
		if r == nil {
			r = &row{rule: k[0], label: k[1]}
			byRule[k] = r
			rows = append(rows, r)
		}
		r.idx = append(r.idx, i)
	}
	fmt.Printf("\nbuilt-in rules: samples missed (even strictly) and false positives (by default, or only strictly), by gitleaks rule\n")
	for _, r := range rows {
		fmt.Printf("%s: %d %s\n", r.rule, len(r.idx), r.label)
		for k, i := range r.idx {
			if k >= n {
				break
			}
			text := samples[i].Text
			if len(text) > 200 {
				text = text[:200] + "…"
			}
			h := hits[i]
			if len(h) == 0 {
				h = strictHits[i]
			}
			fmt.Printf("    %s %v %q\n", samplePath(i, samples[i]), uniq(h), text)
		}
	}
}

// sampleIndex returns the sample number of a slash path below the samples
// directory ("00012-tp/sample" is sample 12).
func sampleIndex(rel string) (int, bool) {
	first, _, _ := strings.Cut(rel, "/")
	num, _, ok := strings.Cut(first, "-")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(num)
	return i, err == nil
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
