package probe

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// The test binary doubles as the helper programs: with PROBE_TEST_HELPER
// set, TestMain runs the named behaviour instead of the tests (the os/exec
// helper-process pattern). A helper prints "ready" once set up and exits
// when its stdin reaches EOF, so it never outlives the test (or its parent).
const helperEnv = "PROBE_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode, os.Args[len(os.Args)-1]))
	}
	goleak.VerifyTestMain(m)
}

// helper starts the test binary as helper mode with one argument and waits
// for it to be ready. The process is killed and reaped at cleanup.
func helper(t testing.TB, mode, arg string) *exec.Cmd {
	t.Helper()
	cmd := helperCmd(mode, arg)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(out).ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "ready" {
			err = fmt.Errorf("helper said %q", line)
		}
		ready <- err
		io.Copy(io.Discard, out)
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("helper %s %s: %v", mode, arg, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("helper %s %s: not ready after 30s", mode, arg)
	}
	return cmd
}

func helperCmd(mode, arg string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$", arg)
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "GOMAXPROCS=1", "GOGC=100")
	return cmd
}

// helperModes holds OS-specific helper behaviours, registered by init in
// per-OS test files. Each returns when stop is closed.
var helperModes = map[string]func(stop <-chan struct{}){}

// runHelper runs one helper behaviour and returns the exit code.
func runHelper(mode, arg string) int {
	stop := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stop) }()
	ready := func() { fmt.Println("ready") }
	n, _ := strconv.Atoi(arg)
	if fn, ok := helperModes[mode]; ok {
		fn(stop)
		return 0
	}
	switch mode {
	case "sleep":
		ready()
		<-stop
	case "exit":
		return 0
	case "zombie":
		// Start a child that exits at once and never reap it.
		cmd := helperCmd("exit", "0")
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		ready()
		<-stop
	case "churn":
		// Children that exit at once, one after the other, until stopped.
		ready()
		for {
			select {
			case <-stop:
				return 0
			default:
			}
			helperCmd("exit", "0").Run()
		}
	case "tree":
		// arg "3,2": 3 children, each with 2 children of their own.
		widths := strings.Split(arg, ",")
		w, _ := strconv.Atoi(widths[0])
		rest := strings.Join(widths[1:], ",")
		var pipes []io.Closer
		for range w {
			var cmd *exec.Cmd
			if rest == "" {
				cmd = helperCmd("sleep", "0")
			} else {
				cmd = helperCmd("tree", rest)
			}
			in, _ := cmd.StdinPipe()
			out, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			bufio.NewReader(out).ReadString('\n')
			pipes = append(pipes, in)
			defer cmd.Wait()
		}
		ready()
		<-stop
		for _, p := range pipes {
			p.Close()
		}
	case "leakmem":
		// Retain n MiB per second, touching every page.
		var keep [][]byte
		ready()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				runtime.KeepAlive(keep)
				return 0
			case <-tick.C:
				b := make([]byte, n<<20/20)
				for i := range b {
					b[i] = byte(i)
				}
				keep = append(keep, b)
			}
		}
	case "leakfd":
		// Leak n descriptors per second.
		var files []*os.File
		ready()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				for _, f := range files {
					f.Close()
				}
				return 0
			case <-tick.C:
				for range max(n/10, 1) {
					if f, err := os.Open(os.DevNull); err == nil {
						files = append(files, f)
					}
				}
			}
		}
	case "noisy", "cache":
		// noisy: churn up to n MiB of short-lived garbage, retain nothing.
		// cache: fill an n MiB cache within 1 s, then churn like noisy.
		var cache [][]byte
		ready()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		start := time.Now()
		var sink []byte
		for i := 0; ; i++ {
			select {
			case <-stop:
				runtime.KeepAlive(cache)
				runtime.KeepAlive(sink)
				return 0
			case <-tick.C:
				// Four blocks a tick fill n MiB in about 0.6 s; a loaded
				// machine drops ticks, but the fill still ends within 1 s.
				for k := 0; k < 4 && mode == "cache" && time.Since(start) < time.Second && len(cache) < n*8; k++ {
					b := make([]byte, 128<<10)
					for j := range b {
						b[j] = byte(j)
					}
					cache = append(cache, b)
				}
				sink = make([]byte, (i%17+1)*(n<<20)/17)
				for j := 0; j < len(sink); j += 4096 {
					sink[j] = 1
				}
			}
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown helper", mode)
		return 2
	}
	return 0
}
