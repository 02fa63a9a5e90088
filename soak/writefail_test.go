package soak

import (
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

// diskFull returns a write seam that fails the nth write (1-based) to a
// path for which match is true, and every later one, with ENOSPC: a disk
// that fills up and stays full.
func diskFull(match func(path string) bool, nth int64) func(string) error {
	var n atomic.Int64
	return func(path string) error {
		if match(path) && n.Add(1) >= nth {
			return syscall.ENOSPC
		}
		return nil
	}
}

func hasSuffix(s string) func(string) bool {
	return func(p string) bool { return strings.HasSuffix(filepath.ToSlash(p), s) }
}

// TestWriteFailureFailsRun fails one kind of artifact write with ENOSPC
// partway through a soak whose iterations all pass: the soak stops with
// write_failed at once, the iteration the failure hit is failed, state.json
// says why (or, if state.json itself cannot be written, the error says so),
// the Outcome is not OK and the error wraps both ErrWriteFailed and ENOSPC.
func TestWriteFailureFailsRun(t *testing.T) {
	tests := []struct {
		name  string
		match func(string) bool
		nth   int64
		// wantIter is the iteration the failure hits; 0: none recorded.
		wantIter     int
		wantRecorded int  // records in iterations.jsonl
		checkpointed bool // the final state.json was written
		// orBefore: the failing write may also come before the first
		// iteration starts, which then never runs (no record, no
		// iteration hit): the sampler's first sample races the loop.
		orBefore bool
	}{
		// Each iteration writes 3,800 log lines; the 50th of iteration 3 fails.
		{name: "step log", match: hasSuffix(".stdout.log"), nth: 2*3800 + 50, wantIter: 3, wantRecorded: 3, checkpointed: true},
		{name: "iterations.jsonl", match: hasSuffix("soak/iterations.jsonl"), nth: 3, wantIter: 3, wantRecorded: 2, checkpointed: true},
		{name: "samples.jsonl", match: hasSuffix("soak/samples.jsonl"), nth: 1, wantIter: 1, wantRecorded: 1, checkpointed: true, orBefore: true},
		{name: "iteration report", match: hasSuffix("/report.json"), nth: 2, wantIter: 2, wantRecorded: 2, checkpointed: true},
		// Writes 1-5: start, then before and after iterations 1 and 2; the
		// 6th, before iteration 3, fails, and so does the final one.
		{name: "state.json", match: hasSuffix("soak/state.json"), nth: 6, wantRecorded: 2, checkpointed: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			cfg := Config{Count: 5, ArtifactsDir: root, SampleInterval: artifact.Duration(time.Hour)}
			it := &Iteration{Sections: Sections(noisyStep{name: "build", bytes: 380_000})}
			s := newSoak(t, cfg, it, WithHeartbeat(0), withWriteFault(diskFull(tt.match, tt.nth)))
			out, err := s.Run(t.Context())
			if !errors.Is(err, ErrWriteFailed) || !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("Run error = %v, want one wrapping ErrWriteFailed and ENOSPC", err)
			}
			if out == nil {
				t.Fatal("Run returned no Outcome")
			}
			if out.OK() || out.Stop != artifact.StopWriteFailed || len(out.WriteFailures) == 0 {
				t.Errorf("Outcome: OK %v, stop %q, write failures %q; want not OK, %q, some", out.OK(), out.Stop, out.WriteFailures, artifact.StopWriteFailed)
			}
			if out.Checkpointed != tt.checkpointed {
				t.Errorf("Outcome.Checkpointed = %v, want %v", out.Checkpointed, tt.checkpointed)
			}
			recs := readRecords(t, s.Layout())
			wantIter := tt.wantIter
			if tt.orBefore && len(recs) == 0 && out.Counts.Iterations == 0 {
				wantIter = 0
			} else if len(recs) != tt.wantRecorded {
				t.Fatalf("%d records, want %d", len(recs), tt.wantRecorded)
			}
			for _, r := range recs {
				if r.Iteration != tt.wantIter && r.Status != artifact.IterPassed {
					t.Errorf("iteration %d: status %q, want passed", r.Iteration, r.Status)
				}
			}
			var st artifact.State
			if err := readJSON(s.Layout().State(), &st); err != nil {
				t.Fatal(err)
			}
			if !tt.checkpointed {
				if !strings.Contains(err.Error(), "final checkpoint not written") {
					t.Errorf("Run error %q does not say the final checkpoint was lost", err)
				}
				if st.Stop != "" {
					t.Errorf("state.json stop %q: written after its writes failed?", st.Stop)
				}
				return
			}
			if st.Stop != artifact.StopWriteFailed || !strings.Contains(st.Reason, "no space left") || len(st.WriteFailures) == 0 || st.WriteFailed == 0 {
				t.Errorf("state.json: stop %q reason %q failures %q (%d), want write_failed with the ENOSPC", st.Stop, st.Reason, st.WriteFailures, st.WriteFailed)
			}
			if wantIter == 0 {
				if st.Unrecorded != nil || st.Counts != (artifact.Counts{}) {
					t.Errorf("state.json: unrecorded %+v, counts %+v; want no iteration, the write failed before the first", st.Unrecorded, st.Counts)
				}
				return
			}
			failed := st.Unrecorded
			if failed == nil {
				failed = &recs[len(recs)-1]
			}
			if failed.Iteration != wantIter || failed.Status != artifact.IterFailed || !strings.Contains(failed.Reason, ErrWriteFailed.Error()) {
				t.Errorf("iteration hit: %d %q %q, want %d failed on the write", failed.Iteration, failed.Status, failed.Reason, wantIter)
			}
			if st.Counts.Failed != 1 || st.Counts.Iterations != wantIter {
				t.Errorf("state.json counts %+v, want %d iterations, 1 failed", st.Counts, wantIter)
			}
		})
	}
}

