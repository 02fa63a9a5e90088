package soak

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/internal/proctree"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// A Soak repeats an [Iteration] for a duration and/or a count against the
// software under test, and writes the artifacts described in the package
// documentation. Create one with [New]; it may be run once, or resumed.
type Soak struct {
	cfg  Config
	it   *Iteration
	opts options
}

// New returns a Soak of it under cfg. it may be nil for a soak that only
// watches its service. The error joins every *[ConfigError] of cfg (and of
// a negative [WithHeartbeat], field "heartbeat"), or reports a plan that
// cannot run.
func New(cfg Config, it *Iteration, opts ...Option) (*Soak, error) {
	o := newOptions(opts)
	err := cfg.Validate(it != nil)
	if o.heartbeat < 0 {
		err = errors.Join(err, &ConfigError{Field: "heartbeat", Err: fmt.Errorf("%w: negative", artifact.ErrBadDuration)})
	}
	if err != nil {
		return nil, err
	}
	if it != nil {
		if err := it.validate(); err != nil {
			return nil, err
		}
	}
	return &Soak{cfg: cfg.withDefaults(), it: it, opts: o}, nil
}

// Layout returns the layout of the soak's artifacts tree.
func (s *Soak) Layout() artifact.Layout { return artifact.Layout{Root: s.cfg.ArtifactsDir} }

// An Outcome is what a soak did. The full story is in the artifacts.
type Outcome struct {
	Counts  artifact.Counts
	Stop    artifact.StopReason
	Reason  string        // detail for Stop
	Elapsed time.Duration // soak time used, across resumes
	// Service is how the service ended, if there was one.
	Service *artifact.ServiceExit
	// Bytes is the artifacts tree's final size; Evicted the log bytes
	// removed and Dropped the log bytes never written to keep it under the
	// cap.
	Bytes, Evicted, Dropped int64
	// Alarms are the online alarms raised while sampling this run: early
	// warnings of a ceiling or a fast climb, logged as they happen. They
	// are not verdicts; the leak verdicts, under the configured policies
	// and over every sample of the soak, are the summary's (soak/summary).
	Alarms []probe.Alarm
	// WriteFailures lists the artifact writes of this run that failed
	// ("path: error", at most 20); any makes Stop [artifact.StopWriteFailed].
	WriteFailures []string
	// Checkpointed reports whether the final state.json was written. If it
	// is false, the artifacts do not say how the soak ended and must not be
	// judged: the soak has failed, and Run's error says why.
	Checkpointed bool
	// Orphans are processes left running by an earlier run of this soak
	// that was killed (found by the cookies its state.json recorded), which
	// this run ended before it started (Linux only).
	Orphans []artifact.Process
}

// OK reports whether the soak ran to its planned end with no failed
// iteration, every artifact written, and a service that was still running
// when it was stopped. It is a quick check for the caller of Run; the
// verdict of the soak, leaks, slowdowns and gates included, is the
// summary's (see [Finish]).
func (o *Outcome) OK() bool {
	return o.Stop.Planned() && o.Counts.Failed == 0 && len(o.WriteFailures) == 0 && o.Checkpointed &&
		!o.Service.Failed()
}

// Run starts a fresh soak: it removes the soak directory of the artifacts
// tree (Layout.Dir) left by an earlier run, so stale records never mix with
// new ones, then runs until the duration or count is reached, an iteration
// fails (unless keep_going), the service ends, or ctx is canceled.
//
// If ctx is canceled (SIGINT, SIGTERM through signal.NotifyContext), Run
// stops the current iteration, ends its process trees and the service, still
// records the iteration and writes the checkpoint and manifest, and returns
// the Outcome with context.Cause(ctx). Any other error means the soak could
// not do its job; the Outcome is then still returned if the soak had
// started. An artifact that cannot be written (disk full, I/O error,
// permissions) stops the soak at once with [artifact.StopWriteFailed], recorded in
// state.json when it still can be, fails the iteration it hit, and makes
// the error wrap [ErrWriteFailed]. Failed iterations and a dead service are
// results, reported in the Outcome, not errors.
func (s *Soak) Run(ctx context.Context) (*Outcome, error) { return s.run(ctx, false) }

// Resume continues the soak whose checkpoint is in the artifacts tree, with
// the same artifacts and counters: iteration numbers continue, the time
// already used counts against the duration, and an iteration that was
// running when the soak process died is recorded as interrupted (one whose
// record could not be written is recorded from state.json, as it ended).
// A soak stopped by a write failure may be resumed once there is room
// again. It returns
// [ErrNoState] without a checkpoint and an error wrapping [ErrFinished] if
// the soak ended for a reason other than a signal or a crash.
func (s *Soak) Resume(ctx context.Context) (*Outcome, error) { return s.run(ctx, true) }

