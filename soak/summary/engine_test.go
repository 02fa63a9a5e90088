package summary_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// helper is the child program the engine tests run as their service: the
// test binary re-executed with SUMMARY_TEST_HELPER set.
func helper(name string) int {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var kept [][]byte
	rng := rand.New(rand.NewPCG(1, 2))
	for {
		select {
		case <-sig:
			return 0
		case <-tick.C:
		}
		switch name {
		case "leak": // 1 MiB more every 100 ms, touched so it is resident; capped at 400 MiB
			if len(kept) < 400 {
				kept = append(kept, touch(1<<20))
			}
		case "stable": // 0-4 MiB of garbage every 100 ms, plus a 4 MiB working set rewritten in place
			if kept == nil {
				kept = append(kept, touch(4<<20))
			}
			_ = touch(rng.IntN(4 << 20))
			for i := 0; i < len(kept[0]); i += 4096 {
				kept[0][i]++
			}
		default:
			return 2
		}
	}
}

func touch(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		b[i] = 1
	}
	return b
}

// enginePolicy judges the short engine runs: 3 s blocks, a 16 MiB budget
// and a 10 MiB/min floor, with the test binary itself ("self", under -race
// the race runtime's memory) ignored: it is not the software under test.
var enginePolicy = summary.LeakConfig{
	Policies: map[probe.Metric]summary.LeakPolicy{probe.RSS: {
		Floor: 10 * probe.MiB, Budget: 16 * probe.MiB, BudgetFrac: -1,
		Block: artifact.Duration(3 * time.Second), Warmup: artifact.Duration(2 * time.Second),
	}},
	Ignore: []string{artifact.Self},
}

// soakService soaks the helper program as a service for d, sampled every
// 100 ms, with a trivial plan, and summarises the artifacts.
func soakService(t *testing.T, helperName string, d time.Duration) *summary.Summary {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := soak.Config{
		Duration: artifact.Duration(d), SampleInterval: artifact.Duration(100 * time.Millisecond),
		StopGrace: artifact.Duration(2 * time.Second), ArtifactsDir: dir, KeepGoing: true,
		Service: &soak.Service{Name: "app", Argv: []string{exe, "-test.run=^$"},
			Env: []string{"SUMMARY_TEST_HELPER=" + helperName, "GORACE=atexit_sleep_ms=0"}},
	}
	work := step.Func("ping", func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
			return nil
		}
	})
	s, err := soak.New(cfg, &soak.Iteration{Sections: soak.Sections(work)}, soak.WithHeartbeat(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	out, err := s.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Logf("soak: stop %s, %d iterations, %d failed", out.Stop, out.Counts.Iterations, out.Counts.Failed)
	sum, err := summary.Write(dir, &summary.Config{Leaks: enginePolicy})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	for _, v := range sum.Leaks {
		t.Logf("%s %s: %s %s", v.Target, v.Metric, v.Outcome, v.Reason)
	}
	return sum
}

func appRSS(t *testing.T, s *summary.Summary) probe.Verdict {
	t.Helper()
	for _, v := range s.Leaks {
		if v.Target == "app" && v.Metric == probe.RSS {
			return v
		}
	}
	t.Fatalf("no rss verdict for the service in %+v", s.Leaks)
	return probe.Verdict{}
}

// The engine tests do not run in parallel: a soak treats every child of its
// process that outlives an iteration as a survivor, including another
// test's service.

// A real leaky child program, soaked briefly with the engine, ends with a
// leak verdict and exit status 3.
func TestEngineLeakyService(t *testing.T) {
	if testing.Short() {
		t.Skip("soaks a child program for 12s")
	}
	s := soakService(t, "leak", 12*time.Second)
	if v := appRSS(t, s); v.Outcome != probe.Leak {
		t.Errorf("service rss = %s (%s), want LEAK", v.Outcome, v.Reason)
	}
	if s.Verdict.Status != summary.Leak || s.ExitCode() != summary.ExitLeak {
		t.Errorf("verdict = %s/%d (%s), want leak/3", s.Verdict.Status, s.ExitCode(), s.Verdict.Reason)
	}
}

// A stable but noisy child program ends healthy.
func TestEngineStableService(t *testing.T) {
	if testing.Short() {
		t.Skip("soaks a child program for 12s")
	}
	s := soakService(t, "stable", 12*time.Second)
	if v := appRSS(t, s); v.Outcome == probe.Leak {
		t.Errorf("service rss = LEAK (%s), want PASS or INCONCLUSIVE", v.Reason)
	}
	if s.Verdict.Status != summary.Passed || s.ExitCode() != summary.ExitHealthy {
		t.Errorf("verdict = %s/%d (%s), want passed/0", s.Verdict.Status, s.ExitCode(), s.Verdict.Reason)
	}
}
