package probe

import (
	"context"
	"math"
	"sync"
	"time"
)

// A ProcSampler samples one process, or a process and all its descendants.
// Create one with [Process] or [Tree]. Its methods may be called
// concurrently, though a [Monitor] calls Sample from one goroutine only.
//
// A tree is re-discovered on every sample, so children that come and go are
// counted while they exist. A process that exits between discovery and
// reading is skipped (counted in [Sample.Partial] only if it was discovered
// but could not be read for another reason). When the root itself is gone the
// sample has Gone set and no process figures; this is not an error.
//
// On Linux the tree is discovered through /proc/<pid>/task/*/children and
// each process is read from one /proc/<pid>/stat read plus the size of
// /proc/<pid>/fd (Linux ≥ 6.2; older kernels fall back to reading the
// directory). Where the kernel lacks the children files, one scan of /proc
// builds the parent map instead. Elsewhere gopsutil/v4 is used for discovery
// and per-process figures.
type ProcSampler struct {
	pid  int
	tree bool

	mu        sync.Mutex
	rootStart uint64              // start time of the root when first seen; 0 = not yet seen
	prevCPU   map[procKey]float64 // CPU seconds per process at the previous sample
	prevTime  time.Time
	limits    map[procKey]uint64 // soft RLIMIT_NOFILE per process, cached
	os        osState
}

// procKey identifies a process across samples: a pid with its start time,
// so a reused pid is a different key.
type procKey struct {
	pid   int
	start uint64
}

// procInfo is one process's figures, as read by the OS-specific code.
type procInfo struct {
	key     procKey
	ppid    int
	zombie  bool
	rss     uint64
	cpu     float64 // seconds
	fds     int
	nofile  uint64 // soft limit, 0 = unknown
	threads int
}

// Process returns a sampler of the single process pid.
func Process(pid int) *ProcSampler { return &ProcSampler{pid: pid} }

// Tree returns a sampler of the process pid and all its descendants.
func Tree(pid int) *ProcSampler { return &ProcSampler{pid: pid, tree: true} }

// PID returns the root process id.
func (p *ProcSampler) PID() int { return p.pid }

// Sample takes one sample. The error is non-nil only when the process table
// could not be read at all; a vanished root yields a sample with Gone set.
func (p *ProcSampler) Sample(ctx context.Context) (Sample, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	start := time.Now()
	procs, partial, err := p.collect(ctx)
	s := Sample{Time: start, PID: p.pid, Partial: partial}
	if err != nil {
		return s, err
	}
	if len(procs) == 0 {
		s.Gone = true
		s.Took = time.Since(start)
		return s, nil
	}
	root := procs[0].key
	if p.rootStart == 0 {
		p.rootStart = root.start
	} else if root.start != p.rootStart {
		s.Restart = true
		p.rootStart = root.start
		p.prevCPU = nil
	}
	cur := make(map[procKey]float64, len(procs))
	var delta float64
	for i := range procs {
		pi := &procs[i]
		s.Procs++
		if pi.zombie {
			s.Zombies++
		}
		s.RSS += pi.rss
		s.CPU += pi.cpu
		s.FDs += pi.fds
		s.Threads += pi.threads
		if pi.nofile > 0 {
			if pct := 100 * float64(pi.fds) / float64(pi.nofile); pct > s.MaxFDPct {
				s.MaxFDPct = pct
			}
		}
		cur[pi.key] = pi.cpu
		if p.prevCPU != nil {
			if prev, ok := p.prevCPU[pi.key]; ok {
				if pi.cpu > prev {
					delta += pi.cpu - prev
				}
			} else {
				delta += pi.cpu // new since the previous sample
			}
		}
	}
	if p.prevCPU != nil {
		if dt := start.Sub(p.prevTime).Seconds(); dt > 0 {
			s.CPUPct = 100 * delta / dt
		}
	}
	p.prevCPU, p.prevTime = cur, start
	if p.limits != nil && len(p.limits) > 4*len(procs)+64 {
		for k := range p.limits {
			if _, ok := cur[k]; !ok {
				delete(p.limits, k)
			}
		}
	}
	s.CPU, s.CPUPct, s.MaxFDPct = round(s.CPU, 1e6), round(s.CPUPct, 1e3), round(s.MaxFDPct, 1e3)
	s.Took = time.Since(start)
	return s, nil
}

// round rounds x to 1/scale, scale a power of ten. A sum of CPU times or a
// ratio carries 16-17 significant digits of float noise
// (5184.000000000001); rounded to a microsecond of CPU or a thousandth of
// a percent, far below what the OS measures, it is written short in
// samples.jsonl and read back on the decoders' exact fast path. Dividing
// by the exact power of ten gives the double nearest the decimal.
func round(x, scale float64) float64 { return math.Round(x*scale) / scale }

// nofileLimit returns the cached soft RLIMIT_NOFILE for k, reading it with
// read on a miss.
func (p *ProcSampler) nofileLimit(k procKey, read func() uint64) uint64 {
	if v, ok := p.limits[k]; ok {
		return v
	}
	if p.limits == nil {
		p.limits = make(map[procKey]uint64)
	}
	v := read()
	p.limits[k] = v
	return v
}
