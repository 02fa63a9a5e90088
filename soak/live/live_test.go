package live_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/goleak"

	"github.com/soakkit/soakkit/lint/expo"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/live"
	"github.com/soakkit/soakkit/step"
)

// TestMain doubles as the service of TestService: with LIVE_TEST_SERVICE
// set, the test binary waits until the soak ends it.
func TestMain(m *testing.M) {
	if os.Getenv("LIVE_TEST_SERVICE") != "" {
		time.Sleep(10 * time.Minute)
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// scrape GETs the exposition from h as a Prometheus server would.
func scrape(t *testing.T, h http.Handler) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", expo.DefaultAccept)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// lintClean fails t for any finding of the repository's own /metrics lint
// (default configuration), whatever its severity.
func lintClean(t *testing.T, data []byte) {
	t.Helper()
	fs, err := expo.Check(data, expo.Text, nil)
	if err != nil {
		t.Fatalf("expo.Check: %v\n%s", err, data)
	}
	for _, f := range fs {
		t.Errorf("line %d: %s: %s", f.Line, f.Rule, f.Message)
	}
	if len(fs) > 0 {
		t.Logf("exposition:\n%s", data)
	}
}

// value returns the value of the series of family name whose labels
// include want, and whether there is exactly one.
func value(t *testing.T, data []byte, name string, want map[string]string) (float64, bool) {
	t.Helper()
	mfs, err := expo.Decode(data, expo.Text)
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.Metric {
			if !hasLabels(m, want) {
				continue
			}
			switch {
			case m.Counter != nil:
				got = append(got, m.Counter.GetValue())
			case m.Gauge != nil:
				got = append(got, m.Gauge.GetValue())
			case m.Histogram != nil:
				got = append(got, float64(m.Histogram.GetSampleCount()))
			}
		}
	}
	if len(got) != 1 {
		return 0, false
	}
	return got[0], true
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.Label {
		if v, ok := want[l.GetName()]; ok {
			if v != l.GetValue() {
				return false
			}
			n++
		}
	}
	return n == len(want)
}

// TestRealSoak scrapes the metrics from inside a real soak (a step of
// iteration 3 scrapes), and again after it: the exposition passes the
// repository's /metrics lint with no finding, and its counts are those of
// the soak.
func TestRealSoak(t *testing.T) {
	m := live.New(live.Config{Runner: "linux-1"})
	var during []byte
	n := 0
	work := step.Func("work", func(ctx context.Context) error {
		n++
		if n == 3 {
			during = scrape(t, m.Handler())
		}
		return nil
	})
	flaky := step.Func("flaky", func(ctx context.Context) error {
		if n == 2 {
			return errors.New("the second iteration fails")
		}
		return nil
	})
	s, err := soak.New(soak.Config{Count: 4, KeepGoing: true, ArtifactsDir: t.TempDir(), SampleInterval: artifact.Duration(10 * time.Millisecond)},
		&soak.Iteration{Sections: soak.Sections(work, flaky)},
		soak.WithHeartbeat(0), soak.WithObserver(m.Observer()))
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if out.Counts.Passed != 3 || out.Counts.Failed != 1 {
		t.Fatalf("soak counts %+v, want 3 passed, 1 failed", out.Counts)
	}
	after := scrape(t, m.Handler())
	tests := []struct {
		name   string
		data   []byte
		metric string
		labels map[string]string
		want   float64
	}{
		{"during passed", during, "soakkit_iterations_total", map[string]string{"result": "passed", "runner": "linux-1"}, 1},
		{"during failed", during, "soakkit_iterations_total", map[string]string{"result": "failed"}, 1},
		{"during work runs", during, "soakkit_step_duration_seconds", map[string]string{"step": "work"}, 2},
		{"after passed", after, "soakkit_iterations_total", map[string]string{"result": "passed"}, 3},
		{"after failed", after, "soakkit_iterations_total", map[string]string{"result": "failed"}, 1},
		{"after timed out", after, "soakkit_iterations_total", map[string]string{"result": "timed_out"}, 0},
		{"after flaky failed", after, "soakkit_steps_total", map[string]string{"step": "flaky", "status": "failed"}, 1},
		{"after flaky passed", after, "soakkit_steps_total", map[string]string{"step": "flaky", "status": "passed"}, 3},
		{"after work durations", after, "soakkit_step_duration_seconds", map[string]string{"step": "work"}, 4},
		{"after self processes", after, "soakkit_processes", map[string]string{"target": "self"}, 1},
		{"after artifact bytes", after, "soakkit_artifact_bytes", nil, float64(out.Bytes)},
	}
	for _, tt := range tests {
		got, ok := value(t, tt.data, tt.metric, tt.labels)
		if !ok || got != tt.want {
			t.Errorf("%s: %s%v = %v (found: %v), want %v", tt.name, tt.metric, tt.labels, got, ok, tt.want)
		}
	}
	if rss, ok := value(t, after, "soakkit_resident_memory_bytes", map[string]string{"target": "self"}); !ok || rss <= 0 {
		t.Errorf("soakkit_resident_memory_bytes{target=self} = %v (found: %v), want > 0", rss, ok)
	}
	for name, data := range map[string][]byte{"during": during, "after": after} {
		t.Run(name, func(t *testing.T) { lintClean(t, data) })
	}
}

// linear returns n samples of a metric growing by perHour (in its unit)
// per hour, one a minute.
func linear(n int, perHour float64) ([]time.Time, []float64) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ts, vs := make([]time.Time, n), make([]float64, n)
	for i := range n {
		ts[i] = t0.Add(time.Duration(i) * time.Minute)
		vs[i] = 100 + perHour*float64(i)/60
	}
	return ts, vs
}

