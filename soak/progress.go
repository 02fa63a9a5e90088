package soak

import (
	"log/slog"
	"slices"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

// Progress is the state of a soak after an iteration, given to the
// [WithProgress] hook and logged as one structured record per iteration.
// While no iteration runs for long — a watch-only soak, the wait for the
// service to be ready — a Progress with Watching or Waiting set is given
// every heartbeat instead, so that a long wait is never silent; its
// Iteration and Status are zero.
type Progress struct {
	Iteration int                 // the iteration that just ended
	Status    artifact.IterStatus // its status
	Elapsed   time.Duration       // soak time used so far, across resumes
	// ETA is the estimated time left: from the deadline if there is one,
	// else from the mean iteration time and the count; negative if unknown.
	ETA      time.Duration
	Counts   artifact.Counts
	Latest   map[string]artifact.Figures // the latest figures per sampled target
	Bytes    int64                       // the artifacts tree's size
	MaxBytes int64
	Watching bool   // a watch-only soak (a service, no plan) is watching its service
	Waiting  string // the service's readiness checks, while the soak waits for them (see [Ready.String])
}

// LogValue implements [slog.LogValuer]: one compact group per iteration.
func (p Progress) LogValue() slog.Value {
	var attrs []slog.Attr
	switch {
	case p.Waiting != "":
		attrs = append(attrs, slog.String("waiting_for", p.Waiting))
	case p.Watching:
		attrs = append(attrs, slog.Bool("watching", true))
	default:
		attrs = append(attrs, slog.Int("n", p.Iteration), slog.String("status", string(p.Status)))
	}
	attrs = append(attrs,
		slog.Duration("elapsed", p.Elapsed.Round(time.Millisecond)),
		slog.Int("passed", p.Counts.Passed),
		slog.Int("failed", p.Counts.Failed),
		slog.Int64("artifact_bytes", p.Bytes),
	)
	if p.ETA >= 0 {
		attrs = append(attrs, slog.Duration("eta", p.ETA.Round(time.Second)))
	}
	labels := make([]string, 0, len(p.Latest))
	for label := range p.Latest {
		if !artifact.IsStep(label) {
			labels = append(labels, label)
		}
	}
	slices.Sort(labels)
	for _, label := range labels {
		attrs = append(attrs, slog.Uint64(label+"_rss", p.Latest[label].RSS))
	}
	if f, ok := p.Latest[artifact.Self]; ok {
		attrs = append(attrs, slog.Int("goroutines", f.Goroutines))
	}
	return slog.GroupValue(attrs...)
}

var _ slog.LogValuer = Progress{}
