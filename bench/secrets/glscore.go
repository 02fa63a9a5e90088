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
// scanner reports any finding in its file. A rule is fully covered when
// every one of its true-positive samples is detected.
func glscore(args []string) error {
	fs := flag.NewFlagSet("glscore", flag.ExitOnError)
	samplesFile := fs.String("samples", "", "samples file written by glsamples")
	config := fs.String("config", "", "gitleaks' default config (gitleaks.toml), loaded through soakkit's config loader")
	gitleaks := fs.String("gitleaks", "", "gitleaks binary to score too (optional)")
	work := fs.String("work", "", "scratch directory (default: a new temporary one, removed afterwards)")
	show := fs.Int("show", 0, "list up to N samples where soakkit with gitleaks' config and gitleaks disagree")
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
	soak := func(name string, sc *secrets.Scanner) error {
		sc.Root = root
		rep, err := sc.Scan(context.Background(), root)
		if err != nil {
			return err
		}
		hits := make([][]string, len(samples))
		for _, f := range rep.Findings {
			if f.Suppressed != secrets.NotSuppressed {
				continue
			}
			if i, ok := sampleIndex(f.File); ok && i < len(hits) {
				hits[i] = append(hits[i], f.RuleID)
			}
		}
		results = append(results, result{name, hits})
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
	if err := soak("soakkit, built-in rules", &secrets.Scanner{}); err != nil {
		return err
	}
	if *config != "" {
		cfg, err := secrets.LoadConfig(*config)
		if err != nil {
			return err
		}
		sc := &secrets.Scanner{}
		cfg.Apply(sc)
		if err := soak("soakkit with gitleaks' default config", sc); err != nil {
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
