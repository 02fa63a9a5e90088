package summary

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/probe/sim"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func compute(t *testing.T, root string, cfg *Config) *Summary {
	t.Helper()
	s, err := Compute(root, cfg)
	if err != nil {
		t.Fatalf("Compute(%s): %v", root, err)
	}
	return s
}

func TestFlaky(t *testing.T) {
	r := newRun(t)
	failIn := map[int]bool{3: true, 7: true}
	r.iterate(10, 5*time.Minute,
		passing("lint", constMS(800)),
		func(i int) artifact.StepRecord {
			st := artifact.StepRecord{Name: "tests", Status: step.Passed, OK: true, DurationMS: 9000, Attempts: 1,
				Tests: []artifact.TestRecord{
					{Package: "example.com/app", Test: "TestStable", Status: step.Passed},
					{Package: "example.com/app", Test: "TestRace", Status: step.Passed},
					{Package: "example.com/app", Status: step.Passed},
				}}
			if i%4 == 0 { // TestRace fails in 4 and 8 while the step is retried green
				st.Tests[1].Status = step.Failed
			}
			if failIn[i] {
				st.Status, st.OK, st.Details = step.Failed, false, "1 failed (TestStable)"
				st.Tests[0].Status = step.Failed
				st.Tests[2].Status = step.Failed
			}
			return st
		})
	r.finish(artifact.StopCount)
	s := compute(t, r.write(t), nil)

	want := []Flaky{
		{Kind: "step", Step: "tests", Passed: 8, Failed: 2, FailedIterations: []int{3, 7}},
		{Kind: "test", Step: "tests", Package: "example.com/app", Test: "TestStable", Passed: 8, Failed: 2, FailedIterations: []int{3, 7}},
		{Kind: "test", Step: "tests", Package: "example.com/app", Test: "TestRace", Passed: 8, Failed: 2, FailedIterations: []int{4, 8}},
	}
	if diff := cmp.Diff(want, s.Flaky); diff != "" {
		t.Errorf("Flaky mismatch (-want +got):\n%s", diff)
	}
	if s.Verdict.Status != Failed || s.ExitCode() != ExitFailures {
		t.Errorf("verdict = %s/%d, want failed/1", s.Verdict.Status, s.ExitCode())
	}
	for _, st := range s.Steps {
		if got, want := st.Flaky, st.Name == "tests"; got != want {
			t.Errorf("step %s: Flaky = %v, want %v", st.Name, got, want)
		}
	}
}

func TestSlowdown(t *testing.T) {
	tests := []struct {
		name       string
		durations  func(i int) int64
		wantSlower bool
		wantPct    [2]float64 // range of Percent
	}{
		{"40% over 12h", noisy(1, 10000, 0.08, 0.4, 144), true, [2]float64{30, 50}},
		{"stable noisy", noisy(2, 10000, 0.15, 0, 144), false, [2]float64{-10, 10}},
		{"10% is under the threshold", noisy(3, 10000, 0.05, 0.10, 144), false, [2]float64{3, 17}},
		{"one benign step up", func(i int) int64 {
			if i > 72 {
				return noisy(4, 13000, 0.03, 0, 144)(i)
			}
			return noisy(4, 10000, 0.03, 0, 144)(i)
		}, false, [2]float64{-100, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRun(t)
			r.iterate(144, 5*time.Minute, passing("tests", tt.durations), passing("lint", constMS(500)))
			r.finish(artifact.StopDuration)
			s := compute(t, r.write(t), nil)
			var tr *Trend
			for i := range s.Slowdowns {
				if s.Slowdowns[i].Step == "tests" {
					tr = &s.Slowdowns[i]
				}
			}
			if tr == nil {
				t.Fatalf("no trend for step tests in %+v", s.Slowdowns)
			}
			if tr.Slower != tt.wantSlower {
				t.Errorf("Slower = %v, want %v (%s)", tr.Slower, tt.wantSlower, tr.Reason)
			}
			if tr.Percent < tt.wantPct[0] || tr.Percent > tt.wantPct[1] {
				t.Errorf("Percent = %v, want in %v (%s)", tr.Percent, tt.wantPct, tr.Reason)
			}
			wantStatus, wantExit := Passed, ExitHealthy
			if tt.wantSlower {
				wantStatus, wantExit = Slowdown, ExitLeak
				if !regexp.MustCompile(`^step tests got \d+% slower over 1[12]\.\d h`).MatchString(s.Verdict.Reason) {
					t.Errorf("Verdict.Reason = %q, want \"step tests got N%% slower over 12 h …\"", s.Verdict.Reason)
				}
			}
			if s.Verdict.Status != wantStatus || s.ExitCode() != wantExit {
				t.Errorf("verdict = %s/%d, want %s/%d: %s", s.Verdict.Status, s.ExitCode(), wantStatus, wantExit, s.Verdict.Reason)
			}
		})
	}
}

