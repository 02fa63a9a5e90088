package soak

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/probe"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func serviceConfig(t *testing.T, addr, life string, code string) *Service {
	return &Service{
		Name:         "svc",
		Argv:         helperArgv(t, "serve", addr, life, code),
		Env:          helperEnv("serve"),
		Ready:        Ready{TCP: addr, LogLine: "^service ready"},
		StartTimeout: artifact.Duration(20 * time.Second),
	}
}

func serviceSamples(t *testing.T, l artifact.Layout, target string) []probe.Sample {
	t.Helper()
	var out []probe.Sample
	err := jsonl.Decode(l.Samples(), func(s probe.Sample, _ int) error {
		if s.Target == target {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServiceDiesMidSoak: the service exits on its own with status 3 while
// iterations exercise it; the soak stops at once, fails, and reports the
// exit status and the service's last output.
func TestServiceDiesMidSoak(t *testing.T) {
	addr := freeAddr(t)
	cfg := Config{
		Duration: artifact.Duration(time.Minute), IterationTimeout: artifact.Duration(10 * time.Second), KeepGoing: true,
		SampleInterval: artifact.Duration(50 * time.Millisecond), StopGrace: artifact.Duration(2 * time.Second),
		ArtifactsDir: t.TempDir(), Service: serviceConfig(t, addr, "700ms", "3"),
	}
	dial := step.Func("dial", func(ctx context.Context) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		c.Close()
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
		}
		return ctx.Err()
	})
	s := newSoak(t, cfg, &Iteration{Sections: Sections(dial)}, WithHeartbeat(20*time.Millisecond))
	start := time.Now()
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("soak took %v to notice the dead service", took)
	}
	if out.Stop != artifact.StopServiceExited || out.OK() {
		t.Fatalf("outcome %+v, want a failed soak stopped by the service's exit", out)
	}
	x := out.Service
	if x == nil || x.ExitCode != 3 || x.Expected || !strings.Contains(x.Tail, "last words") {
		t.Fatalf("service exit %+v, want status 3, unexpected, tail with its last words", x)
	}
	if !strings.Contains(out.Reason, "exited with status 3") {
		t.Errorf("reason %q does not give the exit status", out.Reason)
	}
	if n := len(serviceSamples(t, s.Layout(), "svc")); n < 3 {
		t.Errorf("%d service samples, want several", n)
	}
	recs := readRecords(t, s.Layout())
	if len(recs) == 0 {
		t.Fatal("no iterations ran against the service")
	}
	if r := recs[len(recs)-1]; r.Resources["svc"].PeakRSS == 0 {
		t.Errorf("last record has no service figures: %+v", r.Resources)
	}
	var st artifact.State
	if err := readJSON(s.Layout().State(), &st); err != nil || st.Stop != artifact.StopServiceExited {
		t.Errorf("state stop %q (%v)", st.Stop, err)
	}
}

// TestWatchOnlyService is the psrecord use: no plan, only a service watched
// and sampled for the duration, then stopped gracefully.
func TestWatchOnlyService(t *testing.T) {
	addr := freeAddr(t)
	cfg := Config{
		// 6 s leave a few seconds of watching after the service's start
		// and stop reserves, even on a loaded machine.
		Duration: artifact.Duration(6 * time.Second), SampleInterval: artifact.Duration(50 * time.Millisecond),
		StopGrace: artifact.Duration(time.Second), ArtifactsDir: t.TempDir(),
		Service: serviceConfig(t, addr, "1h", "0"),
	}
	s, err := New(cfg, nil, WithEnvSnapshot(probe.EnvOptions{Environ: []string{"API_TOKEN=hunter2hunter2", "HOME=/home/x"}}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if took := time.Since(start); took > 6*time.Second {
		t.Errorf("watch took %v, more than its 6s duration", took)
	}
	if !out.OK() || out.Stop != artifact.StopDuration || out.Service == nil || !out.Service.Expected {
		t.Fatalf("outcome %+v service %+v, want a healthy watch ended by the soak", out, out.Service)
	}
	// On Unix the service gets SIGTERM and ends on its own. Windows has no
	// graceful phase (proctree terminates the job), so there the stop is
	// only required to be expected and to keep the run green.
	if runtime.GOOS != "windows" {
		if out.Service.ExitCode != 0 || !strings.Contains(out.Service.Tail, "stopping on signal") {
			t.Errorf("service was not stopped gracefully (exit code %d); tail:\n%s", out.Service.ExitCode, out.Service.Tail)
		}
	}
	samples := serviceSamples(t, s.Layout(), "svc")
	if len(samples) < 8 {
		t.Fatalf("%d service samples in a watch of seconds at 50ms, want at least 8", len(samples))
	}
	for _, smp := range samples {
		if smp.RSS == 0 || smp.Procs == 0 {
			t.Errorf("sample without figures: %+v", smp)
			break
		}
	}
	if out.Counts.Iterations != 0 {
		t.Errorf("watch-only soak ran %d iterations", out.Counts.Iterations)
	}
	var env probe.Env
	if err := readJSON(s.Layout().Env(), &env); err != nil {
		t.Fatalf("env.json: %v", err)
	}
	if env.Vars["HOME"] != "/home/x" || strings.Contains(env.Vars["API_TOKEN"], "hunter2") {
		t.Errorf("env.json vars = %v, want HOME kept and API_TOKEN redacted", env.Vars)
	}
	checkParseable(t, s.Layout().Root)
	m := &artifact.Manifest{}
	if err := readJSON(s.Layout().Manifest(), m); err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(s.Layout().Root); err != nil || len(m.Files) < 4 {
		t.Errorf("manifest of %d files: %v", len(m.Files), err)
	}
}

// TestServiceNotReady: a service that never opens its port fails the soak
// at its start timeout and is not left running.
func TestServiceNotReady(t *testing.T) {
	addr := freeAddr(t)
	svc := serviceConfig(t, freeAddr(t), "1h", "0") // listens elsewhere
	svc.Ready = Ready{TCP: addr}
	svc.StartTimeout = artifact.Duration(500 * time.Millisecond)
	cfg := Config{Count: 1, StopGrace: artifact.Duration(time.Second), ArtifactsDir: t.TempDir(), Service: svc}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(sleepStep("never", 0))})
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Stop != artifact.StopServiceFailed || out.OK() || out.Counts.Iterations != 0 {
		t.Fatalf("outcome %+v, want a service failure before any iteration", out)
	}
	if !strings.Contains(out.Reason, "not ready") {
		t.Errorf("reason %q", out.Reason)
	}
	if x := out.Service; x == nil || !x.Expected || len(x.Survivors) != 0 || alive(x.PID) {
		t.Errorf("service exit %+v, want it stopped by the soak with nothing left", x)
	}
}

// TestServiceHTTPReady: readiness by an HTTP URL answering 2xx.
func TestServiceHTTPReady(t *testing.T) {
	addr := freeAddr(t)
	svc := serviceConfig(t, addr, "1h", "0")
	svc.Argv = append(svc.Argv, "http")
	svc.Ready = Ready{HTTP: "http://" + addr + "/healthz"}
	cfg := Config{Count: 2, StopGrace: artifact.Duration(time.Second), ArtifactsDir: t.TempDir(), Service: svc}
	get := step.Func("get", func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
	s := newSoak(t, cfg, &Iteration{Sections: Sections(get)}, WithHeartbeat(0))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !out.OK() || out.Counts.Passed != 2 {
		t.Errorf("outcome %+v (service %+v), want 2 passing iterations", out, out.Service)
	}
	http.DefaultClient.CloseIdleConnections()
}

// replacer is a test redactor: it replaces old with new in each write (step
// and the service write whole lines).
type replacer struct {
	w        io.Writer
	old, new []byte
}

func (r replacer) Write(p []byte) (int, error) {
	_, err := r.w.Write(bytes.ReplaceAll(p, r.old, r.new))
	return len(p), err
}

func (replacer) Close() error { return nil }

// TestServiceOutputRedacted: the service's output reaches its log and the
// tail in ServiceExit only through WithRedactor, while the readiness line is
// still matched against the raw output.
func TestServiceOutputRedacted(t *testing.T) {
	addr := freeAddr(t)
	svc := serviceConfig(t, addr, "1h", "0")
	svc.Ready.LogLine = "^service ready" // the redactor below rewrites it
	cfg := Config{Count: 1, StopGrace: artifact.Duration(time.Second), ArtifactsDir: t.TempDir(), Service: svc}
	redact := func(w io.Writer) io.WriteCloser {
		return replacer{w, []byte("service"), []byte("****")}
	}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(sleepStep("wait", 200*time.Millisecond))}, WithRedactor(redact))
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !out.OK() || out.Service == nil {
		t.Fatalf("outcome %+v, want a passing soak with a service", out)
	}
	b, err := os.ReadFile(filepath.Join(s.Layout().ServiceLogs(), "service.log"))
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"service.log": string(b), "ServiceExit.Tail": out.Service.Tail} {
		if strings.Contains(text, "service") || !strings.Contains(text, "**** ") {
			t.Errorf("%s is not redacted:\n%s", what, text)
		}
	}
}
