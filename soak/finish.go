package soak

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/report"
	"github.com/soakkit/soakkit/soak/summary"
)

// Finish closes a soak, whoever ran it: the soakkit command, a soaktest
// suite or a program of its own. It judges the artifacts tree l with cfg
// (nil: the summary's defaults), writes soak/summary.json, soak/summary.md
// (linking report.html), soak/junit.xml and soak/report.html, and rewrites
// soak/manifest.json so that it covers all of them. It returns the summary
// and the exit status of the run, from the summary: 0 only for a soak that
// passed, 1 for failures or a soak that did not complete, 3 for a leak or
// slowdown, 130 for a soak stopped by a signal (see summary.ExitCode).
//
// out is what [Soak.Run] or [Soak.Resume] returned, or nil to judge
// artifacts alone (a soak that ran elsewhere, or crashed). When out is given
// and the artifacts do not record how the soak ended (the final state.json
// could not be written: [Outcome.Checkpointed] is false, or it disagrees
// with out), Finish writes nothing, since a summary would judge a run that
// is not the one that happened, and returns an error with status 1 (and a
// nil summary when the checkpoint is missing).
//
// If the artifacts cannot be judged (damaged, missing or inconsistent
// records: see summary.Compute), Finish writes nothing, so earlier outputs
// stay, and returns a nil summary, [summary.ExitBadArtifacts] and the
// error. Any file that cannot be written is reported in the error, which
// joins them all, and a status that would have been 0 becomes 1; so does
// a tree that ends over the byte cap its state.json records (the engine
// keeps room for these files, so that takes files of someone else's). The
// artifacts are read once, for the summary and the report together, and
// report.html takes at most what is left under the cap once the other
// files and the manifest are counted: a page that would not fit is drawn
// shorter and says so (see report.Options.MaxBytes).
//
// Finish does not depend on a context: it is the closing work of a soak,
// and runs to its end after a Ctrl+C.
func Finish(l artifact.Layout, cfg *summary.Config, out *Outcome) (*summary.Summary, int, error) {
	if out != nil && !out.Checkpointed {
		// state.json does not say how the soak ended: a summary of these
		// artifacts would judge a run that is not the one that happened.
		return nil, summary.ExitFailures, fmt.Errorf("soak: finish: the final state.json could not be written (%s: %s); the artifacts are incomplete and were not judged",
			out.Stop, out.Reason)
	}
	var c summary.Config
	if cfg != nil {
		c = *cfg
	}
	if c.ReportURL == "" {
		// The report is written next, so summary.md links it now.
		c.ReportURL = l.HTMLReportLink()
	}
	// One pass over the artifacts judges the run and gathers what the
	// report draws.
	run, err := report.Read(l.Root, &c)
	if err != nil {
		return nil, summary.ExitBadArtifacts, fmt.Errorf("soak: finish: %w", err)
	}
	s := run.Summary
	code := s.ExitCode()
	if out != nil {
		if err := agrees(s, out); err != nil {
			return s, max(code, summary.ExitFailures), fmt.Errorf("soak: finish: %w", err)
		}
	}
	var errs []error
	if err := s.WriteFiles(l.Root); err != nil {
		errs = append(errs, err)
	}
	// The page takes what is left under the cap, less the room the
	// manifest needs; a page that would not fit is drawn shorter.
	if err := run.WriteFile(&report.Options{MaxBytes: pageRoom(l)}); err != nil {
		errs = append(errs, err)
	}
	if _, err := artifact.WriteManifest(l); err != nil {
		errs = append(errs, err)
	}
	if err := withinCap(l); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 && code == summary.ExitHealthy {
		code = summary.ExitFailures // a pass whose evidence is not all written is no pass
	}
	return s, code, errors.Join(errs...)
}

// pageRoom returns the most bytes report.html may take under the byte cap
// state.json records: the cap less every other file of the tree (an
// earlier report.html and manifest excluded, since they are replaced) and
// the room the manifest will take. Without a cap to hold to it is 0, no
// limit.
func pageRoom(l artifact.Layout) int64 {
	maxBytes := capOf(l)
	if maxBytes <= 0 {
		return 0
	}
	var used, manifest int64
	page, mf := filepath.Clean(l.HTMLReport()), filepath.Clean(l.Manifest())
	files := 2 // the page and the manifest itself
	filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if p = filepath.Clean(p); p != page && p != mf {
			if info, err := d.Info(); err == nil {
				used += info.Size()
			}
		}
		files++
		manifest += int64(len(p) - len(l.Root))
		return nil
	})
	// An entry is its path, its size and a hex SHA-256 in a JSON object.
	manifest += int64(files) * manifestEntry
	return max(maxBytes-used-manifest, 1)
}

// manifestEntry bounds the bytes of one manifest entry besides its path.
const manifestEntry = 160

// capOf returns the byte cap the state.json of l records, or 0.
func capOf(l artifact.Layout) int64 {
	st, err := artifact.ReadState(l.State())
	if err != nil || len(st.Config) == 0 {
		return 0
	}
	var cfg Config
	if json.Unmarshal(st.Config, &cfg) != nil {
		return 0
	}
	return int64(cfg.withDefaults().MaxBytes)
}

// withinCap reports an error if the artifacts tree l, closing files
// included, holds more than the byte cap its state.json records: the
// engine keeps room for them, and a tree over its cap is no pass.
func withinCap(l artifact.Layout) error {
	maxBytes := capOf(l)
	if maxBytes <= 0 {
		return nil // judged without a checkpoint: no cap to hold to
	}
	used, err := treeSize(l.Root)
	if err != nil {
		return fmt.Errorf("soak: finish: %w", err)
	}
	if used > maxBytes {
		return fmt.Errorf("soak: finish: the artifacts hold %d bytes, over the %d-byte cap (max_bytes)", used, maxBytes)
	}
	return nil
}

// treeSize returns the total size of the regular files under root.
func treeSize(root string) (int64, error) {
	var n int64
	err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n, err
}

// agrees reports whether the artifacts record the end the running process
// saw: its stop reason, at least its failed iterations, and a failed
// service.
func agrees(s *summary.Summary, out *Outcome) error {
	switch {
	case s.Run.Stop != out.Stop:
		return fmt.Errorf("state.json records the stop reason %q, but the soak stopped for %q (%s): the checkpoint was not written",
			s.Run.Stop, out.Stop, out.Reason)
	case s.Iterations.Failed < out.Counts.Failed:
		return fmt.Errorf("iterations.jsonl records %d failed iterations, but %d failed: records were not written",
			s.Iterations.Failed, out.Counts.Failed)
	case out.Service.Failed() && !s.Run.Service.Failed() && s.Run.Stop != artifact.StopServiceExited && s.Run.Stop != artifact.StopServiceFailed:
		return errors.New("state.json does not record that the service failed: the checkpoint was not written")
	}
	return nil
}