// A runner is one run of a Soak.
type runner struct {
	s       *Soak
	cfg     Config
	o       options
	l       artifact.Layout
	logger  *slog.Logger
	st      *store
	iters   *jsonl.Appender
	samples *jsonl.Appender
	sm      *sampling
	sv      *service
	svExit  *artifact.ServiceExit
	state   artifact.State
	start   time.Time // of this run
	base    time.Duration
	sched   schedule
	// prevFailures and prevFailed are the state's write failures from
	// earlier runs of a resumed soak, which it keeps listing.
	prevFailures, prevFailed int
	// stateMu guards state.Running and the writes of state.json, which
	// steps running in parallel update as they start process trees.
	stateMu sync.Mutex
	cmp     compactor
}

func (s *Soak) run(ctx context.Context, resume bool) (out *Outcome, err error) {
	r := &runner{s: s, cfg: s.cfg, o: s.opts, l: s.Layout(), logger: s.opts.logger}
	release, kerr := keepAwake()
	if kerr != nil {
		r.logger.Warn("keep-awake request failed; the machine may sleep during the soak", "err", kerr)
	}
	defer release()

	failed := map[int]bool{}
	var ranges [][2]int // iterations compacted into range records, which passed
	var lastN int
	r.sched = schedule{iterTimeout: r.cfg.IterationTimeout.Std(), heartbeat: r.o.heartbeat,
		reserve: stopReserve(r.cfg.StopGrace.Std()), minNeed: r.cfg.MinIteration.Std()}
	// A run of this soak that was killed may have left process trees
	// behind; they would skew this run's samples and hold its ports.
	prev, perr := artifact.ReadState(r.l.State())
	var orphans []artifact.Process
	if prev != nil {
		orphans = endOrphans(treeCookies(prev))
		if len(orphans) > 0 {
			r.logger.Warn("ended processes left running by an earlier, killed run of this soak", "processes", processList(orphans))
		}
	}
	if resume {
		if perr != nil {
			if errors.Is(perr, fs.ErrNotExist) {
				return nil, ErrNoState
			}
			return nil, fmt.Errorf("soak: resume: %w", perr)
		}
		r.state = *prev
		if !r.state.Stop.Resumable() {
			return nil, fmt.Errorf("%w (%s)", ErrFinished, r.state.Stop)
		}
		if r.cfg.Runner == "" && prev.Runner != nil {
			r.cfg.Runner = prev.Runner.Name // no name given: the recorded one
		}
		if err := r.sameSettings(); err != nil {
			return nil, err
		}
		if r.state.Runner == nil {
			r.state.Runner = runnerOf(&r.cfg) // a checkpoint of an older engine
		}
		r.cfg.Runner = r.state.Runner.Name
		// Summaries, junit.xml and report.html of the run so far are
		// superseded when this one ends; until then their room is the
		// room kept for the new ones.
		for _, p := range []string{r.l.Summary(), r.l.SummaryMarkdown(), r.l.JUnit(), r.l.HTMLReport()} {
			os.Remove(p)
		}
		counts, err := recount(r.l.Iterations(), failed, &ranges, &lastN, &r.sched)
		if err != nil {
			return nil, fmt.Errorf("soak: resume: %w", err)
		}
		if u := r.state.Unrecorded; u != nil && u.Iteration > lastN {
			failed[u.Iteration] = u.Status != artifact.IterPassed
		}
		r.state.Counts = counts
		r.state.Resumes++
		r.state.Stop, r.state.Reason = "", ""
		r.state.Config = configJSON(r.cfg)
	} else {
		if err := os.RemoveAll(r.l.Dir()); err != nil {
			return nil, fmt.Errorf("soak: clear %s: %w", r.l.Dir(), err)
		}
		var id [8]byte
		rand.Read(id[:])
		rn := runnerOf(&r.cfg)
		r.cfg.Runner = rn.Name
		r.state = artifact.State{Version: artifact.StateVersion, RunID: hex.EncodeToString(id[:]), Started: r.o.clock.Now(),
			Runner: rn, Config: configJSON(r.cfg)}
		r.cmp.file.known = true // iterations.jsonl starts empty
	}
	r.state.Orphans = orphans
	hb := artifact.Duration(r.o.heartbeat)
	r.state.Heartbeat, r.state.Plan, r.state.Caller = &hb, s.planNames(), r.o.caller
	r.state.Service, r.state.ServiceTree = nil, nil // this run's service, once it starts
	if err := os.MkdirAll(r.l.Logs(), 0o755); err != nil {
		return nil, fmt.Errorf("soak: %w", err)
	}
	r.st, err = openStore(r.l, int64(r.cfg.MaxBytes), r.cfg.KeepLogs, func(n int) bool {
		if f, known := failed[n]; known {
			return f
		}
		// Logs an interrupted compaction left behind passed; unknown
		// ones count as failed, and are kept longer.
		return !slices.ContainsFunc(ranges, func(g [2]int) bool { return g[0] <= n && n <= g[1] })
	}, r.o.fault)
	if err != nil {
		return nil, err
	}
	if r.iters, err = jsonl.Open(r.l.Iterations(), true); err != nil {
		return nil, err
	}
	defer r.iters.Close()
	if r.samples, err = jsonl.Open(r.l.Samples(), false); err != nil {
		return nil, err
	}
	defer r.samples.Close()
	if u := r.state.Unrecorded; resume && u != nil && u.Iteration > lastN {
		// The iteration ended, but its record did not reach the file.
		if err := r.st.appendLine(r.iters, u); err != nil {
			return nil, err
		}
		r.state.Counts.Add(u)
		lastN = u.Iteration
	}
	r.state.Unrecorded = nil
	if a := r.state.Running; resume && a != nil && a.Iteration > lastN {
		rec := &artifact.Record{Iteration: a.Iteration, Start: a.Start, End: r.state.Updated, Result: "FAIL",
			Status: artifact.IterInterrupted, Reason: "the soak process ended during this iteration", Steps: []artifact.StepRecord{},
			LogDir: r.relLogDir(a.Iteration)}
		if err := r.st.appendLine(r.iters, rec); err != nil {
			return nil, err
		}
		r.state.Counts.Add(rec) // its logs were indexed (as failing) by openStore
	}
	r.state.Running = nil
	r.prevFailures, r.prevFailed = len(r.state.WriteFailures), r.state.WriteFailed
	r.state.WatchOnly = s.it == nil
	r.start = r.o.clock.Now()
	r.base = time.Duration(r.state.ElapsedMS) * time.Millisecond
	if r.cfg.Duration > 0 {
		left := r.cfg.Duration.Std() - r.base
		r.sched.deadline = r.start.Add(left)
	}
	plan := Plan{Plan: artifact.Plan{Ends: r.sched.deadline, IterationTimeout: artifact.Duration(r.sched.iterTimeout),
		Reserve: artifact.Duration(r.sched.reserve), Heartbeat: artifact.Duration(r.sched.heartbeat),
		MinIteration: artifact.Duration(r.sched.minNeed), Watch: s.it == nil},
		Resume: resume, Next: r.state.Counts.Iterations + 1}
	if r.cfg.Count > 0 {
		c := r.state.Counts
		plan.Count = max(r.cfg.Count-(c.Iterations-c.Interrupted), 0)
	}
	r.state.Schedule = &plan.Plan
	if err := r.writeState(); err != nil {
		return nil, err
	}
	if !r.o.noEnv {
		eo := probe.EnvOptions{DiskPath: r.l.Root}
		if r.o.env != nil {
			eo = *r.o.env
			if eo.DiskPath == "" {
				eo.DiskPath = r.l.Root
			}
		}
		env := probe.Snapshot(context.WithoutCancel(ctx), &eo)
		env.Runner = r.state.Runner.Name
		if err := r.st.writeJSON(r.l.Env(), env); err != nil {
			return nil, err
		}
	}
	r.logger.Info("soak started", "artifacts", r.l.Root, "run_id", r.state.RunID, "resume", resume,
		"duration", r.cfg.Duration, "count", r.cfg.Count, "next_iteration", plan.Next, "plan", plan.Describe(r.o.clock.Now()))
	if r.o.start != nil {
		r.o.start(plan)
	}

	stop, reason := r.main(ctx)
	return r.finish(ctx, stop, reason)
}