// A trend's reason agrees with its verdict and words durations in seconds.
func TestSlowdownReasons(t *testing.T) {
	tests := []struct {
		name      string
		durations func(i int) int64
		want      string // in the reason
		notWant   []string
	}{
		{"one benign step up", func(i int) int64 {
			if i > 72 {
				return noisy(4, 13000, 0.03, 0, 144)(i)
			}
			return noisy(4, 10000, 0.03, 0, 144)(i)
		}, "not a slowdown", []string{"below the"}},
		{"very noisy", noisy(5, 10000, 0.9, 0, 144), "inconclusive", []string{"duration/h"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRun(t)
			r.iterate(144, 5*time.Minute, passing("tests", tt.durations))
			r.finish(artifact.StopDuration)
			s := compute(t, r.write(t), nil)
			if len(s.Slowdowns) != 1 {
				t.Fatalf("Slowdowns = %+v, want one trend", s.Slowdowns)
			}
			tr := s.Slowdowns[0]
			if tr.Slower || !strings.Contains(tr.Reason, tt.want) {
				t.Errorf("Slower = %v, Reason = %q; want not slower and %q in the reason", tr.Slower, tr.Reason, tt.want)
			}
			for _, bad := range tt.notWant {
				if strings.Contains(tr.Reason, bad) {
					t.Errorf("Reason = %q, want no %q (Percent %v)", tr.Reason, bad, tr.Percent)
				}
			}
			if m := regexp.MustCompile(`\d duration\b`).FindString(tr.Reason); m != "" {
				t.Errorf("Reason = %q words a duration as %q, want seconds", tr.Reason, m)
			}
		})
	}
}

func TestLeakFromSamples(t *testing.T) {
	tests := []struct {
		name     string
		run      sim.Run
		failing  bool
		ignore   []string
		want     probe.Outcome
		wantStat Status
	}{
		{"leak 1 MiB/min", sim.Run{Profile: sim.Go, Seed: 7, Duration: 2 * time.Hour, Leak: 1}, false, nil, probe.Leak, Leak},
		{"stationary go", sim.Run{Profile: sim.Go, Seed: 8, Duration: 2 * time.Hour}, false, nil, probe.Pass, Passed},
		{"leak and failures", sim.Run{Profile: sim.Go, Seed: 7, Duration: 2 * time.Hour, Leak: 1}, true, nil, probe.Leak, Failed},
		{"leak of an ignored target", sim.Run{Profile: sim.Go, Seed: 7, Duration: 2 * time.Hour, Leak: 1}, false, []string{"api"}, probe.Leak, Passed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRun(t)
			r.iterate(24, 5*time.Minute, passing("probe", func(i int) int64 {
				if tt.failing && i == 5 {
					return -1
				}
				return 1000
			}))
			if tt.failing {
				r.recs[4].Status, r.recs[4].Result, r.recs[4].Reason = artifact.IterFailed, "FAIL", "step probe failed"
				r.recs[4].Steps[0] = artifact.StepRecord{Name: "probe", Status: step.Failed, Details: "connection refused", ExitCode: 1, Tail: "dial: connection refused\n"}
			}
			r.samplesFrom("api", tt.run)
			r.finish(artifact.StopDuration)
			s := compute(t, r.write(t), &Config{Leaks: LeakConfig{Ignore: tt.ignore}})
			var got *probe.Verdict
			for i := range s.Leaks {
				if s.Leaks[i].Target == "api" && s.Leaks[i].Metric == probe.RSS {
					got = &s.Leaks[i]
				}
			}
			if got == nil {
				t.Fatalf("no rss verdict for api in %+v", s.Leaks)
			}
			if got.Outcome != tt.want {
				t.Errorf("api rss outcome = %s, want %s (%s)", got.Outcome, tt.want, got.Reason)
			}
			if s.Verdict.Status != tt.wantStat {
				t.Errorf("Verdict.Status = %s, want %s (%s)", s.Verdict.Status, tt.wantStat, s.Verdict.Reason)
			}
			if tt.failing && !strings.Contains(s.Verdict.Reason, "also api rss leak") {
				t.Errorf("Verdict.Reason = %q, want the leak reported with the failure", s.Verdict.Reason)
			}
			if got.Outcome == probe.Leak && (got.Unit != "MiB/h" || got.Slope < 40 || got.Slope > 80) {
				t.Errorf("slope = %v %s, want about 60 MiB/h", got.Slope, got.Unit)
			}
		})
	}
}

