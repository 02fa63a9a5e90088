package artifact

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/probe"
)

// parseSample is a fast path for encoding/json: whatever line it accepts,
// it must decode as encoding/json does.
func TestParseSampleAgreesWithJSON(t *testing.T) {
	full, err := json.Marshal(probe.Sample{Time: time.Date(2026, 11, 26, 23, 0, 0, 123, time.UTC), Target: "service",
		PID: 42, Restart: true, Procs: 3, Zombies: 1, RSS: 123 << 20, FDs: 17, MaxFDPct: 1.5, Threads: 9,
		HeapLive: 1 << 20, GoMemTotal: 8 << 20, Goroutines: 12, MemTotal: 16 << 30, MemUsed: 3 << 30,
		DiskFree: 1 << 40, DiskPath: "/tmp", CPU: 12.5, CPUPct: 37.25, Partial: 2, GCCycles: 99, MemAvailable: 13 << 30,
		HostCPUPct: 41.5, Took: 1234567})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, give string
	}{
		{"encoding/json output", string(full)},
		{"gone", `{"t":"2026-11-26T23:00:00Z","target":"service","pid":42,"gone":true}`},
		{"spaces around a bool", `{"t":"2026-11-26T23:00:00Z","target":"service","procs":1,"restart": true ,"rss":1}`},
		{"spaces around a number", `{"t":"2026-11-26T23:00:00Z","target":"service","procs":1, "rss": 5}`},
		{"fractional count", `{"t":"2026-11-26T23:00:00Z","target":"service","procs":1,"fds":1.5}`},
		{"negative size", `{"t":"2026-11-26T23:00:00Z","target":"service","procs":1,"rss":-1}`},
		{"exponent", `{"t":"2026-11-26T23:00:00Z","target":"service","procs":1,"rss":1e3}`},
		{"escaped string", `{"t":"2026-11-26T23:00:00Z","target":"step:a\"b","procs":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want probe.Sample
			jsonErr := json.Unmarshal([]byte(tt.give), &want)
			var got probe.Sample
			if !parseSample([]byte(tt.give), &got) {
				return // encoding/json decides
			}
			if jsonErr != nil {
				t.Fatalf("parseSample accepted %s, which encoding/json rejects: %v", tt.give, jsonErr)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("parseSample(%s) mismatch with encoding/json (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}
