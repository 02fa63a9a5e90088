package soak

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain doubles as a helper program: when SOAK_TEST_HELPER is set, the
// test binary acts out one of the helpers below instead of running tests
// (the os/exec test pattern: no shell scripts, works on every OS).
func TestMain(m *testing.M) {
	if h := os.Getenv("SOAK_TEST_HELPER"); h != "" {
		os.Exit(helper(h, os.Args[1:]))
	}
	if err := maybeSubreaper(); err != nil {
		fmt.Fprintln(os.Stderr, "subreaper mode:", err)
		os.Exit(1)
	}
	goleak.VerifyTestMain(m)
}

// helperCmd returns the argv that runs the test binary as helper name.
func helperArgv(t testing.TB, name string, args ...string) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{exe, "-test.run=^$"}, args...)
}

// helperEnv selects a helper; GORACE keeps a -race helper from sleeping 1s
// at exit (the race runtime's atexit_sleep_ms default).
func helperEnv(name string) []string {
	return []string{"SOAK_TEST_HELPER=" + name, "GORACE=atexit_sleep_ms=0"}
}

func helper(name string, args []string) int {
	// Skip the -test.run flag.
	if len(args) > 0 && args[0] == "-test.run=^$" {
		args = args[1:]
	}
	switch name {
	case "sleep": // sleep forever
		time.Sleep(time.Hour)
		return 0
	case "spawn": // start a grandchild that sleeps, record both pids in args[0], then sleep
		exe, _ := os.Executable()
		c := exec.Command(exe, "-test.run=^$")
		c.Env = append(os.Environ(), "SOAK_TEST_HELPER=sleep")
		if err := c.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		f, err := os.OpenFile(args[0], os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return 2
		}
		fmt.Fprintf(f, "%d\n%d\n", os.Getpid(), c.Process.Pid)
		f.Close()
		fmt.Println("spawned", c.Process.Pid)
		time.Sleep(time.Hour)
		return 0
	case "serve": // listen on args[0], print "ready", print a line every 20ms, exit with args[2] after args[1]
		ln, err := net.Listen("tcp", args[0])
		if err != nil {
			fmt.Println("listen:", err)
			return 2
		}
		defer ln.Close()
		if len(args) > 3 && args[3] == "http" {
			go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintln(w, "ok")
			}))
		} else {
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					c.Close()
				}
			}()
		}
		if pf := os.Getenv("SOAK_TEST_PIDFILE"); pf != "" {
			f, err := os.OpenFile(pf, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err == nil {
				fmt.Fprintf(f, "%d\n", os.Getpid())
				f.Close()
			}
		}
		fmt.Println("service ready")
		life, _ := time.ParseDuration(args[1])
		code, _ := strconv.Atoi(args[2])
		stop := time.After(life)
		tick := time.NewTicker(20 * time.Millisecond)
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		for i := 0; ; i++ {
			select {
			case <-stop:
				fmt.Println("service giving up: last words")
				return code
			case <-sig:
				fmt.Println("service stopping on signal")
				return 0
			case <-tick.C:
				fmt.Println("tick", i)
			}
		}
	case "hold": // hold about 32 MiB resident for args[0]
		b := make([]byte, 32<<20)
		for i := range b {
			b[i] = byte(i)
		}
		d, _ := time.ParseDuration(args[0])
		time.Sleep(d)
		fmt.Println("held", len(b))
		return 0
	case "spew": // print args[0] bytes in 100-byte lines, then "final words", and exit 1
		n, _ := strconv.Atoi(args[0])
		line := strings.Repeat("x", 99) + "\n"
		w := bufio.NewWriter(os.Stdout)
		for i := 0; i < n; i += len(line) {
			w.WriteString(line)
		}
		w.WriteString("final words\n")
		w.Flush()
		return 1
	case "nap": // sleep args[0], print a line and exit 0: a fast step
		d, _ := time.ParseDuration(args[0])
		time.Sleep(d)
		fmt.Println("napped", d)
		return 0
	case "talk": // print a few lines to stdout and stderr
		for i := range 3 {
			fmt.Printf("line %d of output\n", i)
		}
		fmt.Fprintln(os.Stderr, "a line on stderr")
		return 0
	case "soakdriver": // run a soak, see driver_test.go
		return soakDriver(args)
	}
	fmt.Fprintln(os.Stderr, "unknown helper", name)
	return 2
}