// Only a soak that reached its planned end with nothing wrong passes; a
// signal, a crash, a dead service or a run that judged nothing never does.
func TestExitCodes(t *testing.T) {
	died := &artifact.ServiceExit{Name: "api", PID: 7, ExitCode: 2}
	leftovers := &artifact.ServiceExit{Name: "api", PID: 7, Expected: true, Survivors: []artifact.Process{{PID: 9}}}
	stopped := &artifact.ServiceExit{Name: "api", PID: 7, Expected: true}
	tests := []struct {
		name       string
		stop       artifact.StopReason
		iterations int
		fail       bool
		watchOnly  bool
		service    *artifact.ServiceExit
		want       int
		wantStatus Status
	}{
		{name: "healthy", stop: artifact.StopDuration, iterations: 3, want: ExitHealthy, wantStatus: Passed},
		{name: "healthy count", stop: artifact.StopCount, iterations: 3, service: stopped, want: ExitHealthy, wantStatus: Passed},
		{name: "failed iteration", stop: artifact.StopFailFast, iterations: 3, fail: true, want: ExitFailures, wantStatus: Failed},
		{name: "service died", stop: artifact.StopServiceExited, iterations: 3, want: ExitFailures, wantStatus: Failed},
		{name: "service died at the end", stop: artifact.StopDuration, iterations: 3, service: died, want: ExitFailures, wantStatus: Failed},
		{name: "service left processes", stop: artifact.StopCount, iterations: 3, service: leftovers, want: ExitFailures, wantStatus: Failed},
		{name: "byte cap", stop: artifact.StopByteCap, iterations: 3, want: ExitFailures, wantStatus: Failed},
		{name: "write failure", stop: artifact.StopError, iterations: 3, want: ExitFailures, wantStatus: Failed},
		{name: "signal", stop: artifact.StopSignal, iterations: 3, want: ExitSignal, wantStatus: Stopped},
		{name: "signal before any iteration", stop: artifact.StopSignal, want: ExitSignal, wantStatus: Stopped},
		{name: "signal after a failure", stop: artifact.StopSignal, iterations: 3, fail: true, want: ExitSignal, wantStatus: Failed},
		{name: "no stop reason", iterations: 3, want: ExitFailures, wantStatus: Incomplete},
		{name: "no iteration", stop: artifact.StopDuration, want: ExitFailures, wantStatus: Failed},
		{name: "watch-only without samples", stop: artifact.StopDuration, watchOnly: true, want: ExitFailures, wantStatus: Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRun(t)
			r.iterate(tt.iterations, time.Minute, passing("a", constMS(10)))
			if tt.fail {
				r.recs[2].Status = artifact.IterFailed
			}
			r.finish(tt.stop)
			r.state.Reason = "detail"
			r.state.WatchOnly, r.state.Service = tt.watchOnly, tt.service
			s := compute(t, r.write(t), nil)
			if s.ExitCode() != tt.want || s.Verdict.Status != tt.wantStatus {
				t.Errorf("ExitCode(), Status = %d, %s; want %d, %s (%s)", s.ExitCode(), s.Verdict.Status, tt.want, tt.wantStatus, s.Verdict.Reason)
			}
			if tt.wantStatus == Stopped && !strings.Contains(s.Verdict.Reason, "stopped by a signal") {
				t.Errorf("Verdict.Reason = %q, want it to say the soak was stopped by a signal", s.Verdict.Reason)
			}
		})
	}
}

