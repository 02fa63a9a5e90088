package soak

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// checkManifestCovers fails unless the manifest of the tree at l lists
// every file of the tree but itself, with the right hashes.
func checkManifestCovers(t testing.TB, l artifact.Layout) {
	t.Helper()
	var m artifact.Manifest
	if err := readJSON(l.Manifest(), &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if err := m.Verify(l.Root); err != nil {
		t.Errorf("manifest does not match the tree: %v", err)
	}
	var listed, files []string
	for _, f := range m.Files {
		listed = append(listed, f.Path)
	}
	filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && p != l.Manifest() {
			rel, _ := filepath.Rel(l.Root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(files)
	if diff := cmp.Diff(files, listed); diff != "" {
		t.Errorf("manifest coverage (-files in the tree +listed):\n%s", diff)
	}
}

// A real soak, closed by Finish: every output is written, they agree with
// each other, and the manifest covers them all.
func TestFinishRealSoak(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "artifacts")
	calls := 0
	work := step.Func("work", func(ctx context.Context) error {
		calls++
		select {
		case <-time.After(30 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
		if calls == 4 {
			return errors.New("planted failure in call 4")
		}
		return nil
	})
	check := step.Func("check", func(context.Context) error { return nil })
	s := newSoak(t, Config{Count: 6, KeepGoing: true, ArtifactsDir: dir, SampleInterval: artifact.Duration(10 * time.Millisecond)},
		&Iteration{Sections: Sections(work, check)}, WithHeartbeat(0))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	sum, code, err := Finish(s.Layout(), nil, out)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if code != summary.ExitFailures || sum.Verdict.Status != summary.Failed || sum.Iterations.Failed != 1 {
		t.Errorf("Finish = %s, exit %d, %d failed; want failed, 1, 1", sum.Verdict.Status, code, sum.Iterations.Failed)
	}
	l := s.Layout()
	var onDisk summary.Summary
	if err := readJSON(l.Summary(), &onDisk); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sum.Verdict, onDisk.Verdict); diff != "" {
		t.Errorf("summary.json verdict mismatch (-returned +on disk):\n%s", diff)
	}
	md, err := os.ReadFile(l.SummaryMarkdown())
	if err != nil || !strings.Contains(string(md), "(report.html)") {
		t.Errorf("summary.md does not link report.html (read error %v)", err)
	}
	page, err := os.ReadFile(l.HTMLReport())
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`<p class="word">([^<]*)</p>`).FindSubmatch(page); m == nil || string(m[1]) != "FAILED" {
		t.Errorf("report verdict %q, want FAILED as in summary.json", m)
	}
	for _, want := range []string{
		`id="chart-res-self-rss"`, `id="chart-res-self-goroutines"`, // the soak's own process, sampled in-process
		`id="chart-step-work"`, `id="chart-step-check"`,
		`id="iter-4"`, "planted failure in call 4",
		"6 run: 5 passed, 1 failed",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report of a real soak lacks %q", want)
		}
	}
	if strings.Contains(string(page), "Some artifacts could not be read") {
		t.Errorf("report of a real soak could not read some artifacts")
	}
	if _, err := os.Stat(l.JUnit()); err != nil {
		t.Errorf("junit.xml: %v", err)
	}
	checkManifestCovers(t, l)
}

// A soak stopped by a signal is never a pass, whoever closes it: the
// summary says stopped, and the status is 130.
func TestFinishSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := newSoak(t, Config{Duration: artifact.Duration(time.Hour), ArtifactsDir: fastDir(t), SampleInterval: artifact.Duration(time.Hour)},
		&Iteration{Sections: Sections(step.Func("ok", func(context.Context) error { return nil }))},
		WithHeartbeat(time.Hour), WithProgress(func(Progress) { cancel() }))
	out, err := s.Run(ctx)
	if !errors.Is(err, context.Canceled) || out == nil || out.Stop != artifact.StopSignal {
		t.Fatalf("Run after cancel = %+v, %v; want a signal stop", out, err)
	}
	sum, code, err := Finish(s.Layout(), nil, out)
	if err != nil {
		t.Fatal(err)
	}
	if code != summary.ExitSignal || sum.Verdict.Status != summary.Stopped || !strings.Contains(sum.Verdict.Reason, "signal") {
		t.Errorf("Finish after a signal = %s, exit %d (%s); want stopped, 130", sum.Verdict.Status, code, sum.Verdict.Reason)
	}
	var onDisk summary.Summary
	if err := readJSON(s.Layout().Summary(), &onDisk); err != nil || onDisk.Verdict.Status != summary.Stopped || onDisk.Verdict.ExitCode != summary.ExitSignal {
		t.Errorf("summary.json verdict %+v (read error %v), want stopped with exit code 130", onDisk.Verdict, err)
	}
	checkManifestCovers(t, s.Layout())
}

