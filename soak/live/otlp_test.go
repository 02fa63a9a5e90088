package live_test

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/live"
)

// receiver is an in-process OTLP/HTTP metrics receiver: it decodes every
// ExportMetricsServiceRequest posted to /v1/metrics and sends it on got.
func receiver(t *testing.T) (*httptest.Server, <-chan *colmetrics.ExportMetricsServiceRequest) {
	t.Helper()
	got := make(chan *colmetrics.ExportMetricsServiceRequest, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/metrics" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			t.Errorf("receiver: %s %s (%s), want POST /v1/metrics of protobuf", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Errorf("receiver: %v", err)
				return
			}
			body = zr
		}
		data, err := io.ReadAll(body)
		if err != nil {
			t.Errorf("receiver: %v", err)
			return
		}
		req := &colmetrics.ExportMetricsServiceRequest{}
		if err := proto.Unmarshal(data, req); err != nil {
			t.Errorf("receiver: decode: %v", err)
			http.Error(w, "bad protobuf", http.StatusBadRequest)
			return
		}
		select {
		case got <- req:
		default:
		}
		out, _ := proto.Marshal(&colmetrics.ExportMetricsServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// push runs m.Push to url every 20 ms until stop is called; stop ends
// Push's context and fails t unless Push then returns nil within 30 s.
func push(t *testing.T, m *live.Metrics, url string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Push(ctx, live.Push{Endpoint: url, Interval: 20 * time.Millisecond}) }()
	return func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Push: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("Push did not return within 30s of its context's end")
		}
	}
}

// pushed is what one request said about the fields a test checks.
type pushed struct {
	service, runner string
	instance        string  // service.instance.id
	label           string  // the runner label of soakkit_iterations_total{result=passed}
	passed          float64 // soakkit_iterations_total{result=passed}
	hasPassed       bool
	durations       uint64 // count of soakkit_step_duration_seconds{step=work}
	bytes           float64
}

func summarize(req *colmetrics.ExportMetricsServiceRequest) pushed {
	var p pushed
	for _, rm := range req.ResourceMetrics {
		for _, kv := range rm.GetResource().GetAttributes() {
			switch kv.GetKey() {
			case "service.name":
				p.service = kv.GetValue().GetStringValue()
			case "soakkit.runner":
				p.runner = kv.GetValue().GetStringValue()
			case "service.instance.id":
				p.instance = kv.GetValue().GetStringValue()
			}
		}
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				switch m.Name {
				case "soakkit_iterations_total":
					for _, dp := range m.GetSum().GetDataPoints() {
						attrs := map[string]string{}
						for _, kv := range dp.Attributes {
							attrs[kv.GetKey()] = kv.GetValue().GetStringValue()
						}
						if attrs["result"] == "passed" {
							p.passed, p.hasPassed, p.label = dp.GetAsDouble(), true, attrs["runner"]
						}
					}
				case "soakkit_step_duration_seconds":
					for _, dp := range m.GetHistogram().GetDataPoints() {
						p.durations += dp.GetCount()
					}
				case "soakkit_artifact_bytes":
					for _, dp := range m.GetGauge().GetDataPoints() {
						p.bytes = dp.GetAsDouble()
					}
				}
			}
		}
	}
	return p
}

// TestPush pushes to an in-process receiver while events arrive and after
// the end: the requests are OTLP protobuf with the exposition's series,
// and the last one, sent once the context is done, has the final counts.
func TestPush(t *testing.T) {
	srv, got := receiver(t)
	m := live.New(live.Config{Runner: "mac-3"})
	ob := m.Observer()
	ob.Start(func() soak.Live { return soak.Live{Bytes: 4096} })
	iteration := func() {
		ob.Iteration(&artifact.Record{Status: artifact.IterPassed, Steps: []artifact.StepRecord{{Name: "work", Status: "passed", DurationMS: 20}}}, soak.Progress{})
	}
	iteration()

	stop := push(t, m, srv.URL)
	// A periodic push with the first iteration.
	deadline := time.After(30 * time.Second)
	for first := false; !first; {
		select {
		case req := <-got:
			p := summarize(req)
			first = p.hasPassed && p.passed == 1
		case <-deadline:
			t.Fatal("no push with one passed iteration within 30s")
		}
	}
	iteration()
	iteration()
	stop()
	// The last request holds the final state.
	var last *colmetrics.ExportMetricsServiceRequest
	for drained := false; !drained; {
		select {
		case req := <-got:
			last = req
		default:
			drained = true
		}
	}
	if last == nil {
		t.Fatal("no push after the context's end")
	}
	want := pushed{service: "soakkit", runner: "mac-3", instance: "mac-3", label: "mac-3", passed: 3, hasPassed: true, durations: 3, bytes: 4096}
	if p := summarize(last); p != want {
		t.Errorf("last push %+v, want %+v", p, want)
	}
}

// TestPushRunnerFromSoak: without Config.Runner, Push waits for the soak
// to say its runner, so the resource names it (whole, however long) from
// the first push; the series' label is the shortened one.
func TestPushRunnerFromSoak(t *testing.T) {
	srv, got := receiver(t)
	m := live.New(live.Config{})
	stop := push(t, m, srv.URL)
	long := "github-actions-soak-matrix-windows-latest-go-1.26-shard-3-of-8-attempt-2-job-12345"
	ob := m.Observer()
	ob.Start(func() soak.Live { return soak.Live{Runner: long} })
	ob.Iteration(&artifact.Record{Status: artifact.IterPassed, Steps: []artifact.StepRecord{{Name: "work", Status: "passed", DurationMS: 20}}}, soak.Progress{})
	var first pushed
	select {
	case req := <-got:
		first = summarize(req)
	case <-time.After(30 * time.Second):
		t.Fatal("no push within 30s")
	}
	stop()
	label := long[:55] + "~" + sha8(long)
	if first.runner != long || first.instance != long {
		t.Errorf("first push: resource soakkit.runner %q, service.instance.id %q; want %q", first.runner, first.instance, long)
	}
	if first.hasPassed && first.label != label {
		t.Errorf("first push: runner label %q, want %q", first.label, label)
	}
}

func TestPushBadEndpoint(t *testing.T) {
	for _, e := range []string{"", "collector:4318", "ftp://collector", "http://"} {
		err := live.New(live.Config{}).Push(t.Context(), live.Push{Endpoint: e})
		if !errors.Is(err, live.ErrBadEndpoint) {
			t.Errorf("Push(%q): %v, want ErrBadEndpoint", e, err)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	tests := []struct{ give, want string }{
		{"http://collector:4318", "http://collector:4318/v1/metrics"},
		{"https://otlp.example.com/", "https://otlp.example.com/v1/metrics"},
		{"https://otlp.example.com/prefix", "https://otlp.example.com/prefix/v1/metrics"},
	}
	for _, tt := range tests {
		if got, err := live.ParseEndpoint(tt.give); err != nil || got != tt.want {
			t.Errorf("ParseEndpoint(%q) = %q, %v, want %q", tt.give, got, err, tt.want)
		}
	}
}
