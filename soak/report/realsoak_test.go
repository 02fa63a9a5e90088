package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// TestRealSoak renders the artifacts of a tiny soak run by the engine
// itself, so that the report reads what the engine really writes, not only
// what the synthetic generator writes.
func TestRealSoak(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "artifacts")
	calls := 0
	work := step.Func("work", func(ctx context.Context) error {
		calls++
		select {
		case <-time.After(30 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
		if calls == 4 {
			return errors.New("planted failure in call 4")
		}
		return nil
	})
	check := step.Func("check", func(context.Context) error { return nil })
	s, err := soak.New(soak.Config{
		Count: 6, KeepGoing: true, ArtifactsDir: dir,
		SampleInterval: artifact.Duration(10 * time.Millisecond),
	}, &soak.Iteration{Sections: soak.Sections(work, check)}, soak.WithHeartbeat(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(t.Context()); err != nil {
		t.Fatalf("soak: %v", err)
	}
	if err := WriteFile(dir, nil); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	b, err := os.ReadFile(artifact.Layout{Root: dir}.HTMLReport())
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	checkSelfContained(t, page)
	if m := regexp.MustCompile(`<p class="word">([^<]*)</p>`).FindStringSubmatch(page); m == nil || m[1] != wordFailed {
		t.Errorf("verdict %v, want %s", m, wordFailed)
	}
	for _, want := range []string{
		`id="chart-res-self-rss"`, `id="chart-res-self-goroutines"`, // the soak's own process, sampled in-process
		`id="chart-step-work"`, `id="chart-step-check"`,
		`id="iter-4"`, "planted failure in call 4",
		"6: 5 passed, 1 failed",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report of a real soak lacks %q", want)
		}
	}
	if strings.Contains(page, "Some artifacts could not be read") {
		t.Errorf("report of a real soak could not read some artifacts:\n%s", regexp.MustCompile(`(?s)<div class="note"><p>Some.*?</div>`).FindString(page))
	}
}
