package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/soakkit/soakkit/internal/jsonl"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const token = "123456:AAH-secret-bot-token-value" // soakkit:allow: test fixture, not a credential

// recorder is an httptest handler that records requests and answers with
// the statuses given, in order (the last one repeats).
type recorder struct {
	mu       sync.Mutex
	statuses []int
	delay    time.Duration // before answering, unless the request ends
	hold     chan struct{} // if set, answer only once it is closed, unless the request ends
	reqs     []recorded
}

type recorded struct {
	Path, Auth string
	Body       map[string]any
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var body map[string]any
	json.Unmarshal(b, &body)
	rc.mu.Lock()
	n := len(rc.reqs)
	rc.reqs = append(rc.reqs, recorded{Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body})
	status := rc.statuses[min(n, len(rc.statuses)-1)]
	delay, hold := rc.delay, rc.hold
	rc.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "0")
	}
	w.WriteHeader(status)
	io.WriteString(w, `{"ok":false,"description":"echo of nothing secret"}`)
}

func (rc *recorder) requests() []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recorded(nil), rc.reqs...)
}

func serve(t *testing.T, rc *recorder) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(rc) // loopback only
	t.Cleanup(srv.Close)
	return srv
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func newAlerter(t *testing.T, cfg Config, vars map[string]string, opts ...Option) (*Alerter, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opts = append([]Option{withEnv(envOf(vars)), withBackoff(10 * time.Millisecond),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}, opts...)
	a, err := New(cfg, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a, &logs
}

func verdict(status summary.Status, reason string) *summary.Summary {
	s := &summary.Summary{Verdict: summary.Verdict{Status: status, Reason: reason, ExitCode: 3}}
	s.Iterations.Iterations, s.Iterations.Passed = 10, 10
	return s
}

func TestNotifiersRequests(t *testing.T) {
	rc := &recorder{statuses: []int{200}}
	srv := serve(t, rc)
	cfg := Config{
		Webhook:  &WebhookConfig{URL: srv.URL + "/hook", TokenEnv: "HOOK_TOKEN"},
		Slack:    &SlackConfig{URLEnv: "SLACK_URL"},
		Telegram: &TelegramConfig{ChatID: "-1001", APIURL: srv.URL},
		Link:     "https://ci.example/run/1",
	}
	a, _ := newAlerter(t, cfg, map[string]string{"HOOK_TOKEN": "hook-token-1", "SLACK_URL": srv.URL + "/services/T0/B0/xyz",
		DefaultTelegramTokenEnv: token})
	if err := a.End(t.Context(), verdict(summary.Leak, "service rss leak: grew 60 MiB/h")); err != nil {
		t.Fatalf("End: %v", err)
	}
	byPath := map[string]recorded{}
	for _, r := range rc.requests() {
		byPath[r.Path] = r
	}
	hook := byPath["/hook"]
	if hook.Auth != "Bearer hook-token-1" || hook.Body["kind"] != "end" || hook.Body["status"] != "leak" || hook.Body["link"] != cfg.Link {
		t.Errorf("webhook request = %+v", hook)
	}
	if text, _ := byPath["/services/T0/B0/xyz"].Body["text"].(string); !strings.HasPrefix(text, "SOAK LEAK: service rss leak") {
		t.Errorf("slack text = %q", text)
	}
	tg := byPath["/bot"+token+"/sendMessage"]
	if tg.Body["chat_id"] != "-1001" || !strings.Contains(tg.Body["text"].(string), "exit status 3") {
		t.Errorf("telegram request = %+v", tg)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int
		delay    time.Duration
		retries  int
		wantN    int
		wantErr  bool
	}{
		{"ok at once", []int{200}, 0, 3, 1, false},
		{"two 500s then ok", []int{500, 502, 200}, 0, 3, 3, false},
		{"429 then ok", []int{429, 200}, 0, 3, 2, false},
		{"always 503", []int{503}, 0, 2, 3, true},
		{"400 is not retried", []int{400}, 0, 3, 1, true},
		{"slow server times out", []int{200}, 5 * time.Second, 1, 2, true},
		{"no retries", []int{500}, 0, -1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &recorder{statuses: tt.statuses, delay: tt.delay}
			srv := serve(t, rc)
			cfg := Config{Telegram: &TelegramConfig{ChatID: "42", APIURL: srv.URL}, Retries: tt.retries,
				Timeout: artifact.Duration(200 * time.Millisecond)}
			a, logs := newAlerter(t, cfg, map[string]string{DefaultTelegramTokenEnv: token})
			start := time.Now()
			err := a.End(t.Context(), verdict(summary.Passed, "ok"))
			if took := time.Since(start); took > 4*time.Second {
				t.Errorf("End took %v; attempts must be bounded by the timeout", took)
			}
			if got := len(rc.requests()); got != tt.wantN {
				t.Errorf("%d attempts, want %d", got, tt.wantN)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("End() error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				var se *SendError
				if !errors.As(err, &se) || se.Notifier != "telegram" || se.Attempts != tt.wantN {
					t.Errorf("End() error = %#v, want a *SendError from telegram after %d attempts", err, tt.wantN)
				}
				if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "secret-bot") {
					t.Errorf("error leaks the token: %v", err)
				}
			}
			if strings.Contains(logs.String(), "secret-bot") {
				t.Errorf("logs leak the token:\n%s", logs)
			}
		})
	}
}

