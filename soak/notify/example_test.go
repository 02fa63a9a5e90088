package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/notify"
	"github.com/soakkit/soakkit/soak/summary"
)

// An Alerter fed by a soak's progress hook, posting to a JSON webhook.
func ExampleAlerter() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notify.Message
		json.NewDecoder(r.Body).Decode(&m)
		fmt.Printf("%s:\n%s\n", m.Kind, m.Text)
	}))
	defer srv.Close()

	a, err := notify.New(notify.Config{Webhook: &notify.WebhookConfig{URL: srv.URL}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	// A soak.WithProgress hook calls this after
	// every iteration.
	a.Iteration(3, artifact.IterTimedOut, artifact.Counts{Iterations: 3, Passed: 2, Failed: 1, TimedOut: 1})

	s := &summary.Summary{Verdict: summary.Verdict{Status: summary.Failed, ExitCode: 1, Reason: "1 of 3 iterations failed (1 timed out)"}}
	s.Iterations.Counts = artifact.Counts{Iterations: 3, Passed: 2, Failed: 1}
	if err := a.End(context.Background(), s); err != nil {
		fmt.Println(err)
	}
	// Output:
	// failure:
	// SOAK FAILURE: iteration 3 timed out
	// 1 of 3 iterations failed so far
	// end:
	// SOAK FAILED: 1 of 3 iterations failed (1 timed out)
	// iterations: 3 run: 2 passed, 1 failed; exit status 1
}