// errServiceDied is the cause of the run context when the service ends on
// its own.
var errServiceDied = errors.New("the service exited")

// writeFailed returns the stop reason and detail of a run whose artifact
// write failed: the first failure, and how many there were.
func (r *runner) writeFailed() (artifact.StopReason, string) {
	first, _, n := r.st.failure()
	reason := first.Error()
	if n > 1 {
		reason += fmt.Sprintf(" (and %d more failed writes)", n-1)
	}
	return artifact.StopWriteFailed, reason
}

// main runs the service and the iterations and returns why it stopped.
func (r *runner) main(ctx context.Context) (artifact.StopReason, string) {
	r.sm = newSampling(r.st, r.samples, r.cfg.SampleInterval.Std(), r.logger, r.o.observer.Sample)
	if fn := r.o.observer.Start; fn != nil {
		fn(r.live)
	}
	var stops []func()
	defer func() {
		for _, f := range slices.Backward(stops) {
			f()
		}
	}()
	stops = append(stops, r.sm.watch(artifact.Self, newSelfSampler()))
	for _, ls := range r.o.samplers {
		stops = append(stops, r.sm.watch(ls.label, ls.s))
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// A write failure stops the soak at once: whatever runs now could not
	// be recorded faithfully.
	r.st.setOnFail(func(err error) { cancel(err) })
	defer r.st.setOnFail(nil)

	if c := r.cfg.Service; c != nil {
		sctx := runCtx
		if !r.sched.deadline.IsZero() {
			var cancelStart context.CancelFunc
			sctx, cancelStart = context.WithDeadlineCause(runCtx, r.sched.watchUntil(),
				fmt.Errorf("%w before the service was ready", errSoakDeadline))
			defer cancelStart()
		}
		started := func(pid int, cookie string) {
			r.stateMu.Lock()
			r.state.ServiceTree = &artifact.Tree{Name: c.Name, PID: pid, Cookie: cookie}
			r.stateMu.Unlock()
			if err := r.writeState(); err != nil {
				r.logger.Warn("state.json not written", "err", err) // the store has recorded the failure
			}
		}
		waiting := func(waited time.Duration, last error) {
			r.tick(Progress{Waiting: c.Ready.String()}, "service", c.Name, "waited", waited, "last", last)
		}
		sv, err := startService(sctx, *c, r.cfg.StopGrace.Std(), r.l, r.st, r.o.redact, r.logger, started, r.beat(), waiting)
		if err != nil {
			if se := (*ServiceError)(nil); errors.As(err, &se) {
				r.svExit = se.Exit
			}
			if errors.Is(err, ErrWriteFailed) {
				return r.writeFailed()
			}
			if ctx.Err() != nil {
				return artifact.StopSignal, context.Cause(ctx).Error()
			}
			return artifact.StopServiceFailed, err.Error()
		}
		r.sv = sv
		r.observeService(c.Name, true)
		// The service sampler stops before the service does, so its last
		// samples describe the running service.
		stops = append(stops, func() { r.stopService() }, r.sm.watch(artifact.ServiceTarget(c.Name), probe.Tree(sv.pid)))
		watchDone := make(chan struct{})
		go func() {
			select {
			case <-sv.exited():
				r.observeService(c.Name, false)
				cancel(errServiceDied)
			case <-watchDone:
			}
		}()
		stops = append(stops, func() { close(watchDone) })
	}

	if r.s.it == nil {
		return r.watchOnly(ctx, runCtx)
	}
	return r.loop(ctx, runCtx)
}

// stopReason maps an ended run context to a stop reason.
func (r *runner) stopReason(ctx, runCtx context.Context) (artifact.StopReason, string) {
	if errors.Is(context.Cause(runCtx), ErrWriteFailed) {
		return r.writeFailed()
	}
	if errors.Is(context.Cause(runCtx), errServiceDied) {
		return artifact.StopServiceExited, r.serviceReason()
	}
	return artifact.StopSignal, context.Cause(ctx).Error()
}

func (r *runner) serviceReason() string {
	x := r.stopService()
	if x == nil {
		return "the service exited"
	}
	return x.End()
}

// watchOnly watches the service until the deadline, giving progress every
// heartbeat.
func (r *runner) watchOnly(ctx, runCtx context.Context) (artifact.StopReason, string) {
	until := r.sched.watchUntil()
	for {
		left := until.Sub(r.o.clock.Now())
		if left <= 0 {
			return artifact.StopDuration, ""
		}
		if !r.o.clock.Sleep(min(left, r.beat()), runCtx.Done()) {
			return r.stopReason(ctx, runCtx)
		}
		if until.After(r.o.clock.Now()) {
			r.tick(Progress{Watching: true, Latest: r.sm.latest()})
		}
	}
}

// beat is how often a long wait gives progress: the heartbeat, or the
// default heartbeat when the soak has none.
func (r *runner) beat() time.Duration {
	if r.sched.heartbeat > 0 {
		return r.sched.heartbeat
	}
	return DefaultHeartbeat
}

// tick logs p, a progress without an iteration (a wait), with attrs,
// completed with the soak's elapsed time, ETA, counts and artifact bytes,
// and gives it to the progress hook.
func (r *runner) tick(p Progress, attrs ...any) {
	used, _, _ := r.st.usage()
	p.Elapsed, p.ETA, p.Counts, p.Bytes, p.MaxBytes = r.elapsed(), -1, r.state.Counts, used, int64(r.cfg.MaxBytes)
	if !r.sched.deadline.IsZero() {
		p.ETA = max(r.sched.deadline.Sub(r.o.clock.Now()), 0)
	}
	msg := "soak watching"
	if p.Waiting != "" {
		msg = "soak waiting for the service"
	}
	r.logger.Info(msg, append([]any{slog.Any("", p)}, attrs...)...)
	if r.o.progress != nil {
		r.o.progress(p)
	}
}

func (r *runner) loop(ctx, runCtx context.Context) (artifact.StopReason, string) {
	for {
		c := r.state.Counts
		if r.cfg.Count > 0 && c.Iterations >= r.cfg.Count {
			return artifact.StopCount, ""
		}
		if runCtx.Err() != nil {
			return r.stopReason(ctx, runCtx)
		}
		budget, cut, ok := r.sched.next(r.o.clock.Now())
		if !ok {
			return artifact.StopDuration, ""
		}
		r.maybeCompact(false)
		if first, _, _ := r.st.failure(); first != nil {
			return r.writeFailed()
		}
		rec, err := r.iterate(runCtx, c.Iterations+1, budget, cut)
		if err != nil {
			if errors.Is(err, errCapReached) {
				return artifact.StopByteCap, err.Error()
			}
			if errors.Is(err, ErrWriteFailed) {
				return r.writeFailed()
			}
			return artifact.StopError, err.Error()
		}
		if first, _, _ := r.st.failure(); first != nil {
			return r.writeFailed()
		}
		if ranToEnd(rec.Status) {
			r.sched.observe(rec.End.Sub(rec.Start))
		}
		c = r.state.Counts
		// A signal or the service's exit comes first: an iteration it cut
		// short may have failed too (it is counted), but the soak stopped
		// because of it, and Run must report a cancellation as such.
		if runCtx.Err() != nil {
			return r.stopReason(ctx, runCtx)
		}
		if rec.Status.Failed() {
			if !r.cfg.KeepGoing {
				return artifact.StopFailFast, fmt.Sprintf("iteration %d %s: %s", rec.Iteration, rec.Status, rec.Reason)
			}
			if r.cfg.MaxFailures > 0 && c.Failed >= r.cfg.MaxFailures {
				return artifact.StopMaxFailures, fmt.Sprintf("%d failed iterations", c.Failed)
			}
		}
		if r.cfg.Count > 0 && c.Iterations >= r.cfg.Count {
			return artifact.StopCount, ""
		}
		pause, ok := r.sched.pause(r.o.clock.Now())
		if !ok {
			return artifact.StopDuration, ""
		}
		if !r.o.clock.Sleep(pause, runCtx.Done()) {
			return r.stopReason(ctx, runCtx)
		}
	}
}

// iterate runs iteration n with the given budget, records it and reports
// progress. An error means a record could not be written.
func (r *runner) iterate(ctx context.Context, n int, budget time.Duration, cut bool) (*artifact.Record, error) {
	start := r.o.clock.Now()
	r.stateMu.Lock()
	r.state.Running = &artifact.Active{Iteration: n, Start: start}
	r.stateMu.Unlock()
	if err := r.fit(r.writeState); err != nil {
		return nil, err
	}
	cause := errIterationTimeout
	if cut {
		cause = errSoakDeadline
	}
	ictx, cancel := context.WithTimeoutCause(ctx, budget, cause)
	var watchMu sync.Mutex
	var watchers []func()
	rt := step.Runtime{
		LogDir: r.l.IterationLogs(n),
		Redact: r.o.redact,
		// The byte cap holds the log files only: a step whose output is
		// dropped still has its tail and details.
		LogFile: func(w io.Writer) io.WriteCloser { return r.st.logWriter(w, fileName(w), useLog) },
		Track:   r.track,
		Watch: func(name string, pid int) func() {
			r.stateMu.Lock()
			if a := r.state.Running; a != nil {
				for i := range a.Steps {
					if a.Steps[i].Name == name && a.Steps[i].PID == 0 {
						a.Steps[i].PID = pid
						break
					}
				}
			}
			r.stateMu.Unlock()
			stop := r.sm.watch(artifact.StepTarget(name), probe.Tree(pid))
			watchMu.Lock()
			watchers = append(watchers, stop)
			watchMu.Unlock()
			return stop
		},
		Logger: r.logger,
	}
	rep := r.s.it.run(ictx, rt, budget)
	cancel()
	watchMu.Lock()
	for _, stop := range watchers { // in case a step did not stop its watcher
		stop()
	}
	watchMu.Unlock()
	end := r.o.clock.Now()

	keep := map[int]bool{}
	if r.sv != nil {
		keep[r.sv.pid] = true
	}
	survivors := endSurvivors(keep)
	figs := r.sm.figures(artifact.IsStep)

	rec := &artifact.Record{
		Iteration: n, Start: start, End: end, DurationMS: end.Sub(start).Milliseconds(),
		BudgetMS: budget.Milliseconds(), Cut: cut, Status: rep.Runtime.Status, Reason: rep.Runtime.Reason,
		Steps: make([]artifact.StepRecord, 0, len(rep.Sections)), Resources: figs,
	}
	for i, sec := range rep.Sections {
		sr := r.stepRecord(sec, figs)
		if i == rep.cutAt {
			markCut(&sr)
		}
		rec.Steps = append(rec.Steps, sr)
		rec.Survivors = append(rec.Survivors, leftovers(sec)...)
	}
	rec.Survivors = append(rec.Survivors, processes(survivors)...)
	if len(rec.Survivors) > 0 && rec.Status == artifact.IterPassed {
		rec.Status = artifact.IterFailed
		rec.Reason = "processes survived the iteration: " + processList(rec.Survivors)
	}
	rec.Result = "FAIL"
	if rec.Status == artifact.IterPassed {
		rec.Result = "OK"
	}
	r.failOnWriteFailure(rec)
	rep.Result, rep.Runtime.Status, rep.Runtime.Reason = rec.Result, rec.Status, rec.Reason
	rep.Runtime.Iteration, rep.Runtime.Version = n, r.o.version
	if err := r.st.writeIterationJSON(r.l.IterationReport(n), rep); err != nil {
		r.logger.Warn("iteration report not written", "iteration", n, "err", err)
		r.failOnWriteFailure(rec) // the report is part of the iteration's evidence
	}
	r.st.finishIteration(n, rec.Status != artifact.IterPassed)
	rec.LogDir = r.relLogDir(n)
	r.stateMu.Lock()
	r.state.Running = nil
	r.stateMu.Unlock()
	size := r.iters.Size()
	if err := r.fit(func() error { size = r.iters.Size(); return r.st.appendLine(r.iters, rec) }); err != nil {
		// state.json keeps the record, so that a resume can still add it.
		r.failOnWriteFailure(rec)
		r.state.Unrecorded = rec
		r.state.Counts.Add(rec)
		return nil, err
	}
	r.state.Counts.Add(rec)
	r.cmp.file.appended(rec, r.iters.Size()-size)
	if err := r.fit(r.writeState); err != nil {
		return nil, err
	}
	r.progress(rec)
	return rec, nil
}

// fit runs write, and if the byte cap refused it, compacts the artifacts
// and runs it once more.
func (r *runner) fit(write func() error) error {
	err := write()
	if errors.Is(err, errCapReached) {
		r.maybeCompact(true)
		err = write()
	}
	return err
}

// failOnWriteFailure makes rec a failed iteration if an artifact write has
// failed: its logs, samples or report are incomplete, so it cannot count
// as passed, and a cut or cancelled iteration was cut by the failure.
func (r *runner) failOnWriteFailure(rec *artifact.Record) {
	first, _, _ := r.st.failure()
	if first == nil || rec.Status.Failed() {
		return
	}
	rec.Status, rec.Result = artifact.IterFailed, "FAIL"
	if !strings.Contains(rec.Reason, first.Error()) {
		rec.Reason = strings.TrimPrefix(rec.Reason+"; ", "; ") + first.Error()
	}
}

// fileName returns the name of w if it is a file, else "".
func fileName(w io.Writer) string {
	if f, ok := w.(interface{ Name() string }); ok {
		return f.Name()
	}
	return ""
}

// markCut marks sr, the section running when the soak's deadline or a
// signal ended its iteration, and the steps inside it, as cut where that
// end, not their own result, stopped them: those that neither passed, nor
// were skipped, nor failed on their own.
func markCut(sr *artifact.StepRecord) {
	switch sr.Status {
	case step.Passed, step.Skipped, step.Failed, "":
	default:
		sr.Cut = true
	}
	for i := range sr.Steps {
		markCut(&sr.Steps[i])
	}
}

func leftovers(r step.Result) []artifact.Process {
	out := stepProcesses(r.Leftovers)
	for _, c := range r.Steps {
		out = append(out, leftovers(c)...)
	}
	return out
}

// stepProcesses converts a step's leftover processes to their artifact form.
func stepProcesses(ps []step.Process) []artifact.Process {
	if len(ps) == 0 {
		return nil
	}
	out := make([]artifact.Process, len(ps))
	for i, p := range ps {
		out[i] = artifact.Process{PID: p.PID, Cmdline: p.Cmdline, Escaped: p.Escaped}
	}
	return out
}

// processes converts the process list of the survivor scan to its artifact
// form.
func processes(ps []proctree.Process) []artifact.Process {
	if len(ps) == 0 {
		return nil
	}
	out := make([]artifact.Process, len(ps))
	for i, p := range ps {
		out[i] = artifact.Process{PID: p.PID, Cmdline: p.Cmdline, Escaped: p.Escaped}
	}
	return out
}

// configJSON is cfg as state.json keeps it.
func configJSON(cfg Config) json.RawMessage {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil // Config holds only plain data; it always marshals
	}
	return b
}

