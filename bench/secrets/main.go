package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"github.com/soakkit/soakkit/internal/atomicfile"
	"github.com/soakkit/soakkit/secrets"
	"github.com/soakkit/soakkit/secrets/corpus"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: secretsbench gen|scan|eval|history|genrepo|glsamples|glscore [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "scan":
		err = scan(os.Args[2:])
	case "eval":
		err = eval(os.Args[2:])
	case "history":
		err = history(os.Args[2:])
	case "genrepo":
		err = genrepo(os.Args[2:])
	case "glsamples":
		err = glsamples(os.Args[2:])
	case "glscore":
		err = glscore(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "secretsbench:", err)
		os.Exit(2)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	out := fs.String("out", "", "corpus directory")
	size := fs.Int64("size", 200e6, "approximate corpus bytes")
	seed := fs.Uint64("seed", 1, "generator seed")
	manifest := fs.String("manifest", "", "manifest JSON file (outside -out)")
	fs.Parse(args)
	m, err := corpus.Generate(*out, corpus.Options{Seed: *seed, Size: *size})
	if err != nil {
		return err
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	fmt.Printf("corpus: %d files, %.1f MB, %d planted secrets, %d decoy lines\n", m.Files, float64(m.Bytes)/1e6, len(m.Planted), m.Decoys)
	return atomicfile.WriteFile(*manifest, data, 0o644)
}

func scan(args []string) error {
	fs := flag.NewFlagSet("scan", flag.ExitOnError)
	root := fs.String("root", "", "directory to scan")
	report := fs.String("report", "", "JSON report file")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the scan to this file")
	config := fs.String("config", "", "load rules and allowlists from this config (e.g. gitleaks' default gitleaks.toml)")
	fs.Parse(args)
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	sc := &secrets.Scanner{Root: *root}
	if *config != "" {
		cfg, err := secrets.LoadConfig(*config)
		if err != nil {
			return err
		}
		cfg.Apply(sc)
	}
	rep, err := sc.Scan(context.Background(), *root)
	if err != nil {
		return err
	}
	f, err := os.Create(*report)
	if err != nil {
		return err
	}
	if err := rep.Write(f, secrets.FormatJSON); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintln(os.Stderr, rep.Summary())
	return f.Close()
}

func eval(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	manifest := fs.String("manifest", "", "manifest JSON file")
	root := fs.String("root", "", "corpus directory the reports' paths are relative to")
	ours := fs.String("soakkit", "", "soakkit JSON report")
	theirs := fs.String("gitleaks", "", "gitleaks JSON report")
	showFP := fs.Int("show-fp", 0, "print up to N false positives per scanner")
	fs.Parse(args)
	var m corpus.Manifest
	if err := readJSON(*manifest, &m); err != nil {
		return err
	}
	absRoot, _ := filepath.Abs(*root)
	score := func(name string, hits []corpus.Hit) {
		s := m.Evaluate(hits)
		fmt.Printf("%-8s recall %.4f (%d/%d)  false positives %d  missed by rule %v\n", name, s.Recall, s.Detected, s.Planted, s.FalsePositives, s.MissedByRule)
		for i, h := range m.FalsePositiveHits(hits) {
			if i >= *showFP {
				break
			}
			fmt.Printf("    fp %s:%d\n", h.File, h.Line)
		}
	}
	if *ours != "" {
		var rep struct {
			Findings []struct {
				File       string `json:"file"`
				Line       int    `json:"line"`
				Suppressed string `json:"suppressed"`
			} `json:"findings"`
		}
		if err := readJSON(*ours, &rep); err != nil {
			return err
		}
		var hits []corpus.Hit
		for _, f := range rep.Findings {
			if f.Suppressed != "" {
				continue // allowlisted, inline-allowed, baselined: not reported as a leak
			}
			hits = append(hits, corpus.Hit{File: f.File, Line: f.Line})
		}
		score("soakkit", hits)
	}
	if *theirs != "" {
		var rep []struct {
			File      string
			StartLine int
		}
		if err := readJSON(*theirs, &rep); err != nil {
			return err
		}
		var hits []corpus.Hit
		for _, f := range rep {
			p := filepath.ToSlash(f.File)
			p = strings.TrimPrefix(p, filepath.ToSlash(absRoot)+"/")
			p = strings.TrimPrefix(p, filepath.ToSlash(*root)+"/")
			hits = append(hits, corpus.Hit{File: p, Line: f.StartLine})
		}
		score("gitleaks", hits)
	}
	return nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
