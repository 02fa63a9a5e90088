package soak

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// countHandler counts the log records with a given message.
type countHandler struct {
	msg string
	n   *atomic.Int64
}

func (h countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.n.Add(1)
	}
	return nil
}
func (h countHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countHandler) WithGroup(string) slog.Handler      { return h }

// growingSampler reports a slowly growing RSS, for samples.jsonl to fill.
type growingSampler struct {
	mu sync.Mutex
	n  uint64
}

func (g *growingSampler) Sample(context.Context) (probe.Sample, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
	return probe.Sample{PID: 1, RSS: 100<<20 + g.n*4096 + (g.n%7)*1000, FDs: 10 + int(g.n%3), Threads: 4}, nil
}

// quietSteps are capSoak's steps that write no logs.
var quietSteps = []string{"lint", "vet", "fmt", "api", "docs", "e2e", "deps", "license", "fuzz", "race", "cover", "tidy", "gen", "bench", "audit", "sbom"}

// capSoak is a fast soak under capBytes of two noisy steps (with logs)
// and sixteen quiet ones (records of about 2.3 KB an iteration, so that
// the cap is pressed in few iterations: a quiet step costs its record
// line only, no file) that fails iteration failAt only.
func capSoak(t *testing.T, root string, capBytes int64, n, failAt int, opts ...Option) *Soak {
	t.Helper()
	var i atomic.Int64
	it := &Iteration{Sections: []Section{
		{Step: noisyStep{name: "build", bytes: 2 << 10}},
		{Step: noisyStep{name: "tests", bytes: 4 << 10, fail: func() bool { return int(i.Add(1)) == failAt }}},
	}}
	for _, name := range quietSteps {
		it.Sections = append(it.Sections, Section{Step: step.Func(name, func(context.Context) error { return nil })})
	}
	cfg := Config{Count: n, KeepGoing: true, KeepLogs: 3, MaxBytes: ByteSize(capBytes), ArtifactsDir: root,
		SampleInterval: artifact.Duration(10 * time.Millisecond)}
	return newSoak(t, cfg, it, append([]Option{WithHeartbeat(0), WithSampler("svc", &growingSampler{})}, opts...)...)
}

// compactCap is the byte cap of the compaction tests: the smallest cap
// allowed, so that a compaction comes every hundred iterations or so. The
// budget left while the soak runs is 512 KiB (half the cap is kept for the
// closing files), the trigger (70%) about 358 KiB of which the reserve
// file holds 64 KiB and the kept logs about 24 KiB, and each compaction
// aims at 64 KiB per file. Records alone (about 2.3 KB an iteration, see
// capSoak) then reach the first trigger within about 120 iterations and
// each later one within about 90, whatever the speed of the machine;
// samples only bring them sooner.
const compactCap = 1 << 20

