package soak

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/proctree"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// soakDriver is the helper program of the signal and crash tests: a soak
// run the way cmd/soakkit runs one. args: mode, artifacts dir, pid file.
func soakDriver(args []string) int {
	mode, root, pidfile := args[0], args[1], args[2]
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	exe, _ := os.Executable()
	var cfg Config
	var it *Iteration
	switch mode {
	case "signal": // a service, and one long iteration whose step leaves a grandchild
		addr := args[3]
		cfg = Config{Duration: artifact.Duration(time.Hour), StopGrace: artifact.Duration(2 * time.Second), ArtifactsDir: root,
			Service: &Service{Argv: []string{exe, "-test.run=^$", addr, "1h", "0"},
				Env:   append(helperEnv("serve"), "SOAK_TEST_PIDFILE="+pidfile+".svc"),
				Ready: Ready{TCP: addr}, StartTimeout: artifact.Duration(20 * time.Second)}}
		spawn := step.Command{Name: "spawn", Argv: []string{exe, "-test.run=^$", pidfile},
			Env: helperEnv("spawn"), Grace: time.Second}
		it = &Iteration{Sections: Sections(spawn.Step())}
	case "crash", "resume": // many fast noisy iterations, killed at a random moment
		n, _ := strconv.Atoi(args[3])
		cfg = Config{Count: n, KeepGoing: true, KeepLogs: 2, ArtifactsDir: root}
		var k int
		it = &Iteration{Sections: []Section{
			{Step: noisyStep{name: "noise", bytes: 20 << 10, fail: func() bool { k++; return k%5 == 0 }}},
			{Step: step.Func("quick", func(context.Context) error { return nil })},
		}}
		os.WriteFile(pidfile, []byte(strconv.Itoa(os.Getpid())), 0o644)
	case "orphan", "orphan-resume": // a step that leaves a grandchild, killed mid-step; resumed with a quick step of the same name
		cfg = Config{Count: 2, KeepGoing: true, ArtifactsDir: root}
		spawn := step.Command{Name: "spawn", Argv: []string{exe, "-test.run=^$", pidfile}, Env: helperEnv("spawn")}.Step()
		if mode == "orphan-resume" {
			spawn = step.Func("spawn", func(context.Context) error { return nil })
		}
		it = &Iteration{Sections: Sections(spawn)}
	default:
		return 2
	}
	s, err := New(cfg, it, WithHeartbeat(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	run := s.Run
	if mode == "resume" || mode == "orphan-resume" {
		run = s.Resume
	}
	out, err := run(ctx)
	switch {
	case out != nil && out.Stop == artifact.StopSignal:
		return 130
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 2
	case !out.OK():
		return 1
	}
	return 0
}

func driverCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^$"}, args...)...)
	cmd.Env = append(os.Environ(), helperEnv("soakdriver")...)
	return cmd
}

// waitFor polls cond every 10ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	if err := p.Signal(syscall.Signal(0)); err != nil {
		return false
	}
	// A zombie still answers signal 0; it is dead for our purpose.
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err == nil {
		s := string(b)
		if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) && (s[i+2] == 'Z' || s[i+2] == 'X') {
			return false
		}
	}
	return true
}