// TestResumeKeepsWriteFailure: an iteration whose record iterations.jsonl
// refused (disk full) is kept in state.json; a resume once there is room
// again records it as failed, not interrupted, and the soak still counts
// its iterations to the planned total and fails.
func TestResumeKeepsWriteFailure(t *testing.T) {
	root := t.TempDir()
	cfg := Config{Count: 5, KeepGoing: true, ArtifactsDir: root, SampleInterval: artifact.Duration(time.Hour)}
	it := &Iteration{Sections: Sections(noisyStep{name: "build", bytes: 1000})}
	s := newSoak(t, cfg, it, WithHeartbeat(0), withWriteFault(diskFull(hasSuffix("soak/iterations.jsonl"), 3)))
	if out, err := s.Run(t.Context()); !errors.Is(err, ErrWriteFailed) || out.Stop != artifact.StopWriteFailed {
		t.Fatalf("first run: %v, %+v; want a write failure", err, out)
	}
	s = newSoak(t, cfg, it, WithHeartbeat(0))
	out, err := s.Resume(t.Context())
	if err != nil {
		t.Fatalf("Resume: %v", err)
	}
	recs := readRecords(t, s.Layout())
	var got []artifact.IterStatus
	for i, r := range recs {
		if r.Iteration != i+1 {
			t.Errorf("record %d is iteration %d", i+1, r.Iteration)
		}
		got = append(got, r.Status)
	}
	want := []artifact.IterStatus{artifact.IterPassed, artifact.IterPassed, artifact.IterFailed, artifact.IterPassed, artifact.IterPassed}
	if strings.Join(statusStrings(got), ",") != strings.Join(statusStrings(want), ",") {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if out.Stop != artifact.StopCount || out.Counts.Iterations != 5 || out.Counts.Failed != 1 || out.OK() {
		t.Errorf("outcome: stop %q counts %+v OK %v; want count, 5 run, 1 failed, not OK", out.Stop, out.Counts, out.OK())
	}
	var st artifact.State
	if err := readJSON(s.Layout().State(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Unrecorded != nil || st.WriteFailed == 0 {
		t.Errorf("state.json after resume: unrecorded %v, write_failed %d; want none, and the earlier failure still listed", st.Unrecorded, st.WriteFailed)
	}
}

func statusStrings(s []artifact.IterStatus) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}
