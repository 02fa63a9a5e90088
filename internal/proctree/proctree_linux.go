package proctree

import (
	"bytes"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/soakkit/soakkit/internal/asciidec"
	"golang.org/x/sys/unix"
)

// sweepTimeout bounds how long Sweep waits for what it killed to disappear.
const sweepTimeout = 5 * time.Second

var subreaper atomic.Bool

// EnableSubreaper makes the calling process a child subreaper (Linux 3.4+):
// descendants orphaned by their parent's death are re-parented to it rather
// than to init, so every process a command started stays below the runner.
// Trees started afterwards are swept by walking down from the runner (work
// proportional to the runner's children and the tree) instead of scanning
// every process on the host, and find descendants that scrubbed their
// environment too. Sweep and [EndStrays] reap the orphans they end, and
// EndStrays reaps zombies adopted from any tree.
//
// It affects the whole process and cannot be undone; call it once, early,
// from a runner that owns its process (not from a library used inside
// someone else's). On other systems it returns an error wrapping
// errors.ErrUnsupported.
func EnableSubreaper() error {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return &os.SyscallError{Syscall: "prctl(PR_SET_CHILD_SUBREAPER)", Err: err}
	}
	subreaper.Store(true)
	return nil
}

// SubreaperEnabled reports whether EnableSubreaper has succeeded.
func SubreaperEnabled() bool { return subreaper.Load() }

// noteStart records, for a command just started, what Sweep needs later.
func (t *Tree) noteStart(pid int) {
	t.sys.startTicks = startTicks(pid)
	t.sys.walk = subreaper.Load()
	notePidfd(pid)
}

func setPdeathsig(attr *syscall.SysProcAttr, on bool) {
	if on {
		attr.Pdeathsig = syscall.SIGKILL
	}
}

// sweep ends what the tree left behind: by a walk down from the runner if
// the tree started while the runner was a child subreaper (cost: the
// runner's children and the tree), by a scan of /proc otherwise (cost: every
// process on the host).
func (t *Tree) sweep() []Process {
	if t.sys.walk {
		return t.sweepWalk()
	}
	return t.sweepScan()
}

// sweepScan is Sweep without a child subreaper: the tree's escapees may
// have been re-parented to init or to another subreaper, so every process
// on the host is looked at, and those outside the group are known by the
// cookie in their environment.
func (t *Tree) sweepScan() []Process {
	pgid := t.pid
	self := os.Getpid()
	var found []Process
	seen := make(map[int]bool)
	// escaped holds the killed processes outside the group: once they are
	// zombies their environment is empty, so the scan no longer finds them
	// and they are followed by pid until they are gone or reaped.
	escaped := make(map[int]bool)
	deadline := time.Now().Add(sweepTimeout)
	delay := 2 * time.Millisecond
	for {
		pending := 0
		groupAlive := false
		for _, p := range scan(pgid, t.cookie, self, t.sys.startTicks) {
			if p.zombie {
				if reapIfOurs(p.pid, p.ppid, self) {
					pending++
				}
				continue
			}
			pending++
			if !seen[p.pid] {
				seen[p.pid] = true
				found = append(found, Process{PID: p.pid, Cmdline: p.cmdline, Escaped: !p.inGroup})
			}
			if p.inGroup {
				groupAlive = true
			} else {
				escaped[p.pid] = true
				signalPid(p.pid, p.start, unix.SIGKILL)
			}
		}
		for pid := range escaped {
			st, ok := readStat(pid)
			switch {
			case !ok:
				delete(escaped, pid)
			case st.zombie():
				if !reapIfOurs(pid, st.ppid, self) {
					delete(escaped, pid)
				}
				pending++
			default:
				pending++ // SIGKILL sent, not yet delivered
			}
		}
		if groupAlive {
			signalGroup(pgid, unix.SIGKILL)
		}
		if pending == 0 || time.Now().After(deadline) {
			return found
		}
		time.Sleep(delay)
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// reapIfOurs reaps zombie pid if its parent is self (it was adopted by the
// subreaper) and reports whether it was ours. Zombies of other parents are
// left to them or to init.
func reapIfOurs(pid, ppid, self int) bool {
	if ppid != self {
		return false
	}
	var ws unix.WaitStatus
	unix.Wait4(pid, &ws, unix.WNOHANG, nil)
	return true
}

type procInfo struct {
	pid, ppid int
	start     uint64
	zombie    bool
	inGroup   bool
	cmdline   string
}

// scan lists the processes in group pgid or carrying cookie, except self.
// Processes that started before the tick since (not descendants of a
// command started then) are not searched for the cookie.
func scan(pgid int, cookie string, self int, since uint64) []procInfo {
	names, err := procDirNames("/proc")
	if err != nil && len(names) == 0 {
		return nil
	}
	needle := []byte(cookie + "=")
	var out []procInfo
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid == self {
			continue
		}
		st, ok := readStat(pid)
		if !ok {
			continue
		}
		p := procInfo{pid: pid, ppid: st.ppid, start: st.start, zombie: st.zombie(), inGroup: st.pgrp == pgid}
		if !p.inGroup && (st.start < since || !hasCookie(pid, needle)) {
			continue
		}
		if !p.zombie {
			p.cmdline = liveCmdline(pid)
		}
		out = append(out, p)
	}
	return out
}

type stat struct {
	state      byte
	ppid, pgrp int
	flags      uint64 // the kernel's PF_* flags
	start      uint64 // clock ticks after boot
}

// zombie reports whether the process has ended and waits to be reaped.
func (s stat) zombie() bool { return s.state == 'Z' || s.state == 'X' }

// pfKthread is the PF_KTHREAD flag of a kernel thread.
const pfKthread = 0x00200000

// kthread reports whether the process is a kernel thread (no environment,
// no command line, never a descendant of a command).
func (s stat) kthread() bool { return s.flags&pfKthread != 0 }

// readStat parses /proc/<pid>/stat.
func readStat(pid int) (stat, bool) {
	var buf [512]byte
	b, err := readProc("/proc/"+strconv.Itoa(pid)+"/stat", buf[:])
	if err != nil {
		return stat{}, false
	}
	return parseStat(b)
}

// parseStat parses the content of a /proc/<pid>/stat file: "pid (comm) S
// ppid pgrp session tty tpgid flags ... starttime(22nd) ...", where comm
// may contain spaces and parentheses. It allocates nothing: a scan-mode
// Sweep parses one per process on the host.
func parseStat(b []byte) (stat, bool) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return stat{}, false
	}
	rest := b[i+1:]
	var st stat
	// Fields after comm, numbered from 0 (the state).
	for field := 0; field <= 19; field++ {
		rest = bytes.TrimLeft(rest, " ")
		j := bytes.IndexAny(rest, " \n")
		if j < 0 {
			j = len(rest)
		}
		tok := rest[:j]
		rest = rest[j:]
		if len(tok) == 0 {
			return stat{}, false
		}
		var ok bool
		switch field {
		case 0:
			st.state, ok = tok[0], len(tok) == 1
		case 1:
			st.ppid, ok = atoi(tok)
		case 2:
			st.pgrp, ok = atoi(tok)
		case 6:
			st.flags, ok = asciidec.Uint(tok)
		case 19:
			st.start, ok = asciidec.Uint(tok)
		default:
			ok = true
		}
		if !ok {
			return stat{}, false
		}
	}
	return st, true
}

