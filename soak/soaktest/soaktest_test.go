package soaktest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/soakkit/soakkit/internal/winetest"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeT records what Run reports.
type fakeT struct {
	mu       sync.Mutex
	deadline time.Time
	logs     []string
	errs     []string
	skipped  string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeT) Skip(args ...any)            { f.skipped = fmt.Sprint(args...) }
func (f *fakeT) Deadline() (time.Time, bool) { return f.deadline, !f.deadline.IsZero() }
func (f *fakeT) logged(sub string) bool      { return strings.Contains(strings.Join(f.logs, "\n"), sub) }

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func plan(fail func(n int) bool) *soak.Iteration {
	var mu sync.Mutex
	n := 0
	return &soak.Iteration{Sections: soak.Sections(step.Func("work", func(ctx context.Context) error {
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if fail != nil && fail(i) {
			return errors.New("boom")
		}
		return nil
	}))}
}

// quick lets iterations fit a soak of a second or two.
var quick = soak.Config{IterationTimeout: artifact.Duration(time.Second), StopGrace: artifact.Duration(200 * time.Millisecond)}

func common(t *testing.T, env map[string]string) []Option {
	return []Option{withShort(func() bool { return false }), withEnv(envOf(env)), WithArtifacts(t.TempDir()),
		WithConfig(quick), WithSoakOptions(soak.WithHeartbeat(10 * time.Millisecond))}
}

func TestSkips(t *testing.T) {
	tests := []struct {
		name  string
		short bool
		env   map[string]string
		opt   Option
		want  string
	}{
		{"not asked", false, nil, WithDuration(0), "soak not requested"},
		{"env zero", false, map[string]string{DurationEnv: "0"}, WithDuration(0), "is 0"},
		{"short", true, nil, WithDuration(time.Hour), "-short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeT{}
			s := Run(ft, plan(nil), append(common(t, tt.env), tt.opt, withShort(func() bool { return tt.short }))...)
			if s != nil || !strings.Contains(ft.skipped, tt.want) || len(ft.errs) > 0 {
				t.Errorf("Run() = %v, skipped %q, errors %q; want nil and a skip with %q", s, ft.skipped, ft.errs, tt.want)
			}
		})
	}
}

func TestPasses(t *testing.T) {
	ft := &fakeT{}
	dir := t.TempDir()
	s := Run(ft, plan(nil), append(common(t, map[string]string{DurationEnv: "1500ms"}), WithArtifacts(dir))...)
	if s == nil || len(ft.errs) > 0 || ft.skipped != "" {
		t.Fatalf("Run() = %v, errors %q, skipped %q", s, ft.errs, ft.skipped)
	}
	if s.Verdict.Status != summary.Passed || s.Iterations.Passed < 3 {
		t.Errorf("verdict %s with %d passed iterations, want passed with several", s.Verdict.Status, s.Iterations.Passed)
	}
	l := artifact.Layout{Root: dir}
	for _, f := range []string{l.Summary(), l.SummaryMarkdown(), l.JUnit()} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("summary file: %v", err)
		}
	}
	if !ft.logged("soak passed") {
		t.Errorf("logs %q do not report the verdict", ft.logs)
	}
}

func TestFailureIsReported(t *testing.T) {
	ft := &fakeT{}
	s := Run(ft, plan(func(n int) bool { return n == 3 }),
		append(common(t, nil), WithDuration(1500*time.Millisecond), WithConfig(soak.Config{KeepGoing: true, IterationTimeout: quick.IterationTimeout, StopGrace: quick.StopGrace}))...)
	if s == nil || s.ExitCode() != summary.ExitFailures {
		t.Fatalf("Run() = %+v, want a failed summary", s)
	}
	if len(ft.errs) != 1 || !strings.Contains(ft.errs[0], "soak FAILED (exit status 1): 1 of") {
		t.Errorf("errors = %q, want one reporting the failed verdict", ft.errs)
	}
	if !ft.logged("soak: iteration 3 failed") {
		t.Errorf("logs %q do not report the failed iteration", ft.logs)
	}
}

// A soak asked for an hour under a test deadline 3s away ends, with its
// summary written, before the deadline minus the margin.
func TestDeadline(t *testing.T) {
	// Under Wine, finishing (summary, report, manifest) takes several times
	// as long, every file operation being a wineserver round trip: the
	// margin is what a user with a slow disk would give it.
	deadline, margin := 3*time.Second, time.Second
	if winetest.Detected() {
		deadline, margin = 12*time.Second, 7*time.Second
	}
	start := time.Now()
	ft := &fakeT{deadline: start.Add(deadline)}
	s := Run(ft, plan(nil), append(common(t, nil), WithDuration(time.Hour), WithMargin(margin))...)
	took := time.Since(start)
	if s == nil || len(ft.errs) > 0 {
		t.Fatalf("Run() = %v, errors %q", s, ft.errs)
	}
	// The soak is planned to end before the deadline minus the margin;
	// what must hold, even on a loaded machine, is that the summary is
	// written before go test's deadline.
	if took >= deadline {
		t.Errorf("Run took %v, want it done, summary written, before the test deadline (%v)", took, deadline)
	}
	if !ft.logged("soak cut from 1h0m0s") {
		t.Errorf("logs %q do not say the soak was cut", ft.logs)
	}
}

func TestDeadlineTooClose(t *testing.T) {
	ft := &fakeT{deadline: time.Now().Add(500 * time.Millisecond)}
	if s := Run(ft, plan(nil), append(common(t, nil), WithDuration(time.Hour))...); s != nil || len(ft.errs) != 1 {
		t.Errorf("Run() = %v, errors %q; want nil and one error", s, ft.errs)
	}
}

func TestBadDurationEnv(t *testing.T) {
	ft := &fakeT{}
	if s := Run(ft, plan(nil), common(t, map[string]string{DurationEnv: "72"})...); s != nil || len(ft.errs) != 1 || !strings.Contains(ft.errs[0], DurationEnv) {
		t.Errorf("Run() = %v, errors %q; want nil and an error naming %s", s, ft.errs, DurationEnv)
	}
}

// Run with a real *testing.T: skipped, as nothing asks for a soak here.
func TestRealT(t *testing.T) {
	t.Setenv(DurationEnv, "")
	ran := false
	t.Run("suite", func(t *testing.T) {
		defer func() { ran = !t.Skipped() }()
		Run(t, plan(nil))
	})
	if ran {
		t.Error("Run did not skip the test")
	}
}

// A duration no iteration fits in is an error, not a vacuous pass.
func TestNothingRan(t *testing.T) {
	ft := &fakeT{}
	s := Run(ft, plan(nil), append(common(t, nil), WithDuration(time.Second), WithConfig(soak.Config{}))...)
	if s == nil || len(ft.errs) != 1 || !strings.Contains(ft.errs[0], "no iteration ran") {
		t.Errorf("Run() = %v, errors %q; want one error saying no iteration ran", s, ft.errs)
	}
}