// A server that cannot be reached: the error names the notifier and the
// cause, not the URL that holds the secret.
func TestUnreachableKeepsSecret(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	a, logs := newAlerter(t, Config{Slack: &SlackConfig{}, Retries: 1}, map[string]string{DefaultSlackURLEnv: u + "/services/T000/B000/XXXXsecretXXXX"})
	err := a.End(t.Context(), verdict(summary.Failed, "x"))
	if err == nil {
		t.Fatal("End() = nil, want a connection error")
	}
	for _, out := range []string{err.Error(), logs.String()} {
		if strings.Contains(out, "XXXXsecretXXXX") {
			t.Errorf("secret leaked: %s", out)
		}
	}
	if !strings.Contains(err.Error(), "slack") {
		t.Errorf("error %q does not name the notifier", err)
	}
}

func TestMissingSecret(t *testing.T) {
	_, err := New(Config{Telegram: &TelegramConfig{}, Slack: &SlackConfig{URLEnv: "MY_SLACK"}}, withEnv(envOf(nil)))
	if !errors.Is(err, ErrNoSecret) {
		t.Fatalf("New() error = %v, want ErrNoSecret", err)
	}
	for _, name := range []string{"MY_SLACK", DefaultTelegramTokenEnv, DefaultTelegramChatEnv} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("New() error %q does not name %s", err, name)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"empty", Config{}, true},
		{"webhook url", Config{Webhook: &WebhookConfig{URL: "https://example.com/x"}}, true},
		{"webhook both", Config{Webhook: &WebhookConfig{URL: "https://example.com/x", URLEnv: "X"}}, false},
		{"webhook none", Config{Webhook: &WebhookConfig{}}, false},
		{"webhook not http", Config{Webhook: &WebhookConfig{URL: "file:///etc/passwd"}}, false},
		{"negative every", Config{Every: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// Failure alerts: the first at once, then at most one per Every, each
// counting the failures it stands for; passing iterations never alert.
func TestThrottle(t *testing.T) {
	rc := &recorder{statuses: []int{200}}
	srv := serve(t, rc)
	var now atomic.Int64
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	a, _ := newAlerter(t, Config{Webhook: &WebhookConfig{URL: srv.URL}, Every: artifact.Duration(30 * time.Minute)}, nil, withClock(clock))
	steps := []struct {
		at     time.Duration
		status artifact.IterStatus
	}{
		{0, artifact.IterPassed},
		{1 * time.Minute, artifact.IterFailed},   // first: sent
		{2 * time.Minute, artifact.IterTimedOut}, // suppressed
		{3 * time.Minute, artifact.IterPassed},
		{20 * time.Minute, artifact.IterFailed}, // suppressed
		{32 * time.Minute, artifact.IterFailed}, // sent, 2 suppressed
		{33 * time.Minute, artifact.IterCancelled},
	}
	var c artifact.Counts
	for i, st := range steps {
		now.Store(int64(st.at))
		c.Iterations++
		if st.status.Failed() {
			c.Failed++
		}
		a.Iteration(i+1, st.status, c)
	}
	if err := a.End(t.Context(), verdict(summary.Failed, "3 of 7 iterations failed")); err != nil {
		t.Fatal(err)
	}
	type got struct {
		Kind       string
		Iteration  float64
		Suppressed float64
	}
	var gots []got
	for _, r := range rc.requests() {
		it, _ := r.Body["iteration"].(float64)
		sup, _ := r.Body["suppressed"].(float64)
		gots = append(gots, got{r.Body["kind"].(string), it, sup})
	}
	want := []got{{"failure", 2, 0}, {"failure", 6, 2}, {"end", 0, 0}}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("alerts mismatch (-want +got):\n%s", diff)
	}
	if text := rc.requests()[1].Body["text"].(string); !strings.Contains(text, "2 more failures since the last alert") {
		t.Errorf("second alert text = %q", text)
	}
}

// Iteration never blocks the soak, even when the endpoint is slow: here it
// does not answer until Iteration has returned.
func TestIterationDoesNotBlock(t *testing.T) {
	hold := make(chan struct{})
	rc := &recorder{statuses: []int{200}, hold: hold}
	srv := serve(t, rc)
	a, _ := newAlerter(t, Config{Webhook: &WebhookConfig{URL: srv.URL}}, nil)
	returned := make(chan struct{})
	go func() {
		a.Iteration(1, artifact.IterFailed, artifact.Counts{Iterations: 1, Failed: 1})
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(5 * time.Second): // the attempt's timeout is 10s
		t.Errorf("Iteration did not return while the endpoint was not answering")
	}
	close(hold)
	<-returned
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("%d requests after Close, want the alert delivered", n)
	}
}

