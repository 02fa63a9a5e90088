package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitleaksModule is the gitleaks release whose rule tests are the
// labelled sample set.
const gitleaksModule = "github.com/zricethezav/gitleaks/v8@v8.30.1"

// A labelled is one sample of gitleaks' rule tests: a string its rule must
// find (tp) or must not find (fp). Path is set for samples that gitleaks
// tests with a file path (path-only rules and rules with a path filter).
type labelled struct {
	Rule  string `json:"rule"`
	Label string `json:"label"` // "tp" or "fp"
	Path  string `json:"path,omitempty"`
	Text  string `json:"text"`
}

// dumpValidate replaces cmd/generate/config/utils/validate.go in a copy of
// gitleaks' source: instead of checking each rule's samples with a
// single-rule detector, it appends them to $GLSAMPLES_OUT as JSON lines.
// The rule constructors call it exactly as they call the original.
const dumpValidate = `package utils

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/zricethezav/gitleaks/v8/config"
)

type sample struct {
	Rule  string ` + "`json:\"rule\"`" + `
	Label string ` + "`json:\"label\"`" + `
	Path  string ` + "`json:\"path,omitempty\"`" + `
	Text  string ` + "`json:\"text\"`" + `
}

func dump(s sample) {
	f, err := os.OpenFile(os.Getenv("GLSAMPLES_OUT"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(s); err != nil {
		panic(err)
	}
}

func Validate(rule config.Rule, truePositives []string, falsePositives []string) *config.Rule {
	for _, s := range truePositives {
		dump(sample{rule.RuleID, "tp", "", s})
	}
	for _, s := range falsePositives {
		dump(sample{rule.RuleID, "fp", "", s})
	}
	return &rule
}

func ValidateWithPaths(rule config.Rule, truePositives map[string]string, falsePositives map[string]string) *config.Rule {
	for _, set := range []struct {
		label string
		m     map[string]string
	}{{"tp", truePositives}, {"fp", falsePositives}} {
		var paths []string
		for p := range set.m {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			dump(sample{rule.RuleID, set.label, p, set.m[p]})
		}
	}
	return &rule
}
`

// seededSecrets replaces cmd/generate/secrets/regen.go in the copy: the
// random secrets of the rule tests come from a seeded generator instead of
// one seeded with the clock, so an extraction is reproducible.
const seededSecrets = `package secrets

import (
	"os"
	"strconv"
	"sync/atomic"

	"github.com/lucasjones/reggen"
)

var calls atomic.Int64

func NewSecret(regex string) string {
	g, err := reggen.NewGenerator(regex)
	if err != nil {
		panic(err)
	}
	seed, _ := strconv.ParseInt(os.Getenv("GLSAMPLES_SEED"), 10, 64)
	g.SetSeed(seed*1_000_003 + calls.Add(1))
	return g.Generate(1)
}
`

// glsamples extracts gitleaks' labelled rule samples: it copies the
// gitleaks module source to a temporary directory, swaps in dumpValidate
// and seededSecrets,
// runs the config generator (which calls every rule constructor and so
// every rule's Validate), and writes the samples as JSON lines. It also
// copies the release's default config next to them. Nothing of gitleaks is
// kept in this repository; the samples are made at bench time.
func glsamples(args []string) error {
	fs := flag.NewFlagSet("glsamples", flag.ExitOnError)
	out := fs.String("out", "", "samples file to write (JSON lines)")
	cfgOut := fs.String("config", "", "also copy gitleaks' default config (gitleaks.toml) here")
	seed := fs.Int64("seed", 1, "seed of the random secrets in the samples")
	fs.Parse(args)
	if *out == "" {
		return errors.New("glsamples: -out is required")
	}
	dir, err := moduleDir(gitleaksModule)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "glsamples-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "src")
	if err := copyTree(dir, src); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(src, "cmd/generate/config/utils/validate.go"), []byte(dumpValidate), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(src, "cmd/generate/secrets/regen.go"), []byte(seededSecrets), 0o644); err != nil {
		return err
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	os.Remove(abs)
	// The generator reads its template relative to its own directory.
	cmd := exec.Command("go", "run", ".", filepath.Join(tmp, "generated.toml"))
	cmd.Dir = filepath.Join(src, "cmd/generate/config")
	cmd.Env = append(os.Environ(), "GLSAMPLES_OUT="+abs, fmt.Sprintf("GLSAMPLES_SEED=%d", *seed), "GOFLAGS=-mod=mod", "GOWORK=off")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("glsamples: run gitleaks' config generator: %w", err)
	}
	samples, err := readSamples(abs)
	if err != nil {
		return err
	}
	rules := map[string]bool{}
	n := map[string]int{}
	for _, s := range samples {
		rules[s.Rule] = true
		n[s.Label]++
	}
	fmt.Printf("gitleaks samples: %d (%d tp, %d fp) of %d rules -> %s\n", len(samples), n["tp"], n["fp"], len(rules), *out)
	if *cfgOut != "" {
		data, err := os.ReadFile(filepath.Join(dir, "config", "gitleaks.toml"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(*cfgOut, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// moduleDir downloads a module through the Go module proxy (or finds it in
// the module cache) and returns its directory.
func moduleDir(mod string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	err := cmd.Run()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(stdout.Bytes(), &info); jerr != nil || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %v %s", mod, err, info.Error)
	}
	return info.Dir, nil
}

// copyTree copies a directory of regular files (the read-only module
// cache) to a writable one.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		outf, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(outf, in); err != nil {
			outf.Close()
			return err
		}
		return outf.Close()
	})
}

func readSamples(path string) ([]labelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		var s labelled
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if s.Label != "tp" && s.Label != "fp" {
			return nil, fmt.Errorf("%s:%d: label %q", path, n, s.Label)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// samplePath is where sample i is written for scanning: its own directory,
// under the path gitleaks tested it with, if any.
func samplePath(i int, s labelled) string {
	name := "sample"
	if s.Path != "" {
		name = filepath.FromSlash(strings.TrimPrefix(s.Path, "/"))
	}
	return filepath.Join(fmt.Sprintf("%05d-%s", i, s.Label), name)
}