// A soak that only watched its service passes on the service's samples.
func TestWatchOnly(t *testing.T) {
	r := newRun(t)
	r.samplesFrom("api", sim.Run{Profile: sim.Quiet, Seed: 1, Duration: 30 * time.Minute})
	r.finish(artifact.StopDuration)
	r.state.WatchOnly = true
	r.state.Service = &artifact.ServiceExit{Name: "api", PID: 42, Expected: true}
	s := compute(t, r.write(t), nil)
	if s.Verdict.Status != Passed || s.ExitCode() != ExitHealthy {
		t.Errorf("watch-only soak of a quiet service: %s, exit %d (%s); want passed, 0", s.Verdict.Status, s.ExitCode(), s.Verdict.Reason)
	}
}

func ptr(v float64) *float64 { return &v }

func TestGates(t *testing.T) {
	r := newRun(t)
	r.iterate(20, time.Minute, passing("tests", func(i int) int64 { return int64(100 * i) }))
	r.finish(artifact.StopCount)
	root := r.write(t)
	kpi := filepath.Join(root, "kpi.json")
	if err := os.WriteFile(kpi, []byte(`{"summary":{"p95_latency_ms":412,"risk_ratio":null,"a/b":1},"net_bps":[2.5,3.5,null,3],"name":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	gates := []Gate{
		{Figure: "step.tests.p95_ms", Max: ptr(2000)},                             // 1900: pass
		{Figure: "step.tests.p95_ms", Max: ptr(2500), SoftMax: ptr(1500)},         // warn
		{Name: "p95 hard", Figure: "step.tests.p95_ms", Max: ptr(1000)},           // fail
		{Figure: "step.nope.p95_ms", Max: ptr(1)},                                 // missing: fail
		{Figure: "leak.api.rss.slope", Max: ptr(1), Missing: "warn"},              // missing: warn
		{File: "kpi.json", Pointer: "/summary/p95_latency_ms", Max: ptr(400)},     // 412: fail
		{File: "kpi.json", Pointer: "/summary/risk_ratio", Max: ptr(0.5)},         // null: missing
		{File: "kpi.json", Pointer: "/summary/a~1b", Min: ptr(1)},                 // escaped key: pass
		{File: "kpi.json", Pointer: "/net_bps", Aggregate: "mean", Min: ptr(2.7)}, // mean 3: pass
		{File: "kpi.json", Pointer: "/net_bps", Min: ptr(2.7)},                    // array, no aggregate: missing
		{File: "kpi.json", Pointer: "/name", Min: ptr(0)},                         // a string: missing
		{File: "absent.json", Pointer: "/x", Min: ptr(0)},                         // no file: missing
		{Figure: "failure_rate", Max: ptr(0)},                                     // 0: pass
	}
	s := compute(t, root, &Config{Gates: gates})
	type res struct {
		Status  GateStatus
		Value   *float64
		Missing bool
	}
	want := []res{
		{GatePass, ptr(1900), false},
		{GateWarn, ptr(1900), false},
		{GateFail, ptr(1900), false},
		{GateFail, nil, true},
		{GateWarn, nil, true},
		{GateFail, ptr(412), false},
		{GateFail, nil, true},
		{GatePass, ptr(1), false},
		{GatePass, ptr(3), false},
		{GateFail, nil, true},
		{GateFail, nil, true},
		{GateFail, nil, true},
		{GatePass, ptr(0), false},
	}
	var got []res
	for _, g := range s.Gates {
		got = append(got, res{g.Status, g.Value, g.Missing})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gate results mismatch (-want +got):\n%s", diff)
	}
	if s.Verdict.Status != Failed {
		t.Errorf("Verdict.Status = %s, want failed: hard gates failed", s.Verdict.Status)
	}
	// Every gate's reason names the gate, a missing one too: "gate missing:
	// …" in the verdict would not say which.
	for _, g := range s.Gates {
		if !strings.HasPrefix(g.Reason, g.Name+" ") {
			t.Errorf("gate %q: Reason = %q, want it to start with the gate's name", g.Name, g.Reason)
		}
	}
	// A missing value is null in summary.json, never 0.
	b, err := canonjson.Marshal(s.Gates[3])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"value":null`)) || !bytes.Contains(b, []byte(`"missing":true`)) {
		t.Errorf("missing gate encodes as %s, want value null and missing true", b)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // fields in error
	}{
		{"ok", Config{Gates: []Gate{{Figure: "failed", Max: ptr(0)}}}, nil},
		{"no bound", Config{Gates: []Gate{{Figure: "failed"}}}, []string{"gates[0]"}},
		{"both sources", Config{Gates: []Gate{{Figure: "failed", File: "a.json", Max: ptr(1)}}}, []string{"gates[0]"}},
		{"bad pointer", Config{Gates: []Gate{{File: "a.json", Pointer: "x", Max: ptr(1)}}}, []string{"gates[0].pointer"}},
		{"soft above hard", Config{Gates: []Gate{{Figure: "failed", Max: ptr(1), SoftMax: ptr(2)}}}, []string{"gates[0].soft_max"}},
		{"bad aggregate and missing", Config{Gates: []Gate{{File: "a.json", Pointer: "/a", Aggregate: "avg", Min: ptr(1), Missing: "zero"}}},
			[]string{"gates[0].aggregate", "gates[0].missing"}},
		{"negative slowdown", Config{Slowdown: SlowdownConfig{MinIncrease: -1}}, []string{"slowdown.min_increase"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			var got []string
			for _, e := range unjoin(err) {
				ce, ok := e.(*ConfigError)
				if !ok {
					t.Fatalf("Validate() error %v is %T, want *ConfigError", e, e)
				}
				got = append(got, ce.Field)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() fields mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// A run whose process died: no state.json, a torn last line, an iteration
// in progress. The summary is still computed from what is there.
func TestCrashedRun(t *testing.T) {
	r := newRun(t)
	r.iterate(5, time.Minute, passing("a", constMS(10)))
	r.samplesFrom("service", sim.Run{Profile: sim.Quiet, Seed: 1, Duration: 5 * time.Minute})
	root := r.write(t)
	f, err := os.OpenFile(artifact.Layout{Root: root}.Iterations(), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"iteration":6,"start":"2026-11-`)
	f.Close()
	s, err := Write(root, nil)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if s.Run.Complete || s.Iterations.Passed != 5 || s.ExitCode() != ExitFailures {
		t.Errorf("crashed run: complete=%v passed=%d exit=%d, want false 5 %d", s.Run.Complete, s.Iterations.Passed, s.ExitCode(), ExitFailures)
	}
	if !strings.Contains(strings.Join(s.Verdict.Reasons, "\n"), "no stop reason") {
		t.Errorf("Reasons = %q, want a note about the missing stop reason", s.Verdict.Reasons)
	}
	var back Summary
	if err := canonjson.Read(artifact.Layout{Root: root}.Summary(), &back); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if back.Verdict.Status != Incomplete || back.TotalIterations != 5 || back.SuccessRatePercent != 100 {
		t.Errorf("summary.json: status %s, total_iterations %d, success_rate_percent %v", back.Verdict.Status, back.TotalIterations, back.SuccessRatePercent)
	}
	var doc struct {
		Tests int `xml:"tests,attr"`
	}
	b, err := os.ReadFile(artifact.Layout{Root: root}.JUnit())
	if err != nil {
		t.Fatal(err)
	}
	// One case per step, not per iteration: step a.
	if err := xml.Unmarshal(b, &doc); err != nil || doc.Tests != 1 {
		t.Errorf("junit.xml: tests=%d err=%v, want 1 case", doc.Tests, err)
	}
}

// The legacy metrics_summary.json fields keep their names and meaning.
func TestMetricsSummaryFields(t *testing.T) {
	r := newRun(t)
	r.iterate(4, time.Minute, passing("a", func(i int) int64 { return int64(1000 * i) }))
	r.recs[3].Status = artifact.IterTimedOut
	r.finish(artifact.StopFailFast)
	s := compute(t, r.write(t), nil)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		TotalIterations    int                             `json:"total_iterations"`
		Successful         int                             `json:"successful"`
		Failed             int                             `json:"failed"`
		SuccessRatePercent float64                         `json:"success_rate_percent"`
		DurationSeconds    struct{ Avg, Min, Max float64 } `json:"duration_seconds"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := got
	want.TotalIterations, want.Successful, want.Failed, want.SuccessRatePercent = 4, 3, 1, 75
	want.DurationSeconds.Avg, want.DurationSeconds.Min, want.DurationSeconds.Max = 2.5, 1, 4
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics_summary fields mismatch (-want +got):\n%s", diff)
	}
}

// normalize removes what varies between machines from golden text. The
// generated runs have fixed times, so only temporary paths vary.
// normalize replaces the artifacts root with $ROOT. A path below it (an
// error naming a missing file) reads $ROOT/name on every OS: Windows writes
// it with a backslash, as its users expect.
func normalize(s, root string) string {
	s = strings.ReplaceAll(s, root+string(filepath.Separator), "$ROOT/")
	return strings.ReplaceAll(s, root, "$ROOT")
}

func TestGolden(t *testing.T) {
	r := newRun(t)
	r.iterate(12, 5*time.Minute,
		passing("build", constMS(1500)),
		func(i int) artifact.StepRecord {
			st := artifact.StepRecord{Name: "tests", Status: step.Passed, OK: true, DurationMS: 9000 + int64(i*10), Attempts: 1,
				Logs:  []string{"soak/logs/" + strings.Repeat("0", 4) + "0" + string(rune('0'+i%10)) + "/tests.stdout.log"},
				Tests: []artifact.TestRecord{{Package: "example.com/app", Test: "TestA", Status: step.Passed, ElapsedMS: 120}}}
			if i == 9 {
				st.Status, st.OK, st.Details, st.ExitCode = step.Failed, false, "1 failed (TestA)", 1
				st.Tail = "--- FAIL: TestA (0.12s)\n    a_test.go:12: got 3, want 4 | <b>\n```\nFAIL\n"
				st.Tests[0].Status = step.Failed
			}
			return st
		},
		func(i int) artifact.StepRecord {
			if i == 11 {
				return artifact.StepRecord{Name: "e2e", Status: step.TimedOut, Details: "timed out after 30s", ExitCode: -1, DurationMS: 30000, Tail: "waiting for server\n"}
			}
			return artifact.StepRecord{Name: "e2e", Status: step.Skipped, Details: "E2E_TOKEN is not set"}
		})
	r.recs = append(r.recs, artifact.Record{Iteration: 13, Start: t0.Add(time.Hour), End: t0.Add(time.Hour + time.Second),
		DurationMS: 1000, Status: artifact.IterCut, Cut: true, Result: "FAIL", Reason: "the soak deadline was reached", Steps: []artifact.StepRecord{}})
	r.finish(artifact.StopDuration)
	root := r.write(t)
	cfg := &Config{Gates: []Gate{
		{Figure: "failure_rate", Max: ptr(0.1), SoftMax: ptr(0.01)},
		{Name: "latency", File: "kpi.json", Pointer: "/p95_ms", Max: ptr(400)},
	}}
	s, err := Write(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := artifact.Layout{Root: root}
	for _, path := range []string{l.SummaryMarkdown(), l.JUnit()} {
		name := filepath.Base(path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got := normalize(string(b), root)
		golden := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
	if !strings.HasPrefix(s.Markdown(), "## Soak FAILED: 2 of 12 iterations failed") {
		t.Errorf("summary.md does not start with the verdict:\n%s", s.Markdown())
	}
}