// With the artifacts root, a failure alert carries the iteration's reason.
func TestFailureReasonFromArtifacts(t *testing.T) {
	root := t.TempDir()
	ap, err := jsonl.Open(artifact.Layout{Root: root}.Iterations(), false)
	if err != nil {
		t.Fatal(err)
	}
	ap.Append(artifact.Record{Iteration: 1, Status: artifact.IterPassed, Result: "OK"})
	ap.Append(artifact.Record{Iteration: 2, Status: artifact.IterFailed, Result: "FAIL", Reason: "step probe failed: connection refused"})
	ap.Close()
	rc := &recorder{statuses: []int{200}}
	srv := serve(t, rc)
	a, _ := newAlerter(t, Config{Webhook: &WebhookConfig{URL: srv.URL}}, nil, WithArtifacts(root))
	a.Iteration(2, artifact.IterFailed, artifact.Counts{Iterations: 2, Passed: 1, Failed: 1})
	a.Close()
	reqs := rc.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	if got, want := reqs[0].Body["text"], "SOAK FAILURE: iteration 2 failed: step probe failed: connection refused\n1 of 2 iterations failed so far"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
}

// An End whose context ends while a failure alert is still being delivered
// returns at once and leaves no goroutine of its own behind.
func TestEndGivesUpWithoutLeaking(t *testing.T) {
	hold := make(chan struct{})
	rc := &recorder{statuses: []int{200}, hold: hold}
	srv := serve(t, rc)
	a, _ := newAlerter(t, Config{Webhook: &WebhookConfig{URL: srv.URL}}, nil)
	a.Iteration(1, artifact.IterFailed, artifact.Counts{Iterations: 1, Failed: 1})
	for deadline := time.Now().Add(10 * time.Second); len(rc.requests()) == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the failure alert never reached the endpoint")
		}
	}
	before := goleak.IgnoreCurrent() // the delivery in flight and its connection
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := a.End(ctx, verdict(summary.Failed, "1 of 1 iterations failed")); !errors.Is(err, context.Canceled) {
		t.Errorf("End(canceled) = %v, want context.Canceled", err)
	}
	if err := goleak.Find(before); err != nil {
		t.Errorf("End left a goroutine behind while the delivery is in flight: %v", err)
	}
	close(hold)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("%d requests after Close, want the failure alert delivered", n)
	}
}
