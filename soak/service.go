package soak

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/soakkit/soakkit/internal/proctree"
	"github.com/soakkit/soakkit/soak/artifact"
)

// A ServiceError reports that the service could not start, did not become
// ready, or ended during the soak.
type ServiceError struct {
	Op   string                // "start", "ready" or "exit"
	Exit *artifact.ServiceExit // how it ended, if it did
	Err  error
}

// Error returns "soak: service: <op>: <err>" and, if the service ended, its
// pid and exit status or signal.
func (e *ServiceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "soak: service: %s", e.Op)
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if x := e.Exit; x != nil {
		if x.Signal != "" {
			fmt.Fprintf(&b, " (pid %d, signal: %s)", x.PID, x.Signal)
		} else {
			fmt.Fprintf(&b, " (pid %d, exit status %d)", x.PID, x.ExitCode)
		}
	}
	return b.String()
}

// Unwrap returns e.Err.
func (e *ServiceError) Unwrap() error { return e.Err }

// ErrServiceExited is wrapped by the [ServiceError] of a service that ended
// on its own.
var ErrServiceExited = errors.New("service exited")

// A service is the running software under test.
type service struct {
	cfg    Service
	grace  time.Duration
	tree   *proctree.Tree
	cmd    *exec.Cmd
	pid    int
	log    *serviceLog
	tail   *tailBuffer
	out    io.WriteCloser // the redactor (if any) in front of log and tail
	logger *slog.Logger

	pr        *os.File // read end of the output pipe
	lineRE    *regexp.Regexp
	lineSeen  chan struct{}
	lineOnce  sync.Once
	readDone  chan struct{}
	done      chan struct{} // closed once the process has been waited for
	exitState *os.ProcessState
	waitErr   error

	mu       sync.Mutex
	stopping bool
	exit     *artifact.ServiceExit
}

// startService starts the service and waits until it is ready, it exits, its
// start timeout passes or ctx is done. On error nothing is left running.
// started, if set, is called with the pid and cookie of its process tree
// right after the start; waiting, if set, every heartbeat of the readiness
// wait with the time waited so far and the last check's failure. Its output passes through redact (if not nil) before it reaches the log
// and the tail; the readiness line is matched against the raw output.
func startService(ctx context.Context, cfg Service, grace time.Duration, l artifact.Layout, st *store, redact func(io.Writer) io.WriteCloser, logger *slog.Logger, started func(pid int, cookie string), heartbeat time.Duration, waiting func(waited time.Duration, last error)) (*service, error) {
	sv := &service{
		cfg: cfg, grace: grace, logger: logger,
		tail: newTailBuffer(8 << 10), lineSeen: make(chan struct{}),
		readDone: make(chan struct{}), done: make(chan struct{}),
	}
	if cfg.Ready.LogLine != "" {
		sv.lineRE = regexp.MustCompile(cfg.Ready.LogLine) // validated by Config.Validate
	}
	var err error
	sv.log, err = openServiceLog(l.ServiceLogs(), st)
	if err != nil {
		return nil, &ServiceError{Op: "start", Err: st.fail(l.ServiceLogs(), err)}
	}
	dst := io.MultiWriter(sv.log, sv.tail)
	sv.out = nopCloser{dst}
	if redact != nil {
		sv.out = redact(dst)
	}
	cmd := exec.Command(cfg.Argv[0], cfg.Argv[1:]...)
	cmd.Dir = cfg.Dir
	cmd.Env = append(os.Environ(), cfg.Env...)
	pr, pw, err := os.Pipe()
	if err != nil {
		sv.out.Close()
		sv.log.Close()
		return nil, &ServiceError{Op: "start", Err: err}
	}
	// An *os.File as Stdout and Stderr: no copying goroutines inside os/exec,
	// so Wait never hangs on descendants holding the pipe.
	cmd.Stdout, cmd.Stderr = pw, pw
	sv.cmd = cmd
	sv.tree, err = proctree.Prepare(cmd, proctree.Options{Grace: grace})
	if err == nil {
		err = sv.tree.Start()
	}
	pw.Close()
	if err != nil {
		pr.Close()
		sv.out.Close()
		sv.log.Close()
		return nil, &ServiceError{Op: "start", Err: err}
	}
	sv.pid = sv.tree.PID()
	if started != nil {
		started(sv.pid, sv.tree.Cookie())
	}
	sv.pr = pr
	go sv.read(pr)
	go func() {
		sv.waitErr = cmd.Wait()
		sv.exitState = cmd.ProcessState
		close(sv.done)
	}()
	logger.Info("service started", "service", cfg.Name, "pid", sv.pid, "argv", cfg.Argv)

	rctx, cancel := context.WithTimeout(ctx, cfg.StartTimeout.Std())
	defer cancel()
	began := time.Now()
	if err := sv.awaitReady(rctx, heartbeat, waiting); err != nil {
		waited := time.Since(began).Round(time.Millisecond)
		select {
		case <-sv.done:
			x := sv.stop()
			return nil, &ServiceError{Op: "start", Exit: x, Err: fmt.Errorf("%w before it was ready (after %v, waiting for %s)", ErrServiceExited, waited, cfg.Ready)}
		default:
		}
		x := sv.stop()
		if ctx.Err() != nil {
			return nil, &ServiceError{Op: "ready", Exit: x, Err: fmt.Errorf("%s: not ready after %v: %w", cfg.Ready, waited, context.Cause(ctx))}
		}
		return nil, &ServiceError{Op: "ready", Exit: x, Err: fmt.Errorf("%s: not ready after %v (start_timeout %v): %w", cfg.Ready, waited, cfg.StartTimeout, err)}
	}
	logger.Info("service ready", "service", cfg.Name, "pid", sv.pid)
	return sv, nil
}