// TestCompactUnderCap runs a fast soak under a 1 MiB cap long enough to
// compact several times: every iteration runs, the tree never exceeds the
// cap (the closing files included), the stop reason is recorded, and the
// failure planted in iteration 3 keeps its record and logs and is the
// summary's first failure.
func TestCompactUnderCap(t *testing.T) {
	// At least three compactions (see compactCap).
	const n = 400
	const capBytes = compactCap
	root := fastDir(t)
	var compactions atomic.Int64
	var maxSeen int64
	progress := func(p Progress) {
		if !treeWalkDue(p.Iteration) {
			return
		}
		got := treeBytes(t, root)
		maxSeen = max(maxSeen, got)
		if got > capBytes {
			t.Fatalf("iteration %d: the tree holds %d bytes > cap %d", p.Iteration, got, capBytes)
		}
	}
	logger := slog.New(countHandler{msg: "artifacts compacted", n: &compactions})
	s := capSoak(t, root, capBytes, n, 3, WithProgress(progress), WithLogger(logger))
	start := time.Now()
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	took := time.Since(start)
	if out.Stop != artifact.StopCount || out.Counts.Iterations != n || out.Counts.Failed != 1 || out.Counts.Passed != n-1 {
		t.Fatalf("outcome %+v, want %d iterations, 1 failed, stopped by the count", out, n)
	}
	if c := compactions.Load(); c < 3 {
		t.Errorf("%d compactions, want several", c)
	}
	sum, code, err := Finish(s.Layout(), nil, out)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	final := treeBytes(t, root)
	if final > capBytes {
		t.Errorf("after Finish the tree holds %d bytes > cap %d", final, capBytes)
	}
	if code == 0 || sum.FirstFailure == nil || sum.FirstFailure.Iteration != 3 || sum.Iterations.Failed != 1 || sum.Iterations.Iterations != n {
		t.Errorf("summary: code %d, first failure %+v, iterations %+v; want iteration 3 failed of %d", code, sum.FirstFailure, sum.Iterations, n)
	}
	st, err := artifact.ReadState(s.Layout().State())
	if err != nil || st.Stop != artifact.StopCount {
		t.Errorf("state.json: %+v, %v; want stop %q", st, err, artifact.StopCount)
	}
	recs := readRecords(t, s.Layout())
	var ranges, covered int
	var failed *artifact.Record
	for i := range recs {
		if recs[i].Range != nil {
			ranges++
		}
		covered += recs[i].Iterations()
		if recs[i].Iteration == 3 {
			failed = &recs[i]
		}
	}
	if covered != n || ranges == 0 || len(recs) >= n/2 {
		t.Errorf("%d records (%d ranges) cover %d iterations; want ranges covering all %d", len(recs), ranges, covered, n)
	}
	if failed == nil || failed.Range != nil || failed.Status != artifact.IterFailed || len(failed.Steps) != 2+len(quietSteps) {
		t.Fatalf("iteration 3's record %+v, want its full failed record", failed)
	}
	for _, p := range failed.Steps[1].Logs {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err != nil {
			t.Errorf("log of the failed iteration: %v", err)
		}
	}
	t.Logf("%d iterations in %v (%.0f/s); %d compactions; %d records (%d ranges); max tree %d, final %d of %d bytes; iterations.jsonl %d, samples.jsonl %d bytes",
		n, took, float64(n)/took.Seconds(), compactions.Load(), len(recs), ranges, maxSeen, final, capBytes,
		fileSize(s.Layout().Iterations()), fileSize(s.Layout().Samples()))
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return fi.Size()
}

// TestByteCapExhausted: when every iteration fails, nothing can be
// compacted and the cap is truly used up. The soak stops with
// StopByteCap, state.json keeps that reason, the verdict is not a pass,
// and the closing files still fit under the cap.
func TestByteCapExhausted(t *testing.T) {
	const capBytes = 1 << 20
	root := fastDir(t)
	// Four more failing steps, each with a long reason, make a record of
	// about 2 KB (the cap is used up in a few hundred iterations, not
	// nearly a thousand) at no cost in files.
	it := &Iteration{Sections: Sections(noisyStep{name: "flaky", bytes: 2 << 10, fail: func() bool { return true }})}
	for _, name := range []string{"api", "docs", "e2e", "load"} {
		it.Sections = append(it.Sections, Section{Step: step.Func(name, func(context.Context) error {
			return errors.New(name + " check failed: " + strings.Repeat("mismatch ", 20))
		})})
	}
	cfg := Config{Count: 100000, KeepGoing: true, MaxBytes: capBytes, ArtifactsDir: root, SampleInterval: artifact.Duration(time.Hour)}
	var maxSeen int64
	s := newSoak(t, cfg, it, WithHeartbeat(0), WithProgress(func(p Progress) {
		if treeWalkDue(p.Iteration) {
			maxSeen = max(maxSeen, treeBytes(t, root))
		}
	}))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Stop != artifact.StopByteCap || !out.Checkpointed || out.OK() || out.Counts.Iterations == 0 || out.Counts.Iterations >= cfg.Count {
		t.Fatalf("outcome %+v, want a checkpointed byte_cap stop", out)
	}
	st, err := artifact.ReadState(s.Layout().State())
	if err != nil || st.Stop != artifact.StopByteCap || st.Reason == "" {
		t.Fatalf("state.json %+v, %v; want stop %q with a reason", st, err, artifact.StopByteCap)
	}
	sum, code, err := Finish(s.Layout(), nil, out)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if code == 0 || sum.Verdict.Status == summary.Passed || sum.Run.Stop != artifact.StopByteCap {
		t.Errorf("summary verdict %q, code %d, stop %q; want a failure that names the byte cap", sum.Verdict.Status, code, sum.Run.Stop)
	}
	if got := treeBytes(t, root); got > capBytes || maxSeen > capBytes {
		t.Errorf("tree %d bytes at the end, %d at most while running; cap %d", got, maxSeen, capBytes)
	}
	t.Logf("stopped by the cap after %d iterations", out.Counts.Iterations)
}