func processList(ps []artifact.Process) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

func (r *runner) stepRecord(res step.Result, figs map[string]artifact.Figures) artifact.StepRecord {
	sr := artifact.StepRecord{
		Name: res.Name, Status: res.Status, OK: res.OK, Details: res.Details, ExitCode: res.ExitCode,
		DurationMS: res.Duration.Milliseconds(), Attempts: res.Attempts, Leftovers: stepProcesses(res.Leftovers),
		PeakRSS: figs[artifact.StepTarget(res.Name)].PeakRSS,
	}
	if !res.OK || res.Status != step.Passed && res.Status != step.Skipped {
		sr.Tail = res.Tail
	}
	for _, p := range []string{res.StdoutLog, res.StderrLog} {
		if p != "" {
			sr.Logs = append(sr.Logs, r.rel(p))
		}
	}
	for _, t := range res.Tests {
		sr.Tests = append(sr.Tests, artifact.TestRecord{Package: t.Package, Test: t.Test, Status: t.Status, ElapsedMS: t.Elapsed.Milliseconds()})
	}
	for _, c := range res.Steps {
		cr := r.stepRecord(c, figs)
		sr.PeakRSS = max(sr.PeakRSS, cr.PeakRSS)
		sr.Steps = append(sr.Steps, cr)
	}
	return sr
}

