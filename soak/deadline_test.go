package soak

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// TestDurationBoundFastStep soaks a fast real program (the test binary as
// a helper that naps 20ms) for a short duration with no pause: nothing
// fails, the soak stops on its duration, and every iteration passed except
// perhaps the last, which, if the deadline caught it, is recorded as cut
// and not as a failure. Whatever the machine's load, only outcomes are
// asserted: how many iterations ran is not.
func TestDurationBoundFastStep(t *testing.T) {
	nap := step.Command{Name: "nap", Argv: helperArgv(t, "nap", "20ms"), Env: helperEnv("nap")}
	cfg := Config{Duration: artifact.Duration(1500 * time.Millisecond), StopGrace: artifact.Duration(300 * time.Millisecond),
		SampleInterval: artifact.Duration(100 * time.Millisecond), ArtifactsDir: fastDir(t)}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(nap.Step())}, WithHeartbeat(0))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Stop != artifact.StopDuration || out.Counts.Failed != 0 || !out.OK() {
		t.Errorf("outcome: stop %q counts %+v ok %v; want a healthy stop on duration", out.Stop, out.Counts, out.OK())
	}
	recs := readRecords(t, s.Layout())
	if len(recs) == 0 {
		t.Fatal("no iteration recorded")
	}
	for i, r := range recs {
		last := i == len(recs)-1
		switch {
		case r.Status == artifact.IterPassed:
		case last && r.Status == artifact.IterCut:
			if !r.Cut || len(r.Steps) != 1 || r.Steps[0].Status != step.Passed && !r.Steps[0].Cut {
				t.Errorf("iteration %d ended by the deadline: budget cut %v, steps %+v; want a cut budget and its step passed or marked cut", r.Iteration, r.Cut, r.Steps)
			}
		default:
			t.Errorf("iteration %d (last: %v): status %q reason %q, want passed (or cut, for the last)", r.Iteration, last, r.Status, r.Reason)
		}
	}
}

// TestResumeKnowsIterationNeeds: a resumed soak estimates what an
// iteration needs from the iterations already recorded, so it does not
// start one that cannot finish in what is left of the duration.
func TestResumeKnowsIterationNeeds(t *testing.T) {
	const work = 10 * time.Minute
	tests := []struct {
		name     string
		left     time.Duration // of the duration, when resumed
		wantRecs int
	}{
		{"room for one more", 15 * time.Minute, 4},
		{"room for none", 5 * time.Minute, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancelCause(t.Context())
				var n atomic.Int32
				it := &Iteration{Sections: Sections(step.Func("work", func(ctx context.Context) error {
					if n.Add(1) == 3 {
						cancel(errors.New("interrupt"))
					}
					select {
					case <-time.After(work):
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}))}
				// Samples play no part in the estimate: one a minute, not
				// the default 5s, spares the hour or so of fake time
				// hundreds of sample writes (seconds under Wine).
				cfg := Config{Duration: artifact.Duration(10 * time.Hour), ArtifactsDir: t.TempDir(), SampleInterval: artifact.Duration(time.Minute)}
				if _, err := newSoak(t, cfg, it, WithHeartbeat(0)).Run(ctx); err == nil {
					t.Fatal("interrupted Run returned no error")
				}
				l := artifact.Layout{Root: cfg.ArtifactsDir}
				var st artifact.State
				if err := readJSON(l.State(), &st); err != nil {
					t.Fatal(err)
				}
				st.ElapsedMS = (cfg.Duration.Std() - tt.left).Milliseconds()
				if err := canonjsonWrite(l.State(), &st); err != nil {
					t.Fatal(err)
				}
				out, err := newSoak(t, cfg, it, WithHeartbeat(0)).Resume(t.Context())
				if err != nil {
					t.Fatalf("Resume: %v", err)
				}
				recs := readRecords(t, l)
				if len(recs) != tt.wantRecs || out.Stop != artifact.StopDuration {
					t.Fatalf("after resume with %v left: %d records, stop %q; want %d, %q", tt.left, len(recs), out.Stop, tt.wantRecs, artifact.StopDuration)
				}
				if last := recs[len(recs)-1]; len(recs) == 4 && last.Status != artifact.IterPassed {
					t.Errorf("iteration started after resume: status %q reason %q, want passed", last.Status, last.Reason)
				}
			})
		})
	}
}

