package step_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/soakkit/soakkit/step"
)

// helperEnv makes the test binary act as a helper process (the pattern of
// os/exec's exec_test.go).
const helperEnv = "STEP_TEST_HELPER"

// subreaperEnv, set to 1, makes the test binary (and its driver and orphan
// helpers) a child subreaper before anything runs, so the containment tests
// exercise that mode (see TestSubreaperMode).
const subreaperEnv = "STEP_TEST_SUBREAPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(runHelper(os.Args[1:]))
	}
	if err := maybeSubreaper(); err != nil {
		fmt.Fprintln(os.Stderr, "subreaper mode:", err)
		os.Exit(1)
	}
	goleak.VerifyTestMain(m)
}

// maybeSubreaper enables subreaper mode if subreaperEnv asks for it.
func maybeSubreaper() error {
	if os.Getenv(subreaperEnv) != "1" {
		return nil
	}
	return step.EnableSubreaper()
}

// runHelper interprets ops, in order:
//
//	o=text      print text on stdout
//	e=text      print text on stderr
//	x=N         exit with code N
//	hang        sleep forever
//	noterm      ignore SIGTERM, and so do the helpers spawn starts afterwards
//	spawn=N     start N copies of this helper that hang, print their pids
//	flaky=F,N   exit 1 unless file F counts N earlier runs (counting this one)
//	spew=B,L    write B bytes to stdout in lines of L bytes
//	driver=DIR  run a containment step with logs in DIR until SIGINT, print its Result
//	orphan=DIR  run a hanging helper as a step with logs in DIR, print its pid, never return
func runHelper(ops []string) int {
	childOps := []string{"hang"}
	for _, op := range ops {
		k, v, _ := strings.Cut(op, "=")
		switch k {
		case "o":
			fmt.Println(v)
		case "e":
			fmt.Fprintln(os.Stderr, v)
		case "x":
			n, _ := strconv.Atoi(v)
			return n
		case "hang":
			// Sleep rather than select{}: without -race, a process whose only
			// goroutine blocks forever is killed by the deadlock detector.
			for {
				time.Sleep(time.Hour)
			}
		case "noterm":
			signal.Ignore(syscall.SIGTERM)
			childOps = []string{"noterm", "hang"}
		case "spawn":
			n, _ := strconv.Atoi(v)
			for range n {
				cmd := helperProcess(childOps...)
				if err := cmd.Start(); err != nil {
					fmt.Fprintln(os.Stderr, err)
					return 3
				}
				fmt.Println(cmd.Process.Pid)
			}
		case "flaky":
			f, ns, _ := strings.Cut(v, ",")
			n, _ := strconv.Atoi(ns)
			b, _ := os.ReadFile(f)
			runs := len(b) + 1
			os.WriteFile(f, append(b, 'x'), 0o644)
			if runs < n {
				fmt.Printf("run %d: failing\n", runs)
				return 1
			}
			fmt.Printf("run %d: passing\n", runs)
		case "spew":
			bs, ls, _ := strings.Cut(v, ",")
			total, _ := strconv.ParseInt(bs, 10, 64)
			ll, _ := strconv.Atoi(ls)
			line := []byte(strings.Repeat("x", ll-1) + "\n")
			w := bufio.NewWriterSize(os.Stdout, 1<<20)
			for written := int64(0); written < total; written += int64(len(line)) {
				w.Write(line)
			}
			w.Flush()
		case "driver":
			if err := maybeSubreaper(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 3
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			fmt.Println("ready")
			r := step.Command{Name: "tree", Argv: []string{"sh", "-c", "sleep 300 & echo $!; sleep 300 & echo $!; wait"}}.Run(ctx, step.Runtime{LogDir: v})
			json.NewEncoder(os.Stdout).Encode(r)
		case "orphan":
			if err := maybeSubreaper(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 3
			}
			h := helperProcess("hang")
			step.Command{Name: "hang", Argv: h.argv, Env: h.env}.Run(context.Background(), step.Runtime{
				LogDir: v,
				Watch: func(_ string, pid int) func() {
					fmt.Println(pid)
					return func() {}
				},
			})
		default:
			fmt.Fprintf(os.Stderr, "unknown op %q\n", op)
			return 2
		}
	}
	return 0
}

// helperProcess returns argv and env for a helper running ops.
func helperProcess(ops ...string) *execCmd {
	return &execCmd{argv: append([]string{os.Args[0]}, ops...), env: []string{helperEnv + "=1"}}
}

// helper returns a Command that runs the test binary as a helper.
func helper(name string, ops ...string) step.Command {
	h := helperProcess(ops...)
	return step.Command{Name: name, Argv: h.argv, Env: h.env}
}

// waitFor polls cond until it is true or d has passed.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for delay := time.Millisecond; !cond(); delay = min(2*delay, 100*time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(delay)
	}
}

// readPids returns the integers in the file at path, one per line.
func readPids(t testing.TB, path string) []int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, s := range strings.Fields(string(b)) {
		p, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s: %q is not a pid", path, s)
		}
		pids = append(pids, p)
	}
	return pids
}

// runToDeadline runs c with its logs in dir until ready holds (polled for
// up to 60 s; what says what it waits for), then makes the run's deadline
// pass and returns c's result. It fails t unless Run returns within 30 s of
// the deadline.
func runToDeadline(t testing.TB, c step.Command, dir, what string, ready func() bool) step.Result {
	t.Helper()
	ctx := newDeadlineCtx(t.Context())
	done := make(chan step.Result, 1)
	go func() { done <- c.Run(ctx, step.Runtime{LogDir: dir}) }()
	waitFor(t, 60*time.Second, what, ready)
	ctx.expire()
	select {
	case r := <-done:
		return r
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return 30s after the deadline")
		return step.Result{}
	}
}

// deadlineCtx is a context whose deadline the test triggers by calling
// expire, so that timeout paths can be tested without racing a clock on a
// loaded machine.
type deadlineCtx struct {
	context.Context
	done chan struct{}
}

func newDeadlineCtx(parent context.Context) *deadlineCtx {
	return &deadlineCtx{Context: parent, done: make(chan struct{})}
}

func (c *deadlineCtx) expire()               { close(c.done) }
func (c *deadlineCtx) Done() <-chan struct{} { return c.done }

func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
