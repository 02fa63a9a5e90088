package proctree

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"
)

// DefaultGrace is the pause between the graceful signal and the kill when
// [Options.Grace] is zero.
const DefaultGrace = 5 * time.Second

// CookiePrefix starts the name of every cookie environment variable.
const CookiePrefix = "SOAKKIT_TREE_"

// Options configure a [Tree]. The zero value selects the defaults.
type Options struct {
	// Grace is how long Stop waits after the graceful signal before it
	// kills the tree. Default: DefaultGrace. Negative means no grace.
	Grace time.Duration

	// Pdeathsig asks Linux to SIGKILL the command when the OS thread that
	// started it exits. Only set it if the goroutine that calls Start stays
	// locked to its thread (runtime.LockOSThread) until Wait returns;
	// otherwise an unrelated thread exit may kill the command at random.
	// Ignored on other systems.
	Pdeathsig bool
}

// A Process is a process found alive by [Tree.Sweep] and killed.
type Process struct {
	PID     int    `json:"pid"`
	Cmdline string `json:"cmdline"`           // arguments joined by spaces; "" if unreadable
	Escaped bool   `json:"escaped,omitempty"` // it had left the process group (setsid, a daemon)
}

// String describes p for humans: "pid 42 (sleep 300) [left the process group]".
func (p Process) String() string {
	s := fmt.Sprintf("pid %d", p.PID)
	if p.Cmdline != "" {
		s += " (" + p.Cmdline + ")"
	}
	if p.Escaped {
		s += " [left the process group]"
	}
	return s
}

// A Tree is the containment of one command's process tree. Its methods may
// be called concurrently.
type Tree struct {
	cmd    *exec.Cmd
	grace  time.Duration
	cookie string

	mu       sync.Mutex
	started  bool
	pid      int
	timer    *time.Timer // escalation from Stop to Kill
	stopping bool
	closed   bool
	sys      sysTree
}

// Prepare configures cmd, which must not have been started, so that its whole
// tree can be contained, and returns the Tree that will start it. It adds the
// cookie to cmd.Env (inheriting the runner's environment if cmd.Env is nil),
// sets cmd.SysProcAttr fields for a process group (Unix) or a suspended start
// (Windows), and, if cmd has a Cancel function (exec.CommandContext), replaces
// it with [Tree.Stop] and sets cmd.WaitDelay to the grace period plus two
// seconds if it is zero.
//
// The caller must start the command with [Tree.Start], not cmd.Start.
func Prepare(cmd *exec.Cmd, opts Options) (*Tree, error) {
	if cmd == nil || cmd.Process != nil {
		return nil, errors.New("proctree: Prepare needs a command that has not been started")
	}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("proctree: cookie: %w", err)
	}
	t := &Tree{cmd: cmd, grace: opts.Grace, cookie: CookiePrefix + hex.EncodeToString(b[:])}
	if t.grace == 0 {
		t.grace = DefaultGrace
	} else if t.grace < 0 {
		t.grace = 0
	}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env[:len(env):len(env)], t.cookie+"=1")
	if err := t.prepare(opts); err != nil {
		return nil, err
	}
	if cmd.Cancel != nil {
		cmd.Cancel = t.Stop
		if cmd.WaitDelay == 0 {
			cmd.WaitDelay = t.grace + 2*time.Second
		}
	}
	return t, nil
}

// Cookie returns the name of the environment variable that marks every
// process of this tree.
func (t *Tree) Cookie() string { return t.cookie }

// PID returns the command's process id, or 0 before a successful Start.
func (t *Tree) PID() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pid
}

// Start starts the command and completes its containment (on Windows, the
// job assignment). If containment fails, the command is killed and reaped
// and the error returned.
func (t *Tree) Start() error {
	t.mu.Lock()
	if t.started {
		t.mu.Unlock()
		return errors.New("proctree: Start called twice")
	}
	t.started = true
	t.mu.Unlock()
	if err := t.cmd.Start(); err != nil {
		t.Close()
		return err
	}
	if err := t.afterStart(); err != nil {
		t.cmd.Process.Kill()
		t.cmd.Wait()
		t.Close()
		return fmt.Errorf("proctree: contain %s: %w", t.cmd.Path, err)
	}
	t.mu.Lock()
	t.pid = t.cmd.Process.Pid
	if !t.closed {
		live.Store(t.cookie, struct{}{})
	}
	t.mu.Unlock()
	return nil
}

// live holds the cookies of the Trees started and not yet closed.
var live sync.Map

// claimed holds the pids that a Sweep or [EndStrays] in progress is ending
// (Linux): Contained reports them so that a concurrent search for leftovers
// leaves them to it.
var claimed sync.Map

// Contained reports whether process pid carries the cookie of a Tree of
// this process that has been started and not yet swept or closed, or is
// being ended by a Sweep in progress: it belongs to a command someone here
// is still running and waiting for, and whoever looks for leftovers of
// another, finished command must leave it alone. It is always false where
// environments cannot be read (everywhere but Linux).
func Contained(pid int) bool {
	if _, ok := claimed.Load(pid); ok {
		return true
	}
	for _, c := range cookies(pid) {
		if _, ok := live.Load(c); ok {
			return true
		}
	}
	return false
}

// Stop asks the whole tree to end (SIGTERM to the process group on Unix) and
// schedules [Tree.Kill] after the grace period. It returns at once; calling
// it again has no further effect. On Windows it kills the tree at once.
func (t *Tree) Stop() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pid == 0 || t.closed || t.stopping {
		return nil
	}
	t.stopping = true
	err := t.terminate()
	t.timer = time.AfterFunc(t.grace, func() { t.Kill() })
	return err
}

// Kill kills every process of the tree that is still in its process group
// (Unix) or job (Windows) at once.
func (t *Tree) Kill() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pid == 0 || t.closed {
		return nil
	}
	return t.kill()
}

// Sweep must be called once the command's Wait has returned. It kills
// everything the tree left behind: the rest of the process group or job and,
// where the platform allows (Linux), processes that left the group: those
// below the runner that carry the cookie and their descendants if the runner
// is a child subreaper, those anywhere on the host that carry the cookie
// otherwise (see the package documentation for the cost of each). It waits
// (a few seconds at most) until they are gone, reaps those re-parented to
// the runner, releases the Tree's resources and returns the processes it
// found alive, in order of discovery. A nil result means nothing was found (or, on macOS and the BSDs,
// that nothing could be enumerated).
func (t *Tree) Sweep() []Process {
	t.mu.Lock()
	if t.timer != nil {
		t.timer.Stop()
	}
	pid, closed := t.pid, t.closed
	t.mu.Unlock()
	if pid == 0 || closed {
		return nil
	}
	found := t.sweep()
	t.Close()
	return found
}

// Close releases the Tree's resources without sweeping (on Windows, closing
// the job handle kills whatever is still in the job). Sweep calls it; calling
// it again is harmless.
func (t *Tree) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		t.timer.Stop()
	}
	if t.closed {
		return nil
	}
	t.closed = true
	live.Delete(t.cookie)
	return t.close()
}