// rel returns p relative to the artifacts root, slash-separated, if it is
// inside it; else p.
func (r *runner) rel(p string) string {
	if rel, err := filepath.Rel(r.l.Root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

func (r *runner) relLogDir(n int) string {
	d := r.l.IterationLogs(n)
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return r.rel(d)
}

func (r *runner) elapsed() time.Duration { return r.base + r.o.clock.Now().Sub(r.start) }

// track records the process tree a step is about to start in state.json,
// before it starts, so that if this process is killed a later run can end
// its orphans; the tree is forgotten once it has ended.
func (r *runner) track(name, cookie string) (done func()) {
	r.stateMu.Lock()
	a := r.state.Running
	if a != nil {
		a.Steps = append(a.Steps, artifact.Tree{Name: name, Cookie: cookie})
	}
	r.stateMu.Unlock()
	if a == nil {
		return func() {}
	}
	if err := r.writeState(); err != nil {
		r.logger.Warn("state.json not written", "err", err) // the store has recorded the failure
	}
	return func() {
		r.stateMu.Lock()
		defer r.stateMu.Unlock()
		if r.state.Running == a {
			a.Steps = slices.DeleteFunc(a.Steps, func(t artifact.Tree) bool { return t.Cookie == cookie })
		}
	}
}

func (r *runner) writeState() error {
	r.stateMu.Lock()
	defer r.stateMu.Unlock()
	r.state.Updated = r.o.clock.Now()
	r.state.ElapsedMS = r.elapsed().Milliseconds()
	return r.st.writeJSON(r.l.State(), &r.state)
}

func (r *runner) progress(rec *artifact.Record) {
	used, _, _ := r.st.usage()
	c := r.state.Counts
	p := Progress{Iteration: rec.Iteration, Status: rec.Status, Elapsed: r.elapsed(), ETA: -1,
		Counts: c, Latest: rec.Resources, Bytes: used, MaxBytes: int64(r.cfg.MaxBytes)}
	switch {
	case !r.sched.deadline.IsZero():
		p.ETA = max(r.sched.deadline.Sub(r.o.clock.Now()), 0)
	case r.cfg.Count > 0 && c.Iterations > 0:
		p.ETA = time.Duration(int64(r.elapsed()) / int64(c.Iterations) * int64(max(r.cfg.Count-c.Iterations, 0)))
	}
	level := slog.LevelInfo
	if rec.Status.Failed() {
		level = slog.LevelWarn
	}
	r.logger.Log(context.Background(), level, "soak iteration", slog.Any("", p), slog.String("reason", rec.Reason))
	if r.o.progress != nil {
		r.o.progress(p)
	}
	if fn := r.o.observer.Iteration; fn != nil {
		fn(rec, p)
	}
}

func (r *runner) stopService() *artifact.ServiceExit {
	if r.sv == nil {
		return r.svExit
	}
	x := r.sv.stop()
	r.svExit = x
	r.observeService(r.cfg.Service.Name, false)
	return x
}

// finish ends everything and writes the final checkpoint and manifest. It
// runs whatever ended the soak, with work that does not depend on ctx.
func (r *runner) finish(ctx context.Context, stop artifact.StopReason, reason string) (*Outcome, error) {
	x := r.stopService()
	r.sm.wait()
	if x != nil && !x.Expected && stop != artifact.StopServiceExited && stop != artifact.StopServiceFailed {
		// It ended on its own while the soak was stopping for another reason.
		reason = strings.TrimPrefix(reason+"; ", "; ") + "the service had exited"
	}
	// The reserve's room and the room kept for the closing files go to the
	// closing writes and the summary.
	r.st.releaseReserve()
	r.st.openClosing()
	for _, a := range []*jsonl.Appender{r.iters, r.samples} {
		if err := a.Sync(); err != nil {
			r.st.fail(a.Path(), err)
		}
	}
	r.stateMu.Lock()
	r.state.Running = nil
	if x != nil {
		r.state.ServiceTree = nil // ended and swept
	}
	r.stateMu.Unlock()
	checkpoint := func() error {
		if first, list, n := r.st.failure(); first != nil {
			if stop != artifact.StopWriteFailed {
				was := string(stop)
				if reason != "" {
					was += ": " + reason
				}
				stop, reason = r.writeFailed()
				reason += "; the soak was also stopping (" + was + ")"
			}
			r.state.WriteFailures = append(r.state.WriteFailures[:r.prevFailures:r.prevFailures], list...)
			r.state.WriteFailed = r.prevFailed + n
		}
		r.state.Stop, r.state.Reason = stop, reason
		return r.writeState()
	}
	// The final checkpoint records how the service ended.
	r.state.Service = x
	var errs []error
	stateErr := checkpoint()
	if m, err := artifact.BuildManifest(r.l.Root, r.l.Manifest()); err != nil {
		errs = append(errs, err)
	} else if err := r.st.writeJSON(r.l.Manifest(), m); err != nil {
		errs = append(errs, err)
		if stateErr == nil && errors.Is(err, ErrWriteFailed) {
			stateErr = checkpoint() // the checkpoint must say so
		}
	}
	if stateErr != nil {
		errs = append(errs, fmt.Errorf("soak: final checkpoint not written: %w", stateErr))
	}
	used, evicted, dropped := r.st.usage()
	_, failures, _ := r.st.failure()
	out := &Outcome{Counts: r.state.Counts, Stop: stop, Reason: reason, Elapsed: r.elapsed(),
		Service: x, Bytes: used, Evicted: evicted, Dropped: dropped,
		WriteFailures: failures, Checkpointed: stateErr == nil, Orphans: r.state.Orphans}
	out.Alarms = r.sm.alarmsRaised()
	if first, _, _ := r.st.failure(); first != nil && !slices.ContainsFunc(errs, func(e error) bool { return errors.Is(e, first) }) {
		errs = append([]error{first}, errs...)
	}
	r.logger.Info("soak ended", "stop", stop, "reason", reason, "iterations", out.Counts.Iterations,
		"passed", out.Counts.Passed, "failed", out.Counts.Failed, "elapsed", out.Elapsed.Round(time.Millisecond),
		"artifact_bytes", used, "ok", out.OK())
	if stop == artifact.StopSignal && ctx.Err() != nil {
		errs = append(errs, context.Cause(ctx))
	}
	if stop == artifact.StopError {
		errs = append(errs, errors.New("soak: "+reason))
	}
	return out, errors.Join(errs...)
}

// treeCookies returns the cookies of the process trees st says were
// running: the steps of the running iteration and a service that had not
// ended.
func treeCookies(st *artifact.State) []string {
	var cs []string
	if a := st.Running; a != nil {
		for _, t := range a.Steps {
			cs = append(cs, t.Cookie)
		}
	}
	if t := st.ServiceTree; t != nil {
		cs = append(cs, t.Cookie)
	}
	return slices.DeleteFunc(cs, func(c string) bool { return !strings.HasPrefix(c, proctree.CookiePrefix) })
}

// planNames returns the names of the plan's sections, in order.
func (s *Soak) planNames() []string {
	if s.it == nil {
		return nil
	}
	names := make([]string, len(s.it.Sections))
	for i, sec := range s.it.Sections {
		names[i] = sec.Step.Name()
	}
	return names
}

// ErrSettingsChanged is wrapped by the error of [Soak.Resume] when the
// soak's configuration, heartbeat or plan differ from those its checkpoint
// recorded: a resume continues exactly the soak that was started.
var ErrSettingsChanged = errors.New("soak: resume: the settings differ from the checkpoint's")

// sameSettings compares the soak's settings with those of its checkpoint
// (r.state) and names each difference.
func (r *runner) sameSettings() error {
	var saved Config
	var diffs []string
	if err := json.Unmarshal(r.state.Config, &saved); err != nil {
		return fmt.Errorf("soak: resume: %s: config: %w", r.l.State(), err)
	}
	saved.ArtifactsDir = r.cfg.ArtifactsDir // where the checkpoint was found: the same soak
	diffs = saved.Diff(r.cfg)
	if hb := r.state.Heartbeat; hb != nil && hb.Std() != r.o.heartbeat {
		diffs = append(diffs, fmt.Sprintf("heartbeat: %v in the checkpoint, %v given", hb.Std(), r.o.heartbeat))
	}
	if names := r.s.planNames(); r.state.Plan != nil && !slices.Equal(names, r.state.Plan) {
		diffs = append(diffs, fmt.Sprintf("plan: %q in the checkpoint, %q given", r.state.Plan, names))
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%w: %s", ErrSettingsChanged, strings.Join(diffs, "; "))
	}
	return nil
}

// recount rebuilds the counters from iterations.jsonl, fills failed with
// each iteration's failure state, sets *last to the highest number and
// gives sched the durations of the iterations that ran to their end, so
// that a resumed soak knows what an iteration needs. Range records add
// their iterations to ranges instead of failed.
func recount(path string, failed map[int]bool, ranges *[][2]int, last *int, sched *schedule) (artifact.Counts, error) {
	var c artifact.Counts
	err := jsonl.Decode(path, func(rec artifact.Record, _ int) error {
		c.Add(&rec)
		*last = max(*last, rec.LastIteration())
		if rec.Range != nil {
			*ranges = append(*ranges, [2]int{rec.Iteration, rec.Range.Last})
			return nil
		}
		failed[rec.Iteration] = rec.Status != artifact.IterPassed
		if ranToEnd(rec.Status) {
			sched.observe(rec.End.Sub(rec.Start))
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	return c, err
}
