//go:build linux

package probe

import (
	"context"
	"errors"
	"os"
	"strconv"
	"syscall"
)

const clockTicks = 100 // USER_HZ; fixed at 100 on every Linux ABI Go supports

var pageSize = uint64(os.Getpagesize())

// osState is the Linux-specific state of a ProcSampler.
type osState struct {
	buf        []byte
	noChildren bool // kernel lacks task/*/children; scan /proc instead
	fdSizeOK   int  // 0 unknown, 1 st_size of /proc/pid/fd counts FDs, -1 it does not
	pids       []int
	path       []byte
}

// forceScan makes the sampler use the /proc scan fallback (tests).
func (p *ProcSampler) forceScan() { p.os.noChildren = true }

func (p *ProcSampler) collect(ctx context.Context) ([]procInfo, int, error) {
	st := &p.os
	if st.buf == nil {
		st.buf = make([]byte, 4096)
	}
	rootInfo, ok, err := p.readProc(p.pid)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		return nil, 0, nil
	}
	procs := []procInfo{rootInfo}
	if !p.tree {
		return procs, 0, nil
	}
	partial := 0
	if st.noChildren {
		return p.collectByScan(ctx, procs)
	}
	queue := []int{p.pid}
	threads := map[int]int{p.pid: rootInfo.threads}
	seen := map[int]bool{p.pid: true}
	for len(queue) > 0 {
		if ctx.Err() != nil {
			return procs, partial, context.Cause(ctx)
		}
		pid := queue[0]
		queue = queue[1:]
		kids, err := p.children(pid, threads[pid])
		if err != nil {
			if pid == p.pid && errors.Is(err, errNoChildrenFile) {
				st.noChildren = true
				return p.collectByScan(ctx, procs[:1])
			}
			continue // the process exited meanwhile
		}
		for _, c := range kids {
			if seen[c] {
				continue
			}
			seen[c] = true
			info, ok, err := p.readProc(c)
			if err != nil {
				partial++
				continue
			}
			if !ok {
				continue // exited between discovery and reading: normal
			}
			procs = append(procs, info)
			threads[c] = info.threads
			queue = append(queue, c)
		}
	}
	return procs, partial, nil
}

var errNoChildrenFile = errors.New("no /proc/<pid>/task/<tid>/children")

// children lists the children of pid from the per-thread children files.
// A single-threaded process has one such file, read without listing its task
// directory.
func (p *ProcSampler) children(pid, threads int) ([]int, error) {
	st := &p.os
	st.pids = st.pids[:0]
	if threads == 1 {
		st.path = appendPath(st.path[:0], pid, "/task/")
		st.path = strconv.AppendInt(st.path, int64(pid), 10)
		st.path = append(st.path, "/children"...)
		b, err := p.read(st.path)
		if err != nil {
			if errors.Is(err, syscall.ENOENT) {
				if _, serr := os.Stat(string(appendPath(nil, pid, ""))); serr == nil {
					return nil, errNoChildrenFile
				}
			}
			return nil, err
		}
		return parsePIDList(st.pids, b), nil
	}
	dir := string(appendPath(nil, pid, "/task"))
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	tids, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	found := false
	for _, tid := range tids {
		b, err := p.read([]byte(dir + "/" + tid + "/children"))
		if err != nil {
			continue // thread exited
		}
		found = true
		st.pids = parsePIDList(st.pids, b)
	}
	if !found && len(tids) > 0 {
		if _, err := os.Stat(dir + "/" + tids[0]); err == nil {
			return nil, errNoChildrenFile
		}
	}
	return st.pids, nil
}