// TestEveryFamily feeds every kind of event and checks each family's
// values and that the whole exposition lints clean: slopes converted to
// per second, gone targets and ended steps dropped, the service down.
func TestEveryFamily(t *testing.T) {
	m := live.New(live.Config{Runner: "win-2"})
	ob := m.Observer()
	tsRSS, rss := linear(240, 36*probe.MiB) // 36 MiB/h = 10485.76 B/s
	vRSS := probe.Analyze(probe.RSS, probe.DefaultPolicy(probe.RSS), tsRSS, rss)
	vRSS.Target = "api"
	tsFD, fds := linear(240, 72) // 72 FDs/h = 0.02/s
	vFD := probe.Analyze(probe.FDs, probe.DefaultPolicy(probe.FDs), tsFD, fds)
	vFD.Target = "api"
	tsFew, few := linear(3, 72)
	vFew := probe.Analyze(probe.Threads, probe.DefaultPolicy(probe.Threads), tsFew, few)
	vFew.Target = "api"
	ob.Start(func() soak.Live {
		return soak.Live{Trends: []probe.Verdict{vRSS, vFD, vFew}, Bytes: 12345, MaxBytes: 1 << 30}
	})
	ob.Service("api", true)
	ob.Sample(probe.Sample{Target: "api", Procs: 3, RSS: 64 << 20, FDs: 40, Threads: 12})
	ob.Sample(probe.Sample{Target: "step:tests", Procs: 2, RSS: 1 << 20, FDs: 5, Threads: 4})
	ob.Sample(probe.Sample{Target: "host", MemTotal: 1 << 34, MemUsed: 1 << 33})
	rec := &artifact.Record{Iteration: 1, Status: artifact.IterTimedOut, Steps: []artifact.StepRecord{
		{Name: "suite", Status: step.TimedOut, DurationMS: 2500, Steps: []artifact.StepRecord{
			{Name: "unit", Status: step.Passed, DurationMS: 1000},
			{Name: "e2e", Status: step.TimedOut, DurationMS: 1500},
		}},
		{Name: "docs", Status: step.Skipped},
	}}

	before := scrape(t, m.Handler())
	if _, ok := value(t, before, "soakkit_open_fds", map[string]string{"target": "step:tests"}); !ok {
		t.Errorf("a running step's target is missing:\n%s", before)
	}
	if _, ok := value(t, before, "soakkit_open_fds", map[string]string{"target": "host"}); ok {
		t.Errorf("a host sampler has process series:\n%s", before)
	}
	ob.Iteration(rec, soak.Progress{})
	ob.Sample(probe.Sample{Target: "gone", Gone: true})
	ob.Service("api", false)
	data := scrape(t, m.Handler())

	tests := []struct {
		metric string
		labels map[string]string
		want   float64
	}{
		{"soakkit_iterations_total", map[string]string{"result": "timed_out", "runner": "win-2"}, 1},
		{"soakkit_steps_total", map[string]string{"step": "suite", "status": "timed_out"}, 1},
		{"soakkit_steps_total", map[string]string{"step": "suite/unit", "status": "passed"}, 1},
		{"soakkit_steps_total", map[string]string{"step": "suite/e2e", "status": "timed_out"}, 1},
		{"soakkit_steps_total", map[string]string{"step": "docs", "status": "skipped"}, 1},
		{"soakkit_step_duration_seconds", map[string]string{"step": "suite/unit"}, 1},
		{"soakkit_resident_memory_bytes", map[string]string{"target": "api"}, 64 << 20},
		{"soakkit_open_fds", map[string]string{"target": "api"}, 40},
		{"soakkit_threads", map[string]string{"target": "api"}, 12},
		{"soakkit_processes", map[string]string{"target": "api"}, 3},
		{"soakkit_resource_slope_bytes_per_second", map[string]string{"target": "api", "resource": "rss"}, 36 * float64(probe.MiB) / 3600},
		{"soakkit_resource_slope_per_second", map[string]string{"target": "api", "resource": "fds"}, 0.02},
		{"soakkit_artifact_bytes", nil, 12345},
		{"soakkit_artifact_limit_bytes", nil, 1 << 30},
		{"soakkit_service_up", map[string]string{"service": "api"}, 0},
	}
	for _, tt := range tests {
		got, ok := value(t, data, tt.metric, tt.labels)
		if !ok || !cmp.Equal(got, tt.want, cmpopts.EquateApprox(1e-6, 0)) {
			t.Errorf("%s%v = %v (found: %v), want %v", tt.metric, tt.labels, got, ok, tt.want)
		}
	}
	absent := []struct {
		metric string
		labels map[string]string
	}{
		{"soakkit_open_fds", map[string]string{"target": "step:tests"}},                 // its iteration ended
		{"soakkit_resource_slope_per_second", map[string]string{"resource": "threads"}}, // not fitted
		{"soakkit_step_duration_seconds", map[string]string{"step": "docs"}},            // skipped
	}
	for _, tt := range absent {
		if v, ok := value(t, data, tt.metric, tt.labels); ok {
			t.Errorf("%s%v = %v, want no series", tt.metric, tt.labels, v)
		}
	}
	lintClean(t, data)
}

