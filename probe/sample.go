package probe

import (
	"context"
	"time"
)

// A Sampler takes one sample of its target. Implementations in this package
// are [*ProcSampler], [*RuntimeSampler] and [*HostSampler]; callers may supply
// their own.
//
// Sample must not block for long: a [Monitor] calls it from its own goroutine
// and counts a sample that overruns the interval as slow. A returned error
// means the sample could not be taken at all; the Monitor counts it and goes
// on.
type Sampler interface {
	Sample(ctx context.Context) (Sample, error)
}

// A Sample is one observation of a target. Fields that the sampler does not
// measure are zero and omitted from JSON; [Sample.Value] reports whether a
// metric is present.
//
// Sizes are in bytes, CPU time in seconds. The JSON field names are the
// samples.jsonl contract and are stable.
type Sample struct {
	Time   time.Time `json:"t"`
	Target string    `json:"target,omitempty"` // label set by the Monitor, e.g. "service", "step:tests"

	// Process or process-tree figures (ProcSampler).
	PID      int     `json:"pid,omitempty"`     // root process
	Gone     bool    `json:"gone,omitempty"`    // the root process no longer exists
	Restart  bool    `json:"restart,omitempty"` // the root pid now names a different process than before
	Procs    int     `json:"procs,omitempty"`   // processes in the tree (root included), zombies included
	Zombies  int     `json:"zombies,omitempty"` // processes in state Z
	RSS      uint64  `json:"rss,omitempty"`     // resident set size, summed over the tree
	CPU      float64 `json:"cpu_s,omitempty"`   // user+system CPU seconds, summed over the live tree
	CPUPct   float64 `json:"cpu_pct,omitempty"` // CPU since the previous sample, % of one core
	FDs      int     `json:"fds,omitempty"`     // open file descriptors (handles on Windows), summed
	MaxFDPct float64 `json:"fd_pct,omitempty"`  // highest per-process FDs as % of its soft RLIMIT_NOFILE (Linux)
	Threads  int     `json:"threads,omitempty"` // OS threads, summed
	Partial  int     `json:"partial,omitempty"` // processes seen at discovery whose figures could not be read

	// Go runtime figures (RuntimeSampler), from runtime/metrics.
	HeapLive   uint64 `json:"go_heap_live,omitempty"` // /gc/heap/live:bytes
	GoMemTotal uint64 `json:"go_mem_total,omitempty"` // /memory/classes/total:bytes
	Goroutines int    `json:"goroutines,omitempty"`   // /sched/goroutines:goroutines
	GCCycles   uint64 `json:"gc_cycles,omitempty"`    // /gc/cycles/total:gc-cycles

	// Host figures (HostSampler).
	MemTotal     uint64  `json:"mem_total,omitempty"`
	MemAvailable uint64  `json:"mem_avail,omitempty"`
	MemUsed      uint64  `json:"mem_used,omitempty"` // total − available
	HostCPUPct   float64 `json:"host_cpu_pct,omitempty"`
	DiskFree     uint64  `json:"disk_free,omitempty"`
	DiskPath     string  `json:"disk_path,omitempty"`

	Took time.Duration `json:"took_ns,omitempty"` // time spent taking the sample
}

// A Metric names one figure of a [Sample]. Its string is the JSON field name.
type Metric string

// The metrics a Sample can carry.
const (
	RSS        Metric = "rss"          // resident set size of the process or tree, bytes
	CPU        Metric = "cpu_s"        // CPU time of the live tree, seconds
	FDs        Metric = "fds"          // open file descriptors (handles on Windows)
	Threads    Metric = "threads"      // OS threads
	Procs      Metric = "procs"        // processes in the tree
	Zombies    Metric = "zombies"      // processes in state Z
	HeapLive   Metric = "go_heap_live" // Go live heap after the last GC, bytes
	GoMemTotal Metric = "go_mem_total" // all memory mapped by the Go runtime, bytes
	Goroutines Metric = "goroutines"   // live goroutines
	MemUsed    Metric = "mem_used"     // host memory in use (total − available), bytes
	DiskFree   Metric = "disk_free"    // free bytes on the sampled volume
)

// Value returns the value of m in s and whether s carries it. A process
// metric is absent from a sample whose root is gone.
func (s *Sample) Value(m Metric) (float64, bool) {
	proc := s.Procs > 0
	switch m {
	case RSS:
		return float64(s.RSS), proc
	case CPU:
		return s.CPU, proc
	case FDs:
		return float64(s.FDs), proc
	case Threads:
		return float64(s.Threads), proc
	case Procs:
		return float64(s.Procs), proc
	case Zombies:
		return float64(s.Zombies), proc
	case HeapLive: // zero until the first GC; present in every runtime sample
		return float64(s.HeapLive), s.GoMemTotal > 0
	case GoMemTotal:
		return float64(s.GoMemTotal), s.GoMemTotal > 0
	case Goroutines:
		return float64(s.Goroutines), s.GoMemTotal > 0
	case MemUsed:
		return float64(s.MemUsed), s.MemTotal > 0
	case DiskFree:
		return float64(s.DiskFree), s.DiskPath != ""
	}
	return 0, false
}

// Unit returns the unit of m's values: "B", "s" or "" for counts.
func (m Metric) Unit() string {
	switch m {
	case RSS, HeapLive, GoMemTotal, MemUsed, DiskFree:
		return "B"
	case CPU:
		return "s"
	}
	return ""
}
