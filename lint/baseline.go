package lint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/soakkit/soakkit/internal/configfile"

	"github.com/soakkit/soakkit/internal/canonjson"
)

// A Baseline lists accepted findings by fingerprint. Findings in the
// baseline are reported with Baselined set and never fail a run, which
// lets a project adopt a rule before it has fixed every old violation.
type Baseline struct {
	Version  int             `json:"version"` // 1
	Findings []BaselineEntry `json:"findings"`
}

// A BaselineEntry is one accepted finding. Only Fingerprint is matched;
// the other fields are for people reading the file.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Message     string `json:"message"`
}

// NewBaseline returns a baseline accepting every finding of r.
func NewBaseline(r *Report) *Baseline {
	b := &Baseline{Version: 1, Findings: []BaselineEntry{}}
	for _, f := range r.Findings {
		if f.Rule == "lint/unused-suppression" {
			continue
		}
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Path: f.Path, Message: f.Message})
	}
	slices.SortFunc(b.Findings, func(x, y BaselineEntry) int {
		return strings.Compare(x.Path+"\x00"+x.Fingerprint, y.Path+"\x00"+y.Fingerprint)
	})
	return b
}

// WriteBaseline writes the baseline of r to path atomically, as canonical JSON.
func WriteBaseline(path string, r *Report) error {
	return canonjson.WriteFile(path, NewBaseline(r))
}

// ReadBaseline reads a baseline file. A missing file is an empty baseline.
func ReadBaseline(path string) (*Baseline, error) {
	data, err := configfile.Read(path, configfile.MaxBaseline)
	if errors.Is(err, fs.ErrNotExist) {
		return &Baseline{Version: 1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lint: baseline: %w", err)
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%w: baseline %s: %v", ErrUsage, path, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("%w: baseline %s: unsupported version %d", ErrUsage, path, b.Version)
	}
	return &b, nil
}

// baselinePath resolves the baseline file of a run, or "".
func (r *runner) baselinePath() string {
	if p := r.opts.Baseline; p != "" {
		if !filepath.IsAbs(p) {
			p = filepath.Join(r.dir, p)
		}
		return p
	}
	p := r.cfg.Baseline
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if r.cfg.File != "" {
		return filepath.Join(filepath.Dir(r.cfg.File), p)
	}
	return filepath.Join(r.dir, p)
}

func (r *runner) applyBaseline() error {
	p := r.baselinePath()
	if p == "" {
		return nil
	}
	b, err := ReadBaseline(p)
	if err != nil {
		return err
	}
	accepted := map[string]bool{}
	for _, e := range b.Findings {
		accepted[e.Fingerprint] = true
	}
	for i := range r.report.Findings {
		if accepted[r.report.Findings[i].Fingerprint] {
			r.report.Findings[i].Baselined = true
		}
	}
	return nil
}
