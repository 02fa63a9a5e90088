//go:build unix

package containment

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/crowd"
)

// BenchmarkSoakTrue runs 100 iterations of `soakkit soak -- true` per op,
// with 0 and with 2,000 unrelated sleeping processes present.
func BenchmarkSoakTrue(b *testing.B) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true command")
	}
	soakkit := buildSoakkit(b)
	for _, unrelated := range []int{0, 2000} {
		b.Run(fmt.Sprintf("unrelated=%d", unrelated), func(b *testing.B) {
			if unrelated > 0 {
				crowd.Start(b, unrelated)
			}
			var total time.Duration
			n := 0
			for b.Loop() {
				dir := b.TempDir()
				cmd := exec.Command(soakkit, "soak", "--iterations", "100", "--heartbeat", "0",
					"--artifacts", filepath.Join(dir, "artifacts"), "--", truePath)
				cmd.Dir = dir
				t0 := time.Now()
				out, err := cmd.CombinedOutput()
				total += time.Since(t0)
				if err != nil {
					b.Fatalf("soakkit soak: %v\n%s", err, out)
				}
				n++
			}
			b.ReportMetric(total.Seconds()/float64(n), "s/100-iterations")
		})
	}
}

// buildSoakkit builds the soakkit command into a temporary directory, or
// returns the binary named by SOAKKIT_BENCH_BIN (to compare builds).
func buildSoakkit(b *testing.B) string {
	b.Helper()
	if bin := os.Getenv("SOAKKIT_BENCH_BIN"); bin != "" {
		return bin
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build soakkit with")
	}
	bin := filepath.Join(b.TempDir(), "soakkit")
	cmd := exec.Command(gotool, "build", "-o", bin, "github.com/soakkit/soakkit/cmd/soakkit")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("go build soakkit: %v", err)
	}
	return bin
}