// TestNoRunner checks that without a runner no series has a runner label.
func TestNoRunner(t *testing.T) {
	m := live.New(live.Config{})
	m.Observer().Iteration(&artifact.Record{Status: artifact.IterPassed}, soak.Progress{})
	data := scrape(t, m.Handler())
	if _, ok := value(t, data, "soakkit_iterations_total", map[string]string{"result": "passed", "runner": ""}); ok {
		t.Errorf("a runner label without a runner:\n%s", data)
	}
	if v, ok := value(t, data, "soakkit_iterations_total", map[string]string{"result": "passed"}); !ok || v != 1 {
		t.Errorf("soakkit_iterations_total{result=passed} = %v (found %v), want 1", v, ok)
	}
	lintClean(t, data)
}

// TestLabelValue: a runner name longer than MaxLabelValue bytes is cut
// and suffixed with a hash of the whole, never splitting a character, and
// an exposition with such a runner lints clean.
func TestLabelValue(t *testing.T) {
	long := strings.Repeat("runner-", 12) // 84 bytes
	accents := strings.Repeat("é", 40)    // 80 bytes, 2 a character
	tests := []struct {
		name, give, want string
	}{
		{"short", "linux-1", "linux-1"},
		{"empty", "", ""},
		{"64 bytes", strings.Repeat("r", 64), strings.Repeat("r", 64)},
		{"65 bytes", strings.Repeat("r", 65), strings.Repeat("r", 55) + "~" + sha8(strings.Repeat("r", 65))},
		{"long", long, long[:55] + "~" + sha8(long)},
		{"multibyte", accents, strings.Repeat("é", 27) + "~" + sha8(accents)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := live.LabelValue(tt.give)
			if got != tt.want || len(got) > live.MaxLabelValue || !utf8.ValidString(got) {
				t.Errorf("LabelValue(%q) = %q (%d bytes), want %q", tt.give, got, len(got), tt.want)
			}
		})
	}
	if a, b := live.LabelValue(long+"a"), live.LabelValue(long+"b"); a == b {
		t.Errorf("two long names with a common prefix share the label %q", a)
	}
	m := live.New(live.Config{Runner: long})
	m.Observer().Iteration(&artifact.Record{Status: artifact.IterPassed}, soak.Progress{})
	data := scrape(t, m.Handler())
	if v, ok := value(t, data, "soakkit_iterations_total", map[string]string{"result": "passed", "runner": long[:55] + "~" + sha8(long)}); !ok || v != 1 {
		t.Errorf("soakkit_iterations_total{result=passed,runner=shortened} = %v (found %v), want 1:\n%s", v, ok, data)
	}
	lintClean(t, data)
}

