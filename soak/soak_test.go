package soak

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// TestDeadlineNeverOverrun runs soaks on synctest's fake clock: hours of
// soak take milliseconds. Whatever the mix of iteration time, timeout and
// heartbeat, the soak ends by its deadline, the last iteration's budget is
// cut to fit, an iteration that recent ones say cannot finish is not
// started, and a cut iteration that runs out of time (only the first can:
// it has no history to go by) is cut, not failed, with its running step
// marked as cut.
func TestDeadlineNeverOverrun(t *testing.T) {
	tests := []struct {
		name                        string
		duration, timeout, hb, work time.Duration
		wantCut, wantEnded          bool
	}{
		{"work fits", time.Hour, 5 * time.Minute, 5 * time.Minute, 4 * time.Minute, false, false},
		{"budget cut, work fits", time.Hour, 7 * time.Minute, 5 * time.Minute, 4 * time.Minute, true, false},
		{"doomed last iteration not started", time.Hour, 7 * time.Minute, 5 * time.Minute, 6 * time.Minute, false, false},
		{"no heartbeat", 10 * time.Minute, 3 * time.Minute, 0, 170 * time.Second, false, false},
		{"timeout above duration", 5 * time.Minute, time.Hour, time.Minute, 10 * time.Minute, true, true},
		{"heartbeat longer than the rest", 30 * time.Minute, 5 * time.Minute, 29 * time.Minute, time.Minute, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				root := t.TempDir()
				start := time.Now()
				deadline := start.Add(tt.duration)
				// Samples play no part in the schedule: one a minute, not
				// the default 5s, spares an hour of fake time 600 sample
				// writes per target (seconds under Wine).
				cfg := Config{Duration: artifact.Duration(tt.duration), IterationTimeout: artifact.Duration(tt.timeout),
					StopGrace: artifact.Duration(10 * time.Second), ArtifactsDir: root, SampleInterval: artifact.Duration(time.Minute)}
				s := newSoak(t, cfg, &Iteration{Sections: Sections(sleepStep("work", tt.work))}, WithHeartbeat(tt.hb))
				out, err := s.Run(t.Context())
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if end := time.Now(); end.After(deadline) {
					t.Errorf("soak ended %v after its deadline", end.Sub(deadline))
				}
				recs := readRecords(t, s.Layout())
				if len(recs) == 0 {
					t.Fatal("no iterations recorded")
				}
				cut, ended := false, false
				for _, r := range recs {
					ended = ended || r.Status == artifact.IterCut
					if r.End.After(deadline) {
						t.Errorf("iteration %d ended %v after the deadline", r.Iteration, r.End.Sub(deadline))
					}
					if r.BudgetMS > tt.timeout.Milliseconds() {
						t.Errorf("iteration %d budget %dms > timeout %v", r.Iteration, r.BudgetMS, tt.timeout)
					}
					cut = cut || r.Cut
				}
				if cut != tt.wantCut {
					t.Errorf("some iteration cut = %v, want %v", cut, tt.wantCut)
				}
				if ended != tt.wantEnded {
					t.Errorf("some iteration ended by the deadline = %v, want %v", ended, tt.wantEnded)
				}
				last := recs[len(recs)-1]
				if last.Cut && tt.work.Milliseconds() > last.BudgetMS {
					if last.Status != artifact.IterCut || !last.CutByDeadline() {
						t.Errorf("cut iteration that ran out of time has status %q, want %q", last.Status, artifact.IterCut)
					}
					if !last.Steps[0].Cut || last.Steps[0].Status != step.TimedOut {
						t.Errorf("its step: %+v, want timed_out marked cut", last.Steps[0])
					}
				}
				if out.Counts.Cut != btoi(tt.wantEnded) {
					t.Errorf("counts %+v, want %d cut", out.Counts, btoi(tt.wantEnded))
				}
				if out.Stop != artifact.StopDuration || out.Counts.Failed != 0 || !out.OK() {
					t.Errorf("outcome = %+v, want a healthy stop on duration", out)
				}
			})
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestTimedOutIterationRecorded: a hanging iteration is ended at its
// timeout and still gets its line in iterations.jsonl, with resource
// figures, and a failing status.
func TestTimedOutIterationRecorded(t *testing.T) {
	for _, keepGoing := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep_going=%v", keepGoing), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := Config{Count: 3, IterationTimeout: artifact.Duration(time.Minute), KeepGoing: keepGoing, ArtifactsDir: t.TempDir()}
				it := &Iteration{Sections: []Section{
					{Step: sleepStep("hang", time.Hour)},
					{Step: sleepStep("after", time.Second)},
				}}
				s := newSoak(t, cfg, it, WithHeartbeat(time.Second))
				out, err := s.Run(t.Context())
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				recs := readRecords(t, s.Layout())
				want := 1
				if keepGoing {
					want = 3
				}
				if len(recs) != want {
					t.Fatalf("%d records, want %d", len(recs), want)
				}
				for _, r := range recs {
					if r.Status != artifact.IterTimedOut || r.Result != "FAIL" {
						t.Errorf("iteration %d: status %q result %q, want timed_out FAIL", r.Iteration, r.Status, r.Result)
					}
					if r.DurationMS != time.Minute.Milliseconds() {
						t.Errorf("iteration %d took %dms, want the 60000ms timeout", r.Iteration, r.DurationMS)
					}
					if r.Resources["self"].RSS == 0 {
						t.Errorf("iteration %d has no resource figures: %+v", r.Iteration, r.Resources)
					}
					got := []step.Status{r.Steps[0].Status, r.Steps[1].Status}
					if diff := cmp.Diff([]step.Status{step.TimedOut, step.Skipped}, got); diff != "" {
						t.Errorf("step statuses (-want +got):\n%s", diff)
					}
					if !strings.Contains(r.Steps[1].Details, "timed out") {
						t.Errorf("skipped section details %q do not give the reason", r.Steps[1].Details)
					}
				}
				wantStop := artifact.StopFailFast
				if keepGoing {
					wantStop = artifact.StopCount
				}
				if out.Stop != wantStop || out.Counts.TimedOut != want || out.Counts.Failed != want || out.OK() {
					t.Errorf("outcome = %+v, want stop %q with %d timed out", out, wantStop, want)
				}
			})
		})
	}
}

func TestMaxFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		flaky := step.Func("flaky", func(ctx context.Context) error {
			if n.Add(1)%2 == 0 {
				return errTest
			}
			return nil
		})
		cfg := Config{Count: 100, KeepGoing: true, MaxFailures: 3, ArtifactsDir: t.TempDir()}
		s := newSoak(t, cfg, &Iteration{Sections: Sections(flaky)})
		out, err := s.Run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := artifact.Counts{Iterations: 6, Passed: 3, Failed: 3}
		if diff := cmp.Diff(want, out.Counts); diff != "" || out.Stop != artifact.StopMaxFailures {
			t.Errorf("stop %q, counts (-want +got):\n%s", out.Stop, diff)
		}
	})
}

func TestSignalCancelsInProcess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(t.Context())
		cfg := Config{Duration: artifact.Duration(time.Hour), ArtifactsDir: t.TempDir()}
		var n atomic.Int32
		work := step.Func("work", func(ctx context.Context) error {
			if n.Add(1) < 3 {
				return nil
			}
			cancel(errors.New("interrupt"))
			<-ctx.Done()
			return ctx.Err()
		})
		s := newSoak(t, cfg, &Iteration{Sections: Sections(work)})
		out, err := s.Run(ctx)
		if err == nil || err.Error() != "interrupt" {
			t.Errorf("Run error = %v, want the cause", err)
		}
		recs := readRecords(t, s.Layout())
		if len(recs) != 3 || recs[2].Status != artifact.IterCancelled {
			t.Fatalf("records = %+v, want 3 with the last cancelled", recs)
		}
		if st := recs[2].Steps[0]; !st.Cut || st.Status == step.Passed {
			t.Errorf("step stopped by the signal: %+v, want it marked cut", st)
		}
		if recs[1].Steps[0].Cut {
			t.Errorf("step of a passed iteration marked cut: %+v", recs[1].Steps[0])
		}
		if out.Stop != artifact.StopSignal || out.OK() {
			t.Errorf("outcome %+v, want a signal stop", out)
		}
		var st artifact.State
		if err := readJSON(s.Layout().State(), &st); err != nil || st.Stop != artifact.StopSignal || st.Running != nil {
			t.Errorf("state = %+v, %v", st, err)
		}
		m := &artifact.Manifest{}
		if err := readJSON(s.Layout().Manifest(), m); err != nil {
			t.Fatal(err)
		}
		if err := m.Verify(s.Layout().Root); err != nil {
			t.Errorf("manifest: %v", err)
		}
	})
}

// TestSignalAfterFailure: a signal that cuts an iteration in which a
// section had already failed stops the soak as a signal (Run returns the
// cause), even without keep_going, and the failure is still counted.
func TestSignalAfterFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(t.Context())
		cfg := Config{Count: 3, ArtifactsDir: t.TempDir()}
		fail := step.Func("fail", func(context.Context) error { return errTest })
		interrupt := step.Func("interrupt", func(ctx context.Context) error {
			cancel(errors.New("interrupt"))
			<-ctx.Done()
			return ctx.Err()
		})
		s := newSoak(t, cfg, &Iteration{Sections: Sections(fail, interrupt)})
		out, err := s.Run(ctx)
		if err == nil || err.Error() != "interrupt" {
			t.Errorf("Run error = %v, want the cause", err)
		}
		if out.Stop != artifact.StopSignal || out.Counts.Failed != 1 || out.OK() {
			t.Errorf("outcome: stop %q counts %+v, want a signal stop with one failed iteration", out.Stop, out.Counts)
		}
		recs := readRecords(t, s.Layout())
		if len(recs) != 1 || recs[0].Status != artifact.IterFailed {
			t.Fatalf("records = %+v, want one failed iteration", recs)
		}
	})
}

