package artifact

import (
	"encoding/json"
	"strconv"
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

// decimal agrees with strconv.ParseFloat on every form it accepts.
func TestDecimal(t *testing.T) {
	tests := []struct {
		give string
		ok   bool
	}{
		{"0", true}, {"7", true}, {"0.02", true}, {"1234.56", true}, {"0.1", true}, {"0.3", true},
		{"123456789012345", true}, {"12345678901234.5", true}, {"0.00000000000001", true},
		{"1234567890123456", false}, {"0.0000000000000001", false}, // 16 digits, 16 decimals
		{"", false}, {".5", false}, {"5.", false}, {"01", false}, {"-1", false}, {"1e3", false},
		{"1.2.3", false}, {"00.5", false}, {"1,5", false},
	}
	for _, tt := range tests {
		got, ok := decimal([]byte(tt.give))
		if ok != tt.ok {
			t.Errorf("decimal(%q) ok = %v, want %v", tt.give, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		want, err := strconv.ParseFloat(tt.give, 64)
		if err != nil || got != want {
			t.Errorf("decimal(%q) = %v, strconv.ParseFloat gives %v, %v", tt.give, got, want, err)
		}
	}
}

// FuzzDecimal: decimal is strconv.ParseFloat wherever it answers.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"0.02", "1234.56", "9007199254740993", "0.1", "5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := decimal([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || got != want {
			t.Errorf("decimal(%q) = %v, strconv.ParseFloat gives %v, %v", s, got, want, err)
		}
	})
}

// One decoder reads a whole file, keeping the last target's string: lines
// of alternating targets still decode to their own.
func TestSampleDecoderReuse(t *testing.T) {
	lines := []string{
		`{"t":"2026-11-26T23:00:00Z","target":"service","procs":1,"rss":5,"cpu_s":0.02}`,
		`{"t":"2026-11-26T23:00:01Z","target":"step:tests","procs":2,"rss":6}`,
		`{"t":"2026-11-26T23:00:02Z","target":"service","procs":1,"rss":7,"cpu_s":1234.5}`,
		`{"t":"2026-11-26T23:00:03Z","rss":8}`,
		`{"t":"2026-11-26T23:00:04Z","target":"sérvice","procs":1}`,
	}
	var d sampleDecoder
	for _, line := range lines {
		var want, got probe.Sample
		if err := json.Unmarshal([]byte(line), &want); err != nil {
			t.Fatal(err)
		}
		if !d.decode([]byte(line), &got) {
			t.Fatalf("decode(%s) = false, want the fast path", line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decode(%s) mismatch (-want +got):\n%s", line, diff)
		}
	}
}
