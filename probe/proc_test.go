package probe

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/winetest"
)

// sampleUntil samples s until cond holds or 20 s pass.
func sampleUntil(t *testing.T, s Sampler, cond func(Sample) bool) Sample {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := s.Sample(t.Context())
		if err != nil {
			t.Fatalf("Sample: %v", err)
		}
		if cond(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met; last sample %+v", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTreeSampler(t *testing.T) {
	cmd := helper(t, "tree", "3,2") // 1 + 3 + 6 processes
	pid := cmd.Process.Pid
	tests := []struct {
		name string
		s    *ProcSampler
		want int
	}{
		{"tree", Tree(pid), 10},
		{"scan", func() *ProcSampler { s := Tree(pid); forceScan(s); return s }(), 10},
		{"process", Process(pid), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sampleUntil(t, tt.s, func(s Sample) bool { return s.Procs == tt.want })
			minFDs := 3 * tt.want
			if handleCountsMissing() {
				t.Logf("FDs not checked under Wine: %s", wineHandleCountGap)
				minFDs = 0
			}
			if got.RSS == 0 || got.Threads < tt.want || got.FDs < minFDs || got.Gone || got.PID != pid {
				t.Errorf("Sample() = %+v, want RSS > 0, ≥1 thread and ≥3 FDs per process", got)
			}
		})
	}
}

// handleCountsMissing reports whether per-process handle counts read zero
// because the OS does not provide them: true under Wine only.
func handleCountsMissing() bool { return runtime.GOOS == "windows" && winetest.Detected() }

const wineHandleCountGap = "Wine 8.0 stubs NtQueryInformationProcess(ProcessHandleCount), so GetProcessHandleCount reads 0"

func TestProcSamplerGone(t *testing.T) {
	cmd := helperCmd("sleep", "0")
	in, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := Tree(cmd.Process.Pid)
	if got := sampleUntil(t, s, func(s Sample) bool { return s.Procs == 1 }); got.Gone {
		t.Fatalf("Sample() of a live process = %+v", got)
	}
	in.Close()
	cmd.Wait()
	got, err := s.Sample(context.Background())
	if err != nil || !got.Gone || got.Procs != 0 {
		t.Errorf("Sample() after exit = %+v, %v; want Gone and no error", got, err)
	}
}

func TestSelfCPU(t *testing.T) {
	s := Process(os.Getpid())
	if _, err := s.Sample(t.Context()); err != nil {
		t.Fatal(err)
	}
	end := time.Now().Add(200 * time.Millisecond)
	x := 0
	for time.Now().Before(end) {
		x++
	}
	got, err := s.Sample(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.CPUPct <= 0 || got.CPU <= 0 {
		t.Errorf("CPU after a busy loop: %v s, %v%%; want > 0", got.CPU, got.CPUPct)
	}
	// Written short: at most 6 decimals of CPU seconds, 3 of a percentage.
	for _, f := range []struct {
		name string
		v    float64
		max  int
	}{{"cpu_s", got.CPU, 6}, {"cpu_pct", got.CPUPct, 3}, {"fd_pct", got.MaxFDPct, 3}} {
		if d := decimals(f.v); d > f.max {
			t.Errorf("%s = %v: %d decimals, want at most %d", f.name, f.v, d, f.max)
		}
	}
}

// decimals returns how many decimals JSON writes for x.
func decimals(x float64) int {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// TestRound: sums and ratios of floats lose their noise digits and are
// written as the decimal they are nearest to.
func TestRound(t *testing.T) {
	tests := []struct {
		x     float64
		scale float64
		want  string
	}{
		{5184.000000000001, 1e6, "5184"},
		{0.1 + 0.2, 1e6, "0.3"},
		{12.3456789, 1e3, "12.346"},
		{99.99949, 1e3, "99.999"},
		{123456789.123456789, 1e6, "123456789.123457"},
		{0, 1e6, "0"},
		{2.5e-7, 1e6, "0"},
	}
	for _, tt := range tests {
		if got := strconv.FormatFloat(round(tt.x, tt.scale), 'f', -1, 64); got != tt.want {
			t.Errorf("round(%v, %v) = %s, want %s", tt.x, tt.scale, got, tt.want)
		}
	}
}

func TestRuntimeAndHostSamplers(t *testing.T) {
	runtime.GC() // live heap is measured by a GC
	rt, err := Runtime().Sample(t.Context())
	if err != nil || rt.HeapLive == 0 || rt.Goroutines < 1 || rt.GoMemTotal < rt.HeapLive {
		t.Errorf("Runtime().Sample() = %+v, %v; want heap, goroutines and total memory", rt, err)
	}
	for _, m := range []Metric{HeapLive, Goroutines, GoMemTotal} {
		if _, ok := rt.Value(m); !ok {
			t.Errorf("runtime sample lacks %s", m)
		}
	}
	if _, ok := rt.Value(RSS); ok {
		t.Errorf("runtime sample claims to carry rss")
	}
	h := Host(t.TempDir())
	if _, err := h.Sample(t.Context()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	got, err := h.Sample(t.Context())
	if err != nil || got.MemTotal == 0 || got.MemUsed == 0 || got.DiskFree == 0 || got.HostCPUPct < 0 || got.HostCPUPct > 100 {
		t.Errorf("Host().Sample() = %+v, %v; want memory, disk free and a CPU percentage", got, err)
	}
}

func TestTreeZombie(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no zombies on Windows")
	}
	cmd := helper(t, "zombie", "0")
	got := sampleUntil(t, Tree(cmd.Process.Pid), func(s Sample) bool { return s.Zombies == 1 })
	if got.Procs != 2 {
		t.Errorf("Sample() = %+v, want 2 processes, one a zombie", got)
	}
}

// TestGopsutilPath checks the portable gopsutil path, which other systems
// use for everything, on whatever system runs the tests.
func TestGopsutilPath(t *testing.T) {
	cmd := helper(t, "tree", "2,1") // 1 + 2 + 2 processes
	var g gopsutilState
	var procs []procInfo
	deadline := time.Now().Add(20 * time.Second)
	for len(procs) != 5 && time.Now().Before(deadline) {
		var err error
		if procs, _, err = g.collect(t.Context(), cmd.Process.Pid, true); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(procs) != 5 {
		t.Fatalf("gopsutil collect found %d processes, want 5", len(procs))
	}
	for _, p := range procs {
		if p.rss == 0 || p.threads == 0 || p.key.start == 0 {
			t.Errorf("process %+v lacks RSS, threads or create time", p)
		}
	}
	if got, _, _ := g.collect(t.Context(), 1<<30, true); got != nil {
		t.Errorf("collect of a missing pid = %+v, want nothing", got)
	}
}

// A child that exits between discovery and reading is skipped, not counted
// as partial, on both paths: the tree here spawns children that exit at once.
func TestTreeChurnIsNotPartial(t *testing.T) {
	cmd := helper(t, "churn", "0")
	var g gopsutilState
	fast := Tree(cmd.Process.Pid)
	partial, fastPartial := 0, 0
	for range 300 {
		_, n, err := g.collect(t.Context(), cmd.Process.Pid, true)
		if err != nil {
			t.Fatal(err)
		}
		partial += n
		s, err := fast.Sample(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		fastPartial += s.Partial
	}
	if partial != 0 || fastPartial != 0 {
		t.Errorf("children that exited were counted as partial: %d times by the gopsutil path, %d by Tree", partial, fastPartial)
	}
}