// TestSignalNoSurvivor drives a real soak in a child process, interrupts
// it while an iteration's step and its grandchild run, and checks that the
// soak exits with the interrupt status, every process it started is gone,
// and its artifacts record the cancelled iteration.
func TestSignalNoSurvivor(t *testing.T) {
	if os.Getenv("GOOS") == "windows" || !unixLike() {
		t.Skip("os.Interrupt cannot be sent to a process on Windows")
	}
	root := t.TempDir()
	pidfile := root + "/pids"
	cmd := driverCmd(t, "signal", root+"/artifacts", pidfile, freeAddr(t))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pids []int
	waitFor(t, 20*time.Second, "the step and its grandchild to start", func() bool {
		b, _ := os.ReadFile(pidfile)
		pids = nil
		for _, f := range strings.Fields(string(b)) {
			p, _ := strconv.Atoi(f)
			pids = append(pids, p)
		}
		return len(pids) == 2
	})
	b, err := os.ReadFile(pidfile + ".svc")
	svcPID, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || svcPID == 0 {
		t.Fatalf("service pid file: %v", err)
	}
	pids = append(pids, svcPID)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 130 {
			t.Errorf("driver exit = %v, want status 130; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("driver did not exit within 30s of SIGINT")
	}
	for _, p := range pids {
		if alive(p) {
			t.Errorf("process %d survived the interrupted soak", p)
			if pr, err := os.FindProcess(p); err == nil {
				pr.Kill()
			}
		}
	}
	l := artifact.Layout{Root: root + "/artifacts"}
	t.Logf("step pid %d, its grandchild %d and service pid %d gone after SIGINT", pids[0], pids[1], pids[2])
	checkParseable(t, l.Root)
	recs := readRecords(t, l)
	if len(recs) != 1 || recs[0].Status != artifact.IterCancelled {
		t.Fatalf("records %+v, want one cancelled iteration", recs)
	}
	var st artifact.State
	if err := readJSON(l.State(), &st); err != nil || st.Stop != artifact.StopSignal {
		t.Errorf("state stop %q (%v), want %q", st.Stop, err, artifact.StopSignal)
	}
	if got := serviceSamples(t, l, "service"); len(got) == 0 {
		t.Error("the service was not sampled")
	}
}

// TestResumeAfterCrash kills a soak with SIGKILL at a random moment in the
// middle of its writes, checks that every artifact still parses, resumes it
// with the same settings and checks that the iteration numbers and counters
// continue up to the planned count, the interrupted iteration included.
func TestResumeAfterCrash(t *testing.T) {
	if !unixLike() {
		t.Skip("needs SIGKILL")
	}
	for round := range 3 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			root := fastDir(t)
			art, pidfile := root+"/artifacts", root+"/pid"
			const total = 400 // far more than are recorded before the kill
			cmd := driverCmd(t, "crash", art, pidfile, strconv.Itoa(total))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			l := artifact.Layout{Root: art}
			minRecs := 20 + 37*round
			waitFor(t, 30*time.Second, "iterations to be recorded", func() bool {
				st, err := os.Stat(l.Iterations())
				return err == nil && st.Size() > int64(minRecs*300)
			})
			time.Sleep(time.Duration(round*3) * time.Millisecond)
			cmd.Process.Kill()
			cmd.Wait()

			checkParseable(t, art)
			before := readRecords(t, l)
			var st artifact.State
			if err := readJSON(l.State(), &st); err != nil {
				t.Fatalf("state after crash: %v", err)
			}
			if st.Stop != "" {
				t.Fatalf("crashed soak has stop reason %q", st.Stop)
			}
			last := before[len(before)-1].Iteration
			t.Logf("killed after %d records; running at the crash: %+v", len(before), st.Running)
			for i, r := range before {
				if r.Iteration != i+1 {
					t.Fatalf("record %d has iteration %d", i, r.Iteration)
				}
			}

			if last >= total {
				t.Fatalf("the soak ended (%d records) before it was killed", last)
			}
			// Resume to the planned count; a different count is refused.
			if out, err := driverCmd(t, "resume", art, pidfile, strconv.Itoa(total+1)).CombinedOutput(); err == nil ||
				!strings.Contains(string(out), "count: 400 in the checkpoint, 401 given") {
				t.Errorf("resume with another count: %v\n%s; want it refused, naming the count", err, out)
			}
			want := total
			cmd = driverCmd(t, "resume", art, pidfile, strconv.Itoa(total))
			if out, err := cmd.CombinedOutput(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 1 { // 1: some iterations failed, as planned
					t.Fatalf("resume: %v\n%s", err, out)
				}
			}
			after := readRecords(t, l)
			if len(after) != want {
				t.Fatalf("%d records after resume, want %d", len(after), want)
			}
			for i, r := range after {
				if r.Iteration != i+1 {
					t.Fatalf("after resume, record %d has iteration %d", i, r.Iteration)
				}
			}
			if st.Running != nil && st.Running.Iteration > last {
				if r := after[last]; r.Status != artifact.IterInterrupted {
					t.Errorf("iteration %d in progress at the crash recorded as %q, want %q", r.Iteration, r.Status, artifact.IterInterrupted)
				}
			}
			var end artifact.State
			if err := readJSON(l.State(), &end); err != nil {
				t.Fatal(err)
			}
			var c artifact.Counts
			for i := range after {
				c.Add(&after[i])
			}
			if end.Counts != c || end.Resumes != 1 || end.Stop != artifact.StopCount || end.RunID != st.RunID {
				t.Errorf("final state %+v; recount %+v", end, c)
			}
			if end.ElapsedMS < st.ElapsedMS {
				t.Errorf("elapsed went back from %d to %d ms", st.ElapsedMS, end.ElapsedMS)
			}
			checkParseable(t, art)
		})
	}
}

// TestResumeEndsOrphans kills a soak (SIGKILL) while its step runs a
// grandchild: the grandchild outlives it, an orphan. A resume on the same
// artifacts finds it by the cookie state.json recorded for the step, ends
// it before it starts, and records it in state.json.
func TestResumeEndsOrphans(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("orphans are found through /proc on Linux only")
	}
	root := t.TempDir()
	art, pidfile := root+"/artifacts", root+"/pids"
	cmd := driverCmd(t, "orphan", art, pidfile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pids []int
	waitFor(t, 30*time.Second, "the step and its grandchild", func() bool {
		b, _ := os.ReadFile(pidfile)
		pids = pids[:0]
		for _, f := range strings.Fields(string(b)) {
			p, _ := strconv.Atoi(f)
			pids = append(pids, p)
		}
		return len(pids) == 2
	})
	grandchild := pids[1]
	cmd.Process.Kill()
	cmd.Wait()
	t.Cleanup(func() {
		if p, err := os.FindProcess(grandchild); err == nil {
			p.Kill()
		}
	})
	var st artifact.State
	if err := readJSON(artifact.Layout{Root: art}.State(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Running == nil || len(st.Running.Steps) != 1 || st.Running.Steps[0].Name != "spawn" ||
		!strings.HasPrefix(st.Running.Steps[0].Cookie, proctree.CookiePrefix) {
		t.Fatalf("state.json of the killed soak: running %+v, want the spawn step and its cookie", st.Running)
	}
	if !alive(grandchild) {
		t.Fatalf("grandchild %d died with the soak; nothing to test", grandchild)
	}

	out, err := driverCmd(t, "orphan-resume", art, pidfile).CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	waitFor(t, 10*time.Second, "the orphan to be gone", func() bool { return !alive(grandchild) })
	if err := readJSON(artifact.Layout{Root: art}.State(), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Orphans) != 1 || st.Orphans[0].PID != grandchild {
		t.Errorf("state.json orphans %+v, want the grandchild %d", st.Orphans, grandchild)
	}
	if st.Stop != artifact.StopCount || st.Counts.Interrupted != 1 || st.Counts.Iterations != 2 {
		t.Errorf("resumed soak: stop %q counts %+v; want count, 2 iterations, 1 interrupted", st.Stop, st.Counts)
	}
}
