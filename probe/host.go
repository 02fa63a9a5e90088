package probe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/mem"
)

// A HostSampler samples the host: memory, CPU busy percentage since the
// previous sample, and free space on the volume holding a path (typically the
// artifacts directory). Create one with [Host].
type HostSampler struct {
	path string

	mu        sync.Mutex
	prevBusy  float64
	prevTotal float64
}

// Host returns a host sampler. diskPath selects the volume whose free space
// is reported; "" means none.
func Host(diskPath string) *HostSampler { return &HostSampler{path: diskPath} }

// Sample reads host figures through gopsutil. It returns an error only when
// no figure at all could be read; figures that fail individually are left
// zero.
func (h *HostSampler) Sample(ctx context.Context) (Sample, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	start := time.Now()
	s := Sample{Time: start}
	var errs []error
	if vm, err := mem.VirtualMemoryWithContext(ctx); err == nil {
		s.MemTotal, s.MemAvailable = vm.Total, vm.Available
		if vm.Total > vm.Available {
			s.MemUsed = vm.Total - vm.Available
		}
	} else {
		errs = append(errs, fmt.Errorf("memory: %w", err))
	}
	if ts, err := cpu.TimesWithContext(ctx, false); err == nil && len(ts) > 0 {
		t := ts[0]
		busy := t.User + t.System + t.Nice + t.Irq + t.Softirq + t.Steal
		total := busy + t.Idle + t.Iowait
		if h.prevTotal > 0 && total > h.prevTotal {
			s.HostCPUPct = round(min(max(100*(busy-h.prevBusy)/(total-h.prevTotal), 0), 100), 1e3)
		}
		h.prevBusy, h.prevTotal = busy, total
	} else if err != nil {
		errs = append(errs, fmt.Errorf("cpu: %w", err))
	}
	if h.path != "" {
		if u, err := disk.UsageWithContext(ctx, h.path); err == nil {
			s.DiskFree, s.DiskPath = u.Free, h.path
		} else {
			errs = append(errs, fmt.Errorf("disk %s: %w", h.path, err))
		}
	}
	s.Took = time.Since(start)
	if len(errs) == 3 || (h.path == "" && len(errs) == 2) {
		return s, fmt.Errorf("probe: host: %w", errors.Join(errs...))
	}
	return s, nil
}
