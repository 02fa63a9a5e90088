package live_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/live"
	"github.com/soakkit/soakkit/step"
)

// A soak fed to live metrics, scraped once it has ended. A real program
// serves them for the whole soak with Metrics.Serve on a net.Listener.
func ExampleMetrics() {
	dir, _ := os.MkdirTemp("", "live-example-")
	defer os.RemoveAll(dir)

	m := live.New(live.Config{Runner: "linux-1"})
	work := step.Func("work", func(context.Context) error { return nil })
	s, err := soak.New(soak.Config{Count: 3, ArtifactsDir: dir},
		&soak.Iteration{Sections: soak.Sections(work)},
		soak.WithHeartbeat(0), soak.WithObserver(m.Observer()))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := s.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "soakkit_iterations_total") || strings.HasPrefix(line, "soakkit_step_duration_seconds_count") {
			fmt.Println(line)
		}
	}
	// Output:
	// soakkit_iterations_total{result="failed",runner="linux-1"} 0
	// soakkit_iterations_total{result="passed",runner="linux-1"} 3
	// soakkit_iterations_total{result="timed_out",runner="linux-1"} 0
	// soakkit_step_duration_seconds_count{runner="linux-1",step="work"} 3
}
