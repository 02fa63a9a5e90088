package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
)

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestSoakMetricsLintClean soaks `soakkit lint --fail-on info URL` of the
// soak's own --metrics-listen endpoint: every iteration scrapes the live
// exposition during the soak and passes only if soakkit's /metrics lint
// finds nothing, not even information.
func TestSoakMetricsLintClean(t *testing.T) {
	dir := t.TempDir()
	art := filepath.Join(dir, "art")
	var r runResult
	for range 3 { // the free port may be taken in between: try another
		addr := freeAddr(t)
		r = soakkit(t, dir, nil, "soak", "--iterations", "3", "--heartbeat", "0", "--sample-interval", "20ms",
			"--metrics-listen", addr, "--artifacts", art, "--",
			binary, "lint", "--fail-on", "info", "http://"+addr+"/metrics")
		if !strings.Contains(r.stderr, "address already in use") {
			break
		}
	}
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "iterations: 3 run: 3 passed") {
		t.Errorf("stdout: %s", r.stdout)
	}
	// Each iteration's lint linted one exposition and found nothing.
	n := 0
	err := jsonl.Decode(filepath.Join(art, "soak", "iterations.jsonl"), func(rec artifact.Record, _ int) error {
		n++
		if len(rec.Steps) != 1 || !strings.Contains(rec.Steps[0].Details, "lint: 1 files (1 exposition); 0 errors, 0 warnings, 0 info") {
			t.Errorf("iteration %d: steps %+v, want one lint of one exposition with no finding", rec.Iteration, rec.Steps)
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Errorf("iterations.jsonl: %d records, %v", n, err)
	}
}

// TestSoakMetricsListenError: an address that cannot be listened on is a
// usage error naming the flag and the address, before the soak starts.
func TestSoakMetricsListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	busy := ln.Addr().String()
	cfg := filepath.Join(dir, "soakkit.yaml")
	if err := os.WriteFile(cfg, []byte("metrics:\n  listen: "+busy+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, addr, from string
		args             []string
	}{
		{"busy", busy, "--metrics-listen", []string{"--metrics-listen", busy}},
		{"bad", "127.0.0.1:notaport", "--metrics-listen", []string{"--metrics-listen", "127.0.0.1:notaport"}},
		{"config", busy, "metrics.listen", []string{"--config", cfg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			art := filepath.Join(dir, tt.name)
			args := append([]string{"soak", "--iterations", "1", "--artifacts", art}, tt.args...)
			r := soakkit(t, dir, nil, append(args, "--", binary, "--version")...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.from) || !strings.Contains(r.stderr, tt.addr) {
				t.Errorf("stderr does not name %s and %s:\n%s", tt.from, tt.addr, r.stderr)
			}
			if strings.Contains(r.stdout, "iterations:") {
				t.Errorf("the soak ran:\n%s", r.stdout)
			}
		})
	}
}

// TestSoakOTLP soaks with --otlp-endpoint pointing at an in-process
// OTLP/HTTP receiver: the last push, sent as the soak ends, counts every
// iteration.
func TestSoakOTLP(t *testing.T) {
	var mu sync.Mutex
	passed := -1.0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(r.Body)
		req := &colmetrics.ExportMetricsServiceRequest{}
		if err != nil || r.URL.Path != "/v1/metrics" || proto.Unmarshal(data, req) != nil {
			t.Errorf("receiver: %s %s: bad request (%v)", r.Method, r.URL.Path, err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		for _, rm := range req.ResourceMetrics {
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					for _, dp := range m.GetSum().GetDataPoints() {
						for _, kv := range dp.Attributes {
							if m.Name == "soakkit_iterations_total" && kv.GetKey() == "result" && kv.GetValue().GetStringValue() == "passed" {
								mu.Lock()
								passed = dp.GetAsDouble()
								mu.Unlock()
							}
						}
					}
				}
			}
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer srv.Close()
	dir := t.TempDir()
	r := soakkit(t, dir, nil, "soak", "--iterations", "3", "--heartbeat", "0", "--otlp-endpoint", srv.URL,
		"--artifacts", filepath.Join(dir, "art"), "--", binary, "--version")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if passed != 3 {
		t.Errorf("last pushed soakkit_iterations_total{result=passed} = %v, want 3\nstderr: %s", passed, r.stderr)
	}

	r = soakkit(t, dir, nil, "soak", "--iterations", "1", "--otlp-endpoint", "collector:4318",
		"--artifacts", filepath.Join(dir, "art2"), "--", binary, "--version")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--otlp-endpoint") || !strings.Contains(r.stderr, "collector:4318") {
		t.Errorf("a bad endpoint: exit %d, want %d naming the flag and endpoint\nstderr: %s", r.code, exitUsage, r.stderr)
	}
}
