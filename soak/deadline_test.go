package soak

import (
	"context"
	"errors"
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
		case last && cutByDeadline(r.Status):
			if !r.Cut {
				t.Errorf("iteration %d ended by the deadline without a cut budget: %+v", r.Iteration, r)
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
				cfg := Config{Duration: artifact.Duration(10 * time.Hour), ArtifactsDir: t.TempDir()}
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

// cutByDeadline reports whether an iteration of status st was ended by the
// soak's deadline before it finished.
func cutByDeadline(st artifact.IterStatus) bool { return st == artifact.IterCancelled }