// atoi parses a non-negative decimal int (or -1, as /proc writes for a
// missing terminal group) without allocating.
func atoi(b []byte) (int, bool) {
	if len(b) == 2 && b[0] == '-' && b[1] == '1' {
		return -1, true
	}
	n, ok := asciidec.Uint(b)
	return int(n), ok && n <= 1<<31
}

// pidReused reports whether pid now names a process other than the one that
// started at tick start: a live process with that pid and another start
// time. A leader that exited (gone or a zombie) is not reused: while any
// member of its group lives, the kernel keeps the number.
func pidReused(pid int, start uint64) bool {
	if start == 0 {
		return false
	}
	st, ok := readStat(pid)
	return ok && st.start != start
}

// startTicks returns the start time of pid in clock ticks after boot, or 0.
func startTicks(pid int) uint64 {
	st, ok := readStat(pid)
	if !ok {
		return 0
	}
	return st.start
}

// environ reads pid's environment (NUL-separated entries), or nil.
//
// A process caught in execve shows an empty environment, and an empty
// command line, for a moment: the new image's are set up after the old
// memory is dropped. Such a process is read again a few times (a few
// milliseconds at most); otherwise an escapee exec'ing just as the sweep
// looks would be taken for a stranger and left running. A live process
// with an empty environment but a command line (env -i) is read once more
// at once, and kernel threads not again.
func environ(pid int) []byte {
	path := "/proc/" + strconv.Itoa(pid) + "/environ"
	b, err := readProc(path, nil)
	for i := 0; err == nil && len(b) == 0 && i < 5; i++ {
		st, ok := readStat(pid)
		if !ok || st.zombie() || st.kthread() {
			break
		}
		if readCmdline(pid) == "" {
			time.Sleep(time.Millisecond)
		} else if i > 0 {
			break
		}
		b, err = readProc(path, b)
	}
	if err != nil {
		return nil
	}
	return b
}

func hasCookie(pid int, needle []byte) bool {
	b := environ(pid)
	for len(b) > 0 {
		entry := b
		if i := bytes.IndexByte(b, 0); i >= 0 {
			entry, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if bytes.HasPrefix(entry, needle) {
			return true
		}
	}
	return false
}

// cookies returns the names of the cookie variables in pid's environment.
func cookies(pid int) []string {
	var out []string
	for entry := range bytes.SplitSeq(environ(pid), []byte{0}) {
		if name, _, ok := bytes.Cut(entry, []byte("=")); ok && bytes.HasPrefix(name, []byte(CookiePrefix)) {
			out = append(out, string(name))
		}
	}
	return out
}

const maxCmdline = 512

func readCmdline(pid int) string {
	b, err := readProc("/proc/"+strconv.Itoa(pid)+"/cmdline", nil)
	if err != nil {
		return ""
	}
	b = bytes.TrimRight(b, "\x00")
	b = bytes.ReplaceAll(b, []byte{0}, []byte{' '})
	if len(b) > maxCmdline {
		b = append(b[:maxCmdline:maxCmdline], "..."...)
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}