// collectByScan finds descendants of the root with one pass over /proc.
func (p *ProcSampler) collectByScan(ctx context.Context, procs []procInfo) ([]procInfo, int, error) {
	f, err := os.Open("/proc")
	if err != nil {
		return procs, 0, err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return procs, 0, err
	}
	byParent := make(map[int][]procInfo)
	partial := 0
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil || pid == p.pid {
			continue
		}
		if ctx.Err() != nil {
			return procs, partial, context.Cause(ctx)
		}
		// Read stat only to learn the parent; figures are read for tree members only.
		st, ok := p.readStat(pid)
		if !ok {
			continue
		}
		byParent[st.PPID] = append(byParent[st.PPID], procInfo{key: procKey{pid, st.StartTime}})
	}
	queue := []int{p.pid}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, c := range byParent[pid] {
			info, ok, err := p.readProc(c.key.pid)
			if err != nil {
				partial++
				continue
			}
			if !ok {
				continue
			}
			procs = append(procs, info)
			queue = append(queue, c.key.pid)
		}
	}
	return procs, partial, nil
}

func appendPath(b []byte, pid int, suffix string) []byte {
	b = append(b, "/proc/"...)
	b = strconv.AppendInt(b, int64(pid), 10)
	return append(b, suffix...)
}

// read reads a small /proc file into the sampler's buffer with raw system
// calls (os.File would register each file with the poller).
func (p *ProcSampler) read(path []byte) ([]byte, error) {
	fd, err := syscall.Open(string(path), syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	buf := p.os.buf[:cap(p.os.buf)]
	n := 0
	for {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m == 0 {
			break
		}
		n += m
		if n == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
			p.os.buf = buf
		}
	}
	return buf[:n], nil
}

func (p *ProcSampler) readStat(pid int) (procStat, bool) {
	b, err := p.read(appendPath(p.os.path[:0], pid, "/stat"))
	if err != nil {
		return procStat{}, false
	}
	st, err := parseProcStat(b)
	if err != nil {
		return procStat{}, false
	}
	return st, true
}

// readProc reads one process. ok is false when the process does not exist
// (any more); err is non-nil when it exists but could not be read.
func (p *ProcSampler) readProc(pid int) (procInfo, bool, error) {
	st := &p.os
	st.path = appendPath(st.path[:0], pid, "/stat")
	b, err := p.read(st.path)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ESRCH) {
			return procInfo{}, false, nil
		}
		return procInfo{}, false, err
	}
	ps, err := parseProcStat(b)
	if err != nil {
		return procInfo{}, false, err
	}
	info := procInfo{
		key:     procKey{pid, ps.StartTime},
		ppid:    ps.PPID,
		zombie:  ps.State == 'Z',
		cpu:     float64(ps.UTime+ps.STime) / clockTicks,
		threads: ps.Threads,
	}
	if ps.RSSPages > 0 {
		info.rss = uint64(ps.RSSPages) * pageSize
	}
	if !info.zombie {
		info.fds = p.countFDs(pid)
		info.nofile = p.nofileLimit(info.key, func() uint64 {
			b, err := p.read(appendPath(st.path[:0], pid, "/limits"))
			if err != nil {
				return 0
			}
			return parseNofile(b)
		})
	}
	return info, true, nil
}

// countFDs counts pid's open descriptors: st_size of /proc/<pid>/fd on
// Linux ≥ 6.2, else the number of entries. Unreadable means 0.
func (p *ProcSampler) countFDs(pid int) int {
	st := &p.os
	dir := string(appendPath(st.path[:0], pid, "/fd"))
	if st.fdSizeOK >= 0 {
		var fi syscall.Stat_t
		if err := syscall.Stat(dir, &fi); err != nil {
			return 0
		}
		if fi.Size > 0 {
			st.fdSizeOK = 1
			return int(fi.Size)
		}
		if st.fdSizeOK == 0 {
			// Size 0: an old kernel, or really no descriptors. Decide once
			// by looking at our own directory, which is never empty.
			var self syscall.Stat_t
			if syscall.Stat("/proc/self/fd", &self) == nil && self.Size > 0 {
				st.fdSizeOK = 1
				return 0
			}
			st.fdSizeOK = -1
		} else {
			return 0
		}
	}
	f, err := os.Open(dir)
	if err != nil {
		return 0
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return 0
	}
	return len(names)
}