// sha8 is the first 8 hex digits of the SHA-256 of s.
func sha8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// TestServe serves on a real listener, scrapes it and shuts it down: Serve
// returns nil and the address no longer accepts connections.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := live.New(live.Config{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx, ln) }()
	url := fmt.Sprintf("http://%s/metrics", ln.Addr())
	data, format, err := expo.Fetch(t.Context(), nil, url, "")
	if err != nil {
		t.Fatal(err)
	}
	if format != expo.Text {
		t.Errorf("format %q, want %q", format, expo.Text)
	}
	lintClean(t, data)
	resp, err := http.Get(fmt.Sprintf("http://%s/other", ln.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /other: %d, want 404", resp.StatusCode)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return within 30s of its context's end")
	}
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Serve returned", ln.Addr())
	}
}

// TestServeClosedListener: a listener that fails is Serve's error.
func TestServeClosedListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	err = live.New(live.Config{}).Serve(t.Context(), ln)
	if err == nil || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve on a closed listener: %v, want net.ErrClosed", err)
	}
}

// TestService soaks against a real service: while it runs, service_up is
// 1 and its process is counted; once the soak has stopped it, service_up
// is 0. The service's first sample is taken on a goroutine of its own, so
// the step waits for it (bounded) before it keeps the exposition.
func TestService(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	m := live.New(live.Config{})
	api := map[string]string{"target": "api"}
	var during []byte
	work := step.Func("work", func(ctx context.Context) error {
		if during != nil {
			return nil
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			during = scrape(t, m.Handler())
			if _, ok := value(t, during, "soakkit_processes", api); ok || time.Now().After(deadline) {
				return nil
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	svc := &soak.Service{Name: "api", Argv: []string{exe}, Env: []string{"LIVE_TEST_SERVICE=1"}}
	s, err := soak.New(soak.Config{Count: 2, ArtifactsDir: t.TempDir(), Service: svc},
		&soak.Iteration{Sections: soak.Sections(work)},
		soak.WithHeartbeat(0), soak.WithObserver(m.Observer()))
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Run(t.Context())
	if err != nil || !out.OK() {
		t.Fatalf("soak: %v, outcome %+v", err, out)
	}
	after := scrape(t, m.Handler())
	// Without Config.Runner, the series carry the soak's own runner name.
	up := map[string]string{"service": "api", "runner": soak.DetectRunner(nil)}
	if v, ok := value(t, during, "soakkit_service_up", up); !ok || v != 1 {
		t.Errorf("during the soak: soakkit_service_up = %v (found %v), want 1", v, ok)
	}
	if v, ok := value(t, during, "soakkit_processes", api); !ok || v < 1 {
		t.Errorf("during the soak: soakkit_processes{target=api} = %v (found %v), want ≥ 1", v, ok)
	}
	if v, ok := value(t, after, "soakkit_service_up", up); !ok || v != 0 {
		t.Errorf("after the soak: soakkit_service_up = %v (found %v), want 0", v, ok)
	}
	lintClean(t, during)
}
