package probe

import (
	"context"
	"errors"
	"os"

	"github.com/shirou/gopsutil/v4/process"
)

// gopsutilState samples a process tree through gopsutil/v4: the portable
// path used on every OS but Linux (and, on Linux, by the benchmark that
// compares the two). Handles are cached per pid and checked against the
// process's create time, so a reused pid gets a fresh handle.
type gopsutilState struct {
	handles map[int32]gopsutilHandle
}

type gopsutilHandle struct {
	p      *process.Process
	create int64
}

func (g *gopsutilState) handle(ctx context.Context, pid int32) (*process.Process, int64, bool) {
	if h, ok := g.handles[pid]; ok {
		// The create time alone does not tell that the process ended: on
		// Windows an exited process whose handle its parent has not yet
		// closed keeps its pid, create time and memory figures, so ask
		// whether it still runs (gopsutil waits on the process there).
		if ct, err := h.p.CreateTimeWithContext(ctx); err == nil && ct == h.create {
			if alive, err := process.PidExistsWithContext(ctx, pid); err != nil || alive {
				return h.p, h.create, true
			}
		}
		delete(g.handles, pid)
	}
	p, err := process.NewProcessWithContext(ctx, pid)
	if err != nil {
		return nil, 0, false
	}
	ct, _ := p.CreateTimeWithContext(ctx)
	if g.handles == nil {
		g.handles = make(map[int32]gopsutilHandle)
	}
	g.handles[pid] = gopsutilHandle{p, ct}
	return p, ct, true
}

// A procTable is one snapshot of the whole process table: parent pid and
// thread count by pid, and children by parent pid. Where gopsutil reads
// those through a snapshot of its own for each call (Windows: one each for
// a process's parent, its thread count and its children, so three per
// process per sample), the sampler takes one per sample instead.
type procTable struct {
	entries  map[int32]procEntry
	children map[int32][]int32
}

type procEntry struct {
	ppid, threads int32
}

func (g *gopsutilState) collect(ctx context.Context, root int, tree bool) ([]procInfo, int, error) {
	rp, ct, ok := g.handle(ctx, int32(root))
	if !ok {
		return nil, 0, nil
	}
	table := snapshotTable() // nil where the OS has no such snapshot
	var procs []procInfo
	info, ok := g.read(ctx, rp, ct, table)
	if !ok {
		return nil, 0, nil
	}
	procs = append(procs, info)
	if !tree {
		return procs, 0, nil
	}
	seen := map[int32]bool{rp.Pid: true}
	type node struct {
		p      *process.Process
		create int64
	}
	queue := []node{{rp, ct}}
	for len(queue) > 0 {
		if ctx.Err() != nil {
			return procs, 0, context.Cause(ctx)
		}
		cur := queue[0]
		queue = queue[1:]
		var kids []int32
		if table != nil {
			kids = table.children[cur.p.Pid]
		} else {
			ps, err := cur.p.ChildrenWithContext(ctx)
			if err != nil {
				continue // none, or the process exited
			}
			for _, k := range ps {
				kids = append(kids, k.Pid)
			}
		}
		for _, pid := range kids {
			if seen[pid] {
				continue
			}
			seen[pid] = true
			h, ct, ok := g.handle(ctx, pid)
			if !ok {
				continue
			}
			// A snapshot's parent pid is the creator's, kept after the
			// creator exits and its pid is reused: a "child" created
			// before its parent belongs to an earlier owner of that pid.
			if table != nil && ct != 0 && cur.create != 0 && ct < cur.create {
				continue
			}
			info, ok := g.read(ctx, h, ct, table)
			if !ok {
				continue // exited between discovery and reading: normal
			}
			procs = append(procs, info)
			queue = append(queue, node{h, ct})
		}
	}
	if len(g.handles) > 4*len(procs)+64 {
		for pid := range g.handles {
			if !seen[pid] {
				delete(g.handles, pid)
			}
		}
	}
	// read tolerates every error but the process's absence, so nothing
	// is ever partial here.
	return procs, 0, nil
}

// read reads one process's figures, its parent and thread count from table
// when it lists the process. ok is false if the process is gone. Figures
// that a platform does not provide stay zero.
func (g *gopsutilState) read(ctx context.Context, p *process.Process, create int64, table *procTable) (procInfo, bool) {
	info := procInfo{key: procKey{int(p.Pid), uint64(create)}}
	mi, err := p.MemoryInfoWithContext(ctx)
	if err != nil {
		if gone(ctx, p) {
			return info, false
		}
	} else {
		info.rss = mi.RSS
	}
	if st, err := p.StatusWithContext(ctx); err == nil {
		for _, s := range st {
			if s == process.Zombie {
				info.zombie = true
			}
		}
	}
	if t, err := p.TimesWithContext(ctx); err == nil {
		info.cpu = t.User + t.System
	}
	if n, err := p.NumFDsWithContext(ctx); err == nil {
		info.fds = int(n)
	}
	if e, ok := table.entry(p.Pid); ok {
		info.threads, info.ppid = int(e.threads), int(e.ppid)
		return info, true
	}
	if n, err := p.NumThreadsWithContext(ctx); err == nil {
		info.threads = int(n)
	}
	if pp, err := p.PpidWithContext(ctx); err == nil {
		info.ppid = int(pp)
	}
	return info, true
}

func gone(ctx context.Context, p *process.Process) bool {
	ok, err := p.IsRunningWithContext(ctx)
	return (err == nil && !ok) || errors.Is(err, process.ErrorProcessNotRunning) || errors.Is(err, os.ErrNotExist)
}

// entry returns pid's entry; a nil table has none.
func (t *procTable) entry(pid int32) (procEntry, bool) {
	if t == nil {
		return procEntry{}, false
	}
	e, ok := t.entries[pid]
	return e, ok
}

// add records a process seen in a snapshot.
func (t *procTable) add(pid, ppid, threads int32) {
	if t.entries == nil {
		t.entries = make(map[int32]procEntry)
		t.children = make(map[int32][]int32)
	}
	t.entries[pid] = procEntry{ppid: ppid, threads: threads}
	if pid != ppid { // the idle process is its own parent
		t.children[ppid] = append(t.children[ppid], pid)
	}
}