// TestResumeInProcess: an interrupted soak resumed in the same process
// continues numbering and counters; a crash in the middle of an iteration
// (simulated by its checkpoint) is recorded as interrupted with its logs
// kept; the byte accounting matches the tree; a finished soak cannot be
// resumed.
func TestResumeInProcess(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancelCause(t.Context())
	var n atomic.Int32
	it := &Iteration{Sections: []Section{
		{Step: noisyStep{name: "noise", bytes: 1000}},
		{Step: step.Func("maybe-stop", func(context.Context) error {
			if n.Add(1) == 2 {
				cancel(errors.New("interrupt"))
			}
			return nil
		})},
	}}
	cfg := Config{Count: 5, ArtifactsDir: root}
	s := newSoak(t, cfg, it, WithHeartbeat(0))
	if _, err := s.Run(ctx); err == nil {
		t.Fatal("interrupted Run returned no error")
	}
	l := s.Layout()
	// Pretend the process then died while running iteration 3, after its
	// step had written a log.
	var st artifact.State
	if err := readJSON(l.State(), &st); err != nil {
		t.Fatal(err)
	}
	st.Stop, st.Reason = "", ""
	st.Running = &artifact.Active{Iteration: 3, Start: st.Updated}
	if err := canonjsonWrite(l.State(), &st); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(l.IterationLogs(3), 0o755)
	os.WriteFile(filepath.Join(l.IterationLogs(3), "noise.stdout.log"), []byte("partial output\n"), 0o644)

	out, err := newSoak(t, cfg, it, WithHeartbeat(0)).Resume(t.Context())
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	recs := readRecords(t, l)
	var got []artifact.IterStatus
	for i, r := range recs {
		if r.Iteration != i+1 {
			t.Errorf("record %d is iteration %d", i, r.Iteration)
		}
		got = append(got, r.Status)
	}
	// The count holds across the resume: the interrupted iteration is one
	// of the five.
	want := []artifact.IterStatus{artifact.IterPassed, artifact.IterPassed, artifact.IterInterrupted, artifact.IterPassed, artifact.IterPassed}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if recs[2].LogDir != "soak/logs/000003" {
		t.Errorf("interrupted iteration's log dir %q", recs[2].LogDir)
	}
	if out.Counts.Passed != 4 || out.Counts.Interrupted != 1 || out.Stop != artifact.StopCount || !out.OK() {
		t.Errorf("outcome %+v", out)
	}
	if got := treeBytes(t, root); got != out.Bytes {
		t.Errorf("tree holds %d bytes, accounted %d", got, out.Bytes)
	}
	if _, err := newSoak(t, cfg, it).Resume(t.Context()); !errors.Is(err, ErrFinished) {
		t.Errorf("Resume of a finished soak: %v, want ErrFinished", err)
	}
	if _, err := newSoak(t, Config{Count: 1, ArtifactsDir: t.TempDir()}, it).Resume(t.Context()); !errors.Is(err, ErrNoState) {
		t.Errorf("Resume without a checkpoint: %v, want ErrNoState", err)
	}
}

// fakeClock is an injected clock that advances by step on every reading
// and never sleeps.
type fakeClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

func (c *fakeClock) Sleep(d time.Duration, done <-chan struct{}) bool {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return true
}

// TestInjectedClock: records and the checkpoint take their times from the
// soak's clock, in UTC whatever the clock's zone.
func TestInjectedClock(t *testing.T) {
	zone := time.FixedZone("UTC+5", 5*3600)
	c := &fakeClock{now: time.Date(2030, 1, 1, 12, 0, 0, 0, zone), step: time.Minute}
	cfg := Config{Count: 2, ArtifactsDir: t.TempDir()}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(sleepStep("x", 0))}, withClock(c), WithHeartbeat(time.Hour))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, s.Layout())
	if len(recs) != 2 || recs[0].Start.Year() != 2030 || recs[1].Start.Sub(recs[0].Start) < time.Hour {
		t.Fatalf("records %+v, want clock times an hour apart", recs)
	}
	b, _ := os.ReadFile(s.Layout().Iterations())
	if !strings.Contains(string(b), `"start":"2030-01-01T07:`) {
		t.Errorf("record times are not written in UTC:\n%s", b)
	}
	if out.Elapsed < time.Hour {
		t.Errorf("elapsed %v, want the clock's hour of heartbeat", out.Elapsed)
	}
}