// read copies the service's output to its log, keeps a tail and watches for
// the readiness line.
func (sv *service) read(r *os.File) {
	defer close(sv.readDone)
	defer sv.out.Close() // flushes the redactor
	defer r.Close()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			sv.out.Write(line)
			if sv.lineRE != nil && sv.lineRE.Match(line) {
				sv.lineOnce.Do(func() { close(sv.lineSeen) })
			}
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
}

// awaitReady polls the readiness checks until all pass. Every heartbeat
// (if positive) it calls waiting, if set, or else logs the wait. Its error is
// the last check's failure.
func (sv *service) awaitReady(ctx context.Context, heartbeat time.Duration, waiting func(time.Duration, error)) error {
	r := sv.cfg.Ready
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	began := time.Now()
	var beat <-chan time.Time
	if heartbeat > 0 {
		t := time.NewTicker(heartbeat)
		defer t.Stop()
		beat = t.C
	}
	tcpOK, httpOK, lineOK := r.TCP == "", r.HTTP == "", r.LogLine == ""
	client := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		if !lineOK {
			select {
			case <-sv.lineSeen:
				lineOK = true
			default:
				last = fmt.Errorf("no output line matched %q yet", r.LogLine)
			}
		}
		if !tcpOK {
			d := net.Dialer{Timeout: time.Second}
			c, err := d.DialContext(ctx, "tcp", r.TCP)
			if err == nil {
				c.Close()
				tcpOK = true
			} else {
				last = fmt.Errorf("tcp %s: %w", r.TCP, err)
			}
		}
		if !httpOK {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.HTTP, nil)
			if err == nil {
				var resp *http.Response
				resp, err = client.Do(req)
				if err == nil {
					io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
					resp.Body.Close()
					if resp.StatusCode/100 == 2 {
						httpOK = true
					} else {
						err = fmt.Errorf("status %s", resp.Status)
					}
				}
			}
			if err != nil {
				last = fmt.Errorf("http %s: %w", r.HTTP, err)
			}
		}
		if tcpOK && httpOK && lineOK {
			return nil
		}
		select {
		case <-sv.done:
			return ErrServiceExited
		case <-ctx.Done():
			return last
		case <-beat:
			waited := time.Since(began).Round(time.Second)
			if waiting != nil {
				waiting(waited, last)
			} else {
				sv.logger.Info("service not ready yet", "service", sv.cfg.Name, "waiting_for", r.String(), "waited", waited, "last", last)
			}
		case <-tick.C:
		}
	}
}