// TestResumeAcrossCompaction stops a soak by a signal after it has
// compacted, leaves what a crash during a compaction would (a temporary
// file, the logs of compacted iterations), and resumes it: the resumed
// soak runs the rest, compacts again, keeps the early failure, and ends
// under the cap with records for every iteration exactly once.
func TestResumeAcrossCompaction(t *testing.T) {
	// The first run stops at its second compaction (see compactCap: by
	// iteration 210 or so) or after it, once half the iterations are
	// done; the rest leaves room for at least two more.
	const capBytes = compactCap
	n := 400
	root := fastDir(t)
	var compactions atomic.Int64
	logger := slog.New(countHandler{msg: "artifacts compacted", n: &compactions})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := capSoak(t, root, capBytes, n, 3, WithLogger(logger), WithProgress(func(p Progress) {
		if compactions.Load() >= 2 && p.Iteration >= n/2 {
			cancel()
		}
	}))
	out, err := s.Run(ctx)
	if out == nil || out.Stop != artifact.StopSignal {
		t.Fatalf("Run: %+v, %v; want a signal stop", out, err)
	}
	first := out.Counts.Iterations
	recs := readRecords(t, s.Layout())
	var rng *artifact.Record
	for i := range recs {
		if recs[i].Range != nil {
			rng = &recs[i]
			break
		}
	}
	if rng == nil {
		t.Fatal("no range record before the resume")
	}
	// A crash during a compaction leaves its temporary file; one between
	// the rewrite and the deletion of the logs leaves logs of iterations
	// now in a range.
	l := s.Layout()
	stale := filepath.Join(l.Dir(), ".iterations.jsonl.tmp-123")
	if err := os.WriteFile(stale, make([]byte, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	orphanLog := filepath.Join(l.IterationLogs(rng.Iteration), "build.stdout.log")
	if err := os.MkdirAll(filepath.Dir(orphanLog), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(orphanLog, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	before := compactions.Load()
	s2 := capSoak(t, root, capBytes, n, 0, WithLogger(logger), WithProgress(func(p Progress) {
		if !treeWalkDue(p.Iteration) {
			return
		}
		if got := treeBytes(t, root); got > capBytes {
			t.Fatalf("resumed iteration %d: tree %d bytes > cap %d", p.Iteration, got, capBytes)
		}
	}))
	out2, err := s2.Resume(t.Context())
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if out2.Stop != artifact.StopCount || out2.Counts.Iterations != n || out2.Counts.Failed != 1 {
		t.Fatalf("resumed outcome %+v, want all %d iterations with the one failure (first run: %d)", out2, n, first)
	}
	t.Logf("first run: %d iterations, %d compactions; resumed: %d compactions", first, before, compactions.Load()-before)
	if compactions.Load() == before {
		t.Error("the resumed soak did not compact")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file of a compaction is still there")
	}
	sum, _, err := Finish(l, nil, out2)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if sum.FirstFailure == nil || sum.FirstFailure.Iteration != 3 || sum.Iterations.Iterations != n {
		t.Errorf("summary first failure %+v, iterations %+v; want iteration 3 of %d", sum.FirstFailure, sum.Iterations, n)
	}
	if got := treeBytes(t, root); got > capBytes {
		t.Errorf("tree %d bytes > cap %d", got, capBytes)
	}
	var tally artifact.Tally
	for rec, err := range artifact.Records(l.Iterations()) {
		if err != nil {
			t.Fatal(err)
		}
		if err := tally.Add(&rec); err != nil {
			t.Fatal(err)
		}
	}
	if tally.Last != n || tally.Counts.Iterations != n {
		t.Errorf("records cover %d iterations up to %d, want %d", tally.Counts.Iterations, tally.Last, n)
	}
}

// testRunner returns a runner of the files under a fresh artifacts tree,
// enough for compactRecords and compactSamples.
func testRunner(t *testing.T, capBytes int64) *runner {
	t.Helper()
	l := artifact.Layout{Root: t.TempDir()}
	st := openTestStore(t, l, capBytes, 1)
	iters, err := jsonl.Open(l.Iterations(), false)
	if err != nil {
		t.Fatal(err)
	}
	samples, err := jsonl.Open(l.Samples(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iters.Close(); samples.Close() })
	return &runner{l: l, st: st, iters: iters, samples: samples, cfg: Config{KeepLogs: 1},
		logger: slog.New(slog.DiscardHandler)}
}

func TestCompactSamples(t *testing.T) {
	r := testRunner(t, 64<<20)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 20000
	for i := range n {
		s := probe.Sample{Time: t0.Add(time.Duration(i) * time.Second), Target: "svc", PID: 1,
			RSS: 100<<20 + uint64(i)*10 + uint64(i%5)*1000, FDs: 10}
		switch i {
		case 5000:
			s.RSS = 900 << 20 // a spike
		case 7000:
			s.RSS = 1 << 20 // a trough
		case 9000:
			s.FDs = 500
		case 12000:
			s.Gone = true
		}
		if err := r.st.appendLine(r.samples, s); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 { // a second target, sampled less often
			if err := r.st.appendLine(r.samples, probe.Sample{Time: s.Time, Target: "self", RSS: 20 << 20, Goroutines: 5 + i%3}); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := r.samples.Size()
	target := before / 10
	if err := r.compactSamples(target); err != nil {
		t.Fatal(err)
	}
	after := r.samples.Size()
	if after > target*3/2 || after < target/4 {
		t.Errorf("samples.jsonl %d bytes after thinning %d to about %d", after, before, target)
	}
	if used, _, _ := r.st.usage(); used != treeBytes(t, r.l.Root) {
		t.Errorf("accounted %d bytes, tree holds %d", used, treeBytes(t, r.l.Root))
	}
	var kept []probe.Sample
	for s, err := range artifact.Samples(r.l.Samples()) {
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, s)
	}
	has := func(what string, ok func(probe.Sample) bool) {
		t.Helper()
		if !slices.ContainsFunc(kept, ok) {
			t.Errorf("the %s was thinned out", what)
		}
	}
	has("spike", func(s probe.Sample) bool { return s.RSS == 900<<20 })
	has("trough", func(s probe.Sample) bool { return s.RSS == 1<<20 })
	has("FD peak", func(s probe.Sample) bool { return s.FDs == 500 })
	has("gone sample", func(s probe.Sample) bool { return s.Gone })
	has("first svc sample", func(s probe.Sample) bool { return s.Target == "svc" && s.Time.Equal(t0) })
	has("self target", func(s probe.Sample) bool { return s.Target == "self" })
	last := map[string]time.Time{}
	for _, s := range kept {
		if s.Time.Before(last[s.Target]) {
			t.Fatalf("samples of %s out of order after thinning", s.Target)
		}
		last[s.Target] = s.Time
	}
	// Appends go on into the new file.
	if err := r.st.appendLine(r.samples, probe.Sample{Time: t0.Add(n * time.Second), Target: "svc", RSS: 1}); err != nil {
		t.Fatal(err)
	}
	if got := fileSize(r.l.Samples()); got != r.samples.Size() {
		t.Errorf("file %d bytes, appender %d", got, r.samples.Size())
	}
}

func TestCompactRecords(t *testing.T) {
	r := testRunner(t, 64<<20)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 2000
	bad := map[int]artifact.IterStatus{100: artifact.IterFailed, 101: artifact.IterTimedOut, 700: artifact.IterCut, 1500: artifact.IterInterrupted}
	for i := 1; i <= n; i++ {
		rec := &artifact.Record{Iteration: i, Start: t0.Add(time.Duration(i) * time.Second), Status: artifact.IterPassed, Result: "OK",
			Steps: []artifact.StepRecord{{Name: "build", Status: step.Passed, OK: true, DurationMS: int64(10 + i%7), Attempts: 1,
				Tests: []artifact.TestRecord{{Package: "p", Test: "TestA", Status: step.Passed}, {Package: "p", Test: "TestB", Status: step.Skipped}},
				Steps: []artifact.StepRecord{{Name: "vet", Status: step.Passed, OK: true, DurationMS: 3, Attempts: 1}}},
				{Name: "lint", Status: step.Skipped, Attempts: 0}},
			Resources: map[string]artifact.Figures{"self": {RSS: uint64(1000 + i), FDs: 3 + i%2}}}
		rec.End = rec.Start.Add(time.Duration(rec.Steps[0].DurationMS) * time.Millisecond)
		rec.DurationMS = rec.Steps[0].DurationMS
		if i == 300 { // passed, but a step left a process behind
			rec.Steps[0].Leftovers = []artifact.Process{{PID: 9}}
		}
		if s, ok := bad[i]; ok {
			rec.Status, rec.Result = s, "FAIL"
			rec.Steps[0].Status, rec.Steps[0].OK = step.Failed, false
		}
		if err := r.st.appendLine(r.iters, rec); err != nil {
			t.Fatal(err)
		}
		r.state.Counts.Add(rec)
	}
	want := r.state.Counts
	before := r.iters.Size()
	if err := r.compactRecords(before / 20); err != nil {
		t.Fatal(err)
	}
	if after := r.iters.Size(); after > before/10 {
		t.Errorf("iterations.jsonl %d bytes after compacting %d", after, before)
	}
	var tally artifact.Tally
	var durations artifact.Sketch
	var vetRuns, testA, testB, inRanges int
	full := map[int]bool{}
	for rec, err := range artifact.Records(r.l.Iterations()) {
		if err != nil {
			t.Fatal(err)
		}
		if err := tally.Add(&rec); err != nil {
			t.Fatal(err)
		}
		if rec.Range == nil {
			full[rec.Iteration] = true
			continue
		}
		if rec.Range.Count > r.cmp.span || (rec.Iteration-1)/r.cmp.span != (rec.Range.Last-1)/r.cmp.span {
			t.Errorf("range %d-%d crosses a block of %d", rec.Iteration, rec.Range.Last, r.cmp.span)
		}
		inRanges += rec.Range.Count
		for _, st := range rec.Range.Steps {
			switch st.Name {
			case "build":
				durations.Merge(&st.Duration)
				for _, tr := range st.Tests {
					testA += tr.Statuses[step.Passed] * b2i(tr.Test == "TestA")
					testB += tr.Statuses[step.Skipped] * b2i(tr.Test == "TestB")
				}
			case "build/vet":
				vetRuns += st.Statuses[step.Passed]
			}
		}
	}
	if tally.Counts != want || tally.Last != n {
		t.Errorf("records count %+v up to %d, want %+v up to %d", tally.Counts, tally.Last, want, n)
	}
	for _, i := range []int{100, 101, 300, 700, 1500} {
		if !full[i] {
			t.Errorf("iteration %d lost its full record", i)
		}
	}
	for i := n - recentKept + 1; i <= n; i++ {
		if !full[i] {
			t.Errorf("recent iteration %d was compacted", i)
		}
	}
	if vetRuns != inRanges || testA != inRanges || testB != inRanges {
		t.Errorf("ranges of %d iterations count %d runs of build/vet, %d passes of TestA, %d skips of TestB", inRanges, vetRuns, testA, testB)
	}
	if durations.Count() < n-recentKept-10 || durations.Min() != 10 || durations.Max() != 16 {
		t.Errorf("build durations in ranges: n %d, min %g, max %g", durations.Count(), durations.Min(), durations.Max())
	}
	// Compacting again changes nothing but may widen the blocks.
	size := r.iters.Size()
	if err := r.compactRecords(size); err != nil {
		t.Fatal(err)
	}
	if r.iters.Size() > size {
		t.Errorf("a second compaction grew the file from %d to %d bytes", size, r.iters.Size())
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestCompactionFailureFailsRun: a compaction whose new file cannot be
// written (an I/O error on the temporary file) is a write failure. The soak
// stops with write_failed at once, its files are as they were (every
// record there, no temporary file left), the tree stays under the cap,
// and the run is judged failed, never green.
func TestCompactionFailureFailsRun(t *testing.T) {
	// The first compaction comes well before the last iteration (see
	// compactCap).
	const capBytes = compactCap
	const n = 400
	root := fastDir(t)
	var failedWrites, compactions atomic.Int64
	fault := withWriteFault(func(path string) error {
		if strings.HasSuffix(path, ".tmp-") {
			failedWrites.Add(1)
			return errTest
		}
		return nil
	})
	logger := slog.New(countHandler{msg: "artifacts compacted", n: &compactions})
	s := capSoak(t, root, capBytes, n, 3, fault, WithLogger(logger), WithProgress(func(p Progress) {
		if !treeWalkDue(p.Iteration) {
			return
		}
		if got := treeBytes(t, root); got > capBytes {
			t.Fatalf("iteration %d: tree %d bytes > cap %d", p.Iteration, got, capBytes)
		}
	}))
	out, err := s.Run(t.Context())
	if !errors.Is(err, ErrWriteFailed) || !errors.Is(err, errTest) {
		t.Errorf("Run error = %v, want one wrapping ErrWriteFailed and the I/O error", err)
	}
	if out == nil {
		t.Fatal("Run returned no Outcome")
	}
	if failedWrites.Load() == 0 || compactions.Load() != 1 {
		t.Fatalf("%d failed temporary writes, %d compactions; want the first compaction to fail", failedWrites.Load(), compactions.Load())
	}
	if out.OK() || out.Stop != artifact.StopWriteFailed || len(out.WriteFailures) == 0 || out.Counts.Iterations >= n {
		t.Errorf("outcome: OK %v, stop %q, write failures %q, %d iterations; want not OK, %q at the failed compaction",
			out.OK(), out.Stop, out.WriteFailures, out.Counts.Iterations, artifact.StopWriteFailed)
	}
	if tmps, _ := filepath.Glob(filepath.Join(root, "soak", ".*.tmp-*")); len(tmps) > 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
	var tally artifact.Tally
	for rec, err := range artifact.Records(s.Layout().Iterations()) {
		if err != nil {
			t.Fatal(err)
		}
		if rec.Range != nil {
			t.Errorf("range record %d-%d written by a failed compaction", rec.Iteration, rec.Range.Last)
		}
		if err := tally.Add(&rec); err != nil {
			t.Fatal(err)
		}
	}
	if tally.Counts != out.Counts {
		t.Errorf("records count %+v, outcome %+v", tally.Counts, out.Counts)
	}
	sum, code, err := Finish(s.Layout(), nil, out)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if code == summary.ExitHealthy || sum.Run.Stop != artifact.StopWriteFailed || sum.Verdict.Status == summary.Passed {
		t.Errorf("Finish: code %d, stop %q, verdict %s; want a failed run stopped by the write failure", code, sum.Run.Stop, sum.Verdict.Status)
	}
	if got := treeBytes(t, root); got > capBytes {
		t.Errorf("after Finish the tree holds %d bytes > cap %d", got, capBytes)
	}
}