// TestShortSoakWithService: with a service and the default stop grace
// (10s), a soak of a few seconds runs its iterations, instead of failing
// at once because the reserve for stopping outgrew the duration.
func TestShortSoakWithService(t *testing.T) {
	addr := freeAddr(t)
	nap := step.Command{Name: "nap", Argv: helperArgv(t, "nap", "20ms"), Env: helperEnv("nap")}
	cfg := Config{Duration: artifact.Duration(4 * time.Second), SampleInterval: artifact.Duration(100 * time.Millisecond),
		ArtifactsDir: fastDir(t), Service: serviceConfig(t, addr, "1h", "0")}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(nap.Step())}, WithHeartbeat(0))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Stop != artifact.StopDuration || !out.OK() || out.Counts.Failed != 0 {
		t.Errorf("outcome: stop %q (%s) counts %+v; want a healthy stop on duration", out.Stop, out.Reason, out.Counts)
	}
}

// TestServiceNotReadyByDeadline: a service still not ready when the soak's
// duration is over fails the soak with a reason that says so, not with a
// bare "context deadline exceeded".
func TestServiceNotReadyByDeadline(t *testing.T) {
	svc := serviceConfig(t, freeAddr(t), "1h", "0")
	svc.Ready = Ready{LogLine: "^never printed"}
	cfg := Config{Duration: artifact.Duration(1500 * time.Millisecond), StopGrace: artifact.Duration(time.Second),
		ArtifactsDir: t.TempDir(), Service: svc}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(sleepStep("never", 0))})
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Stop != artifact.StopServiceFailed || out.OK() || out.Counts.Iterations != 0 {
		t.Fatalf("outcome %+v, want a service failure before any iteration", out)
	}
	if !strings.Contains(out.Reason, "soak deadline reached before the service was ready") {
		t.Errorf("reason %q does not say the duration ended first", out.Reason)
	}
}

func TestStopReserve(t *testing.T) {
	for _, tt := range []struct{ grace, want time.Duration }{
		{10 * time.Second, time.Second},
		{time.Second, time.Second},
		{300 * time.Millisecond, 300 * time.Millisecond},
	} {
		if got := stopReserve(tt.grace); got != tt.want {
			t.Errorf("stopReserve(%v) = %v, want %v", tt.grace, got, tt.want)
		}
	}
}

// TestDurationUsed: on a fake clock, a soak of fast iterations runs them
// until the end of its duration: only the small stop reserve, taken from
// the last iteration's budget, is left over, whatever the stop grace.
func TestDurationUsed(t *testing.T) {
	for _, grace := range []time.Duration{0, 30 * time.Second} {
		synctest.Test(t, func(t *testing.T) {
			const work = 700 * time.Millisecond
			cfg := Config{Duration: artifact.Duration(time.Minute), StopGrace: artifact.Duration(grace), ArtifactsDir: fastDir(t)}
			start := time.Now()
			s := newSoak(t, cfg, &Iteration{Sections: Sections(sleepStep("work", work))}, WithHeartbeat(0))
			out, err := s.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			recs := readRecords(t, s.Layout())
			last := recs[len(recs)-1]
			if left := start.Add(time.Minute).Sub(last.End); left > maxStopReserve+work {
				t.Errorf("stop grace %v: the last iteration ended %v before the deadline, want at most %v", grace, left, maxStopReserve+work)
			}
			if last.Status != artifact.IterPassed || out.Counts.Cut != 0 || !out.OK() {
				t.Errorf("stop grace %v: last iteration %q, counts %+v; want every iteration passed", grace, last.Status, out.Counts)
			}
		})
	}
}