// Finish writes nothing when the artifacts cannot be judged, or when they
// do not record how the run ended; the status is never 0.
func TestFinishRefuses(t *testing.T) {
	tests := []struct {
		name     string
		damage   func(l artifact.Layout) error
		out      func(o Outcome) *Outcome
		wantCode int
	}{
		{name: "repeated record", wantCode: summary.ExitBadArtifacts, damage: func(l artifact.Layout) error {
			b, err := os.ReadFile(l.Iterations())
			if err != nil {
				return err
			}
			first := b[:strings.IndexByte(string(b), '\n')+1]
			return os.WriteFile(l.Iterations(), append(b, first...), 0o644)
		}},
		{name: "missing records", wantCode: summary.ExitBadArtifacts, damage: func(l artifact.Layout) error { return os.Remove(l.Iterations()) }},
		{name: "corrupt state", wantCode: summary.ExitBadArtifacts, damage: func(l artifact.Layout) error {
			return os.WriteFile(l.State(), []byte(`{"version":1,"counts":`), 0o644)
		}},
		{name: "stale state", wantCode: summary.ExitFailures, out: func(o Outcome) *Outcome {
			o.Stop, o.Reason = artifact.StopError, "write state.json: no space left on device"
			return &o
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSoak(t, Config{Count: 2, ArtifactsDir: fastDir(t), SampleInterval: artifact.Duration(time.Hour)},
				&Iteration{Sections: Sections(step.Func("ok", func(context.Context) error { return nil }))}, WithHeartbeat(0))
			out, err := s.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			l := s.Layout()
			if tt.damage != nil {
				if err := tt.damage(l); err != nil {
					t.Fatal(err)
				}
			}
			if tt.out != nil {
				out = tt.out(*out)
			}
			_, code, err := Finish(l, nil, out)
			if err == nil || code != tt.wantCode {
				t.Errorf("Finish = exit %d, error %v; want exit %d and an error", code, err, tt.wantCode)
			}
			for _, p := range []string{l.Summary(), l.SummaryMarkdown(), l.JUnit(), l.HTMLReport()} {
				if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Finish wrote %s (stat: %v)", filepath.Base(p), err)
				}
			}
		})
	}
}

// TestFinishPageFitsCap: when little room is left under the byte cap at
// the end (here a file of someone else's takes most of it), Finish draws
// report.html shorter, says so on the page, and the whole tree, manifest
// included, stays under the cap; with no room for even the shortest page,
// Finish fails rather than exceed the cap.
func TestFinishPageFitsCap(t *testing.T) {
	const capBytes = 2 << 20
	root := fastDir(t)
	s := capSoak(t, root, capBytes, 60, 3)
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	l := s.Layout()
	if _, _, err := Finish(l, nil, out); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	full := fileSize(l.HTMLReport())
	if b, _ := os.ReadFile(l.HTMLReport()); strings.Contains(string(b), "This page was shortened") {
		t.Fatalf("the page was shortened with room to spare")
	}
	// Leave room for three quarters of the full page (and the manifest).
	filler := filepath.Join(root, "filler.bin")
	fill := func(room int64) {
		t.Helper()
		os.Remove(filler)
		os.Remove(l.HTMLReport())
		size := capBytes - treeBytes(t, root) - room
		if err := os.WriteFile(filler, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest := fileSize(l.Manifest()) + 1024
	fill(manifest + full*3/4)
	if _, _, err := Finish(l, nil, out); err != nil {
		t.Fatalf("Finish with room for 3/4 of the page: %v", err)
	}
	b, err := os.ReadFile(l.HTMLReport())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "This page was shortened") || int64(len(b)) > full*3/4 {
		t.Errorf("page of %d bytes (full %d) in room for %d; want a shortened page that fits", len(b), full, full*3/4)
	}
	if got := treeBytes(t, root); got > capBytes {
		t.Errorf("tree %d bytes > cap %d", got, capBytes)
	}
	checkManifestCovers(t, l)

	fill(manifest + 1000)
	_, code, err := Finish(l, nil, out)
	if err == nil || code == summary.ExitHealthy {
		t.Errorf("Finish with no room for the page: code %d, error %v; want an error", code, err)
	}
	if got := treeBytes(t, root); got > capBytes {
		t.Errorf("tree %d bytes > cap %d", got, capBytes)
	}
}
