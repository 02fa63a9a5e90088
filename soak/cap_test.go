package soak

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// TestByteCapNoisy runs 500 noisy iterations (about 12 MB of output in
// all, one in seven failing) under a 2 MiB cap: the artifacts tree never
// exceeds it, the oldest passing logs go first, failing iterations' logs
// outlive passing ones and go oldest first once they alone fill the cap,
// and every iteration is recorded.
//
// Passing logs are rotated (KeepLogs) whatever the cap; what presses the
// cap is the failing iterations' logs, 24 KiB each: 71 of them, 1.7 MB,
// against the 1.25 MiB logs may use under a 2 MiB cap (the cap minus the
// closing room and the headroom kept for records), so the oldest are
// evicted, as they are in a long soak under any cap. The tree also
// reaches the compaction trigger: records are compacted a few times.
func TestByteCapNoisy(t *testing.T) {
	const n = 500
	const capBytes = 2 << 20
	root := fastDir(t)
	var i int
	it := &Iteration{Sections: []Section{
		{Step: noisyStep{name: "build", bytes: 8 << 10}},
		{Step: noisyStep{name: "tests", bytes: 16 << 10, fail: func() bool { i++; return i%7 == 0 }}},
	}}
	// One sample at the start only, so that no sample lands between the
	// accounting and the tree walk below.
	cfg := Config{Count: n, KeepGoing: true, KeepLogs: 3, MaxBytes: capBytes, ArtifactsDir: root, SampleInterval: artifact.Duration(time.Hour)}
	var maxSeen int64
	checks := 0
	var s *Soak
	progress := func(p Progress) {
		maxSeen = max(maxSeen, p.Bytes)
		if p.Bytes > capBytes {
			t.Fatalf("iteration %d: accounted %d bytes > cap %d", p.Iteration, p.Bytes, capBytes)
		}
		if p.Iteration%50 == 0 {
			checks++
			if got := treeBytes(t, root); got > capBytes || got != p.Bytes {
				t.Fatalf("iteration %d: tree holds %d bytes, accounted %d, cap %d", p.Iteration, got, p.Bytes, capBytes)
			}
		}
	}
	s = newSoak(t, cfg, it, WithHeartbeat(0), WithProgress(progress))
	start := time.Now()
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	took := time.Since(start)
	if got := treeBytes(t, root); got > capBytes {
		t.Errorf("final tree %d bytes > cap %d", got, capBytes)
	}
	if out.Stop != artifact.StopCount || out.Counts.Iterations != n {
		t.Fatalf("outcome %+v, want %d iterations and a count stop", out, n)
	}
	// Compaction merges older passing iterations into range records: every
	// iteration is still recorded once.
	status := map[int]artifact.IterStatus{}
	for _, rec := range readRecords(t, s.Layout()) {
		for k := rec.Iteration; k <= rec.LastIteration(); k++ {
			status[k] = rec.Status
		}
	}
	if len(status) != n {
		t.Fatalf("records of %d iterations, want %d", len(status), n)
	}
	// Which iterations still have logs?
	entries, err := os.ReadDir(s.Layout().Logs())
	if err != nil {
		t.Fatal(err)
	}
	var passKept, failKept []int
	oldestFail := n + 1
	for _, e := range entries {
		k, ok := parseIterationDir(e.Name())
		if !ok {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(s.Layout().IterationLogs(k), "*"))
		if len(files) == 0 {
			t.Errorf("empty log directory %s left behind", e.Name())
		}
		if status[k] == artifact.IterPassed {
			passKept = append(passKept, k)
		} else {
			failKept = append(failKept, k)
			oldestFail = min(oldestFail, k)
		}
	}
	if len(passKept) > cfg.KeepLogs {
		t.Errorf("passing iterations with logs %v, want at most %d", passKept, cfg.KeepLogs)
	}
	for _, k := range passKept {
		if k <= n-7*cfg.KeepLogs {
			t.Errorf("passing iteration %d kept, older than the last %d", k, cfg.KeepLogs)
		}
	}
	if len(failKept) == 0 || failKept[len(failKept)-1] != n-n%7 {
		t.Errorf("failing iterations with logs %v..., want the newest failing one (%d) kept", head(failKept), n-n%7)
	}
	for k := oldestFail; k <= n; k++ { // kept failing logs are a contiguous newest range
		if status[k] != artifact.IterPassed {
			if _, err := os.Stat(s.Layout().IterationLogs(k)); err != nil {
				t.Errorf("failing iteration %d lost its logs while older failing iteration %d kept them", k, oldestFail)
				break
			}
		}
	}
	if oldestFail <= 7 {
		t.Error("the first failing iteration's logs were not evicted; the test did not press the cap")
	}
	t.Logf("%d iterations in %v (%v each); max accounted %d of %d bytes; %d failing and %d passing iterations' logs kept; evicted %d, dropped %d, %d tree checks",
		n, took, took/time.Duration(n), maxSeen, capBytes, len(failKept), len(passKept), out.Evicted, out.Dropped, checks)
}

func head(s []int) []int { return s[:min(len(s), 5)] }

// TestByteCapDropsLogOutput: with nothing left to evict, log output is cut
// (with a note), records are still written, and the cap holds.
func TestByteCapDropsLogOutput(t *testing.T) {
	root := t.TempDir()
	const capBytes = 1 << 20
	it := &Iteration{Sections: Sections(noisyStep{name: "flood", bytes: 4 << 20})}
	cfg := Config{Count: 2, KeepGoing: true, MaxBytes: capBytes, ArtifactsDir: root}
	s := newSoak(t, cfg, it, WithHeartbeat(0))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := treeBytes(t, root); got > capBytes {
		t.Errorf("tree %d bytes > cap %d", got, capBytes)
	}
	if out.Dropped == 0 || out.Counts.Iterations != 2 {
		t.Errorf("outcome %+v, want dropped output and 2 iterations", out)
	}
	b, err := os.ReadFile(filepath.Join(s.Layout().IterationLogs(2), "flood.stdout.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "bytes of output dropped") {
		t.Errorf("log does not say output was dropped; ends %q", string(b[max(0, len(b)-200):]))
	}
}

// TestByteCapKeepsTail: a step whose log output is cut by the byte cap
// still has its last line and its tail in the iteration's record; only
// the log file loses the output.
func TestByteCapKeepsTail(t *testing.T) {
	const capBytes = 1 << 20
	spew := step.Command{Name: "spew", Argv: helperArgv(t, "spew", "2000000"), Env: helperEnv("spew")}
	cfg := Config{Count: 1, MaxBytes: capBytes, ArtifactsDir: t.TempDir(), SampleInterval: artifact.Duration(time.Hour)}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(spew.Step())})
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if out.Dropped == 0 {
		t.Fatalf("outcome %+v: nothing dropped; the test needs output over the cap", out)
	}
	recs := readRecords(t, s.Layout())
	if len(recs) != 1 || len(recs[0].Steps) != 1 {
		t.Fatalf("records %+v, want one iteration with one step", recs)
	}
	sr := recs[0].Steps[0]
	if sr.Status != step.Failed || sr.Details != "final words" || !strings.Contains(sr.Tail, "final words") {
		t.Errorf("step record: status %q details %q tail ends %q; want failed with its last line kept",
			sr.Status, sr.Details, sr.Tail[max(0, len(sr.Tail)-40):])
	}
	if got := treeBytes(t, s.Layout().Root); got > capBytes {
		t.Errorf("tree holds %d bytes > cap %d", got, capBytes)
	}
}