// exited is closed when the service process has ended.
func (sv *service) exited() <-chan struct{} { return sv.done }

// stop ends the service's whole tree (graceful signal, then a kill after the
// grace period), reaps it and returns how it ended. Calling it again returns
// the same result.
func (sv *service) stop() *artifact.ServiceExit {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.exit != nil {
		return sv.exit
	}
	expected := false
	select {
	case <-sv.done:
	default:
		expected = true
		sv.stopping = true
		sv.tree.Stop()
		select {
		case <-sv.done:
		case <-time.After(sv.grace + 2*time.Second):
			sv.tree.Kill()
			<-sv.done
		}
	}
	survivors := sv.tree.Sweep()
	select { // the pipe closes once the last holder is gone
	case <-sv.readDone:
	case <-time.After(2 * time.Second):
		sv.pr.Close() // an unfound escapee holds the pipe: stop reading
		<-sv.readDone
	}
	sv.log.Close()
	x := &artifact.ServiceExit{Name: sv.cfg.Name, PID: sv.pid, Time: time.Now(), Expected: expected, Survivors: processes(survivors), ExitCode: -1}
	if ps := sv.exitState; ps != nil {
		x.ExitCode = ps.ExitCode()
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			x.Signal = ws.Signal().String()
		}
	}
	x.Tail = lastLines(sv.tail.String(), 20)
	sv.exit = x
	sv.logger.Info("service stopped", "service", sv.cfg.Name, "pid", sv.pid, "exit_code", x.ExitCode, "signal", x.Signal, "expected", expected, "survivors", len(survivors))
	return x
}

// A serviceLog is the service's output under logs/service, rotated between
// two files so that it never holds more than two segments, and counted
// against the byte cap.
type serviceLog struct {
	dir    string
	st     *store
	segMax int64

	mu   sync.Mutex
	f    *os.File
	w    io.WriteCloser
	size int64
}

func openServiceLog(dir string, st *store) (*serviceLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	l := &serviceLog{dir: dir, st: st, segMax: max(64<<10, min(st.cap/16, 64<<20))}
	if err := l.openLocked(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *serviceLog) path(i int) string {
	if i == 0 {
		return filepath.Join(l.dir, "service.log")
	}
	return filepath.Join(l.dir, fmt.Sprintf("service.%d.log", i))
}

func (l *serviceLog) openLocked() error {
	f, err := os.OpenFile(l.path(0), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	st, _ := f.Stat()
	l.f, l.size = f, st.Size()
	l.w = l.st.logWriter(f, l.path(0), useService)
	return nil
}

// Write appends p to the log. It never returns an error: output that
// cannot be written is lost, never a reason to block the service; the store
// accounts for it (under the cap) or records the write failure, which stops
// the soak.
func (l *serviceLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return len(p), nil
	}
	if l.size+int64(len(p)) > l.segMax && l.size > 0 {
		l.w.Close()
		l.f.Close()
		if st, err := os.Stat(l.path(1)); err == nil {
			if os.Remove(l.path(1)) == nil {
				l.st.release(st.Size(), useService)
			}
		}
		if err := os.Rename(l.path(0), l.path(1)); err != nil {
			l.st.fail(l.path(1), err)
		}
		if err := l.openLocked(); err != nil {
			l.st.fail(l.path(0), err)
			l.f = nil
			return len(p), nil
		}
	}
	l.w.Write(p)
	if st, err := l.f.Stat(); err == nil {
		l.size = st.Size()
	}
	return len(p), nil
}

func (l *serviceLog) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.w.Close()
		l.f.Close()
		l.f = nil
	}
}

// A tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// lastLines returns the last n lines of s, without a trailing newline.
func lastLines(s string, n int) string {
	s = strings.TrimRight(s, "\r\n")
	for i, cut := len(s)-1, 0; i >= 0; i-- {
		if s[i] == '\n' {
			cut++
			if cut == n {
				return s[i+1:]
			}
		}
	}
	return s
}
