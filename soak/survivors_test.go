package soak

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakkit/soakkit/internal/proctree"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// TestSurvivorFailsIteration: a step that leaves a process running fails
// its iteration, which names the process, and the process is ended.
func TestSurvivorFailsIteration(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("child enumeration is Linux-only; elsewhere step.Result.Leftovers covers commands")
	}
	var pid int
	leak := step.Func("leak", func(ctx context.Context) error {
		c := exec.Command(helperArgv(t, "sleep")[0], "-test.run=^$")
		c.Env = append(os.Environ(), helperEnv("sleep")...)
		if err := c.Start(); err != nil {
			return err
		}
		pid = c.Process.Pid
		return nil // and never waits for it
	})
	cfg := Config{Count: 1, ArtifactsDir: t.TempDir()}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(leak)})
	out, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, s.Layout())
	r := recs[0]
	if r.Status != artifact.IterFailed || len(r.Survivors) != 1 || r.Survivors[0].PID != pid || !strings.Contains(r.Survivors[0].Cmdline, "-test.run") {
		t.Fatalf("record %+v, want a failure naming survivor pid %d with its command line", r, pid)
	}
	if !strings.Contains(r.Reason, "survived") {
		t.Errorf("reason %q", r.Reason)
	}
	if alive(pid) {
		t.Errorf("survivor %d still alive", pid)
	}
	if out.OK() || out.Stop != artifact.StopFailFast {
		t.Errorf("outcome %+v", out)
	}
}

// TestStepPeakRSS: each step's process tree is sampled while it runs and
// its peak RSS lands in the step's record; one progress line is logged per
// iteration.
func TestStepPeakRSS(t *testing.T) {
	hold := step.Command{Name: "hold", Argv: helperArgv(t, "hold", "600ms"), Env: helperEnv("hold")}
	var logs bytes.Buffer
	cfg := Config{Count: 2, SampleInterval: artifact.Duration(20 * time.Millisecond), ArtifactsDir: t.TempDir()}
	s := newSoak(t, cfg, &Iteration{Sections: Sections(hold.Step())}, WithHeartbeat(0),
		WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if _, err := s.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, r := range readRecords(t, s.Layout()) {
		if r.Status != artifact.IterPassed {
			t.Fatalf("iteration %d %s: %+v", r.Iteration, r.Status, r.Steps)
		}
		if got := r.Steps[0].PeakRSS; got < 16<<20 {
			t.Errorf("iteration %d: step peak RSS %d, want at least 16 MiB (it holds 32)", r.Iteration, got)
		}
		if _, ok := r.Resources["step:hold"]; !ok {
			t.Errorf("iteration %d: no step figures in %v", r.Iteration, r.Resources)
		}
		if len(r.Steps[0].Logs) != 2 || !strings.HasPrefix(r.Steps[0].Logs[0], "soak/logs/") {
			t.Errorf("step logs %v, want two paths relative to the artifacts root", r.Steps[0].Logs)
		}
		var rep Report
		if err := readJSON(filepath.Join(s.Layout().Root, r.LogDir, "report.json"), &rep); err != nil {
			t.Fatalf("iteration report: %v", err)
		}
		if rep.Result != "OK" || rep.Runtime.Iteration != r.Iteration || len(rep.Sections) != 1 || rep.Sections[0].Name != "hold" {
			t.Errorf("iteration %d report %+v", r.Iteration, rep)
		}
	}
	if n := strings.Count(logs.String(), `"msg":"soak iteration"`); n != 2 {
		t.Errorf("%d progress lines for 2 iterations:\n%s", n, logs.String())
	}
	for _, want := range []string{`"n":2`, `"eta":`, `"passed":2`, `"self_rss":`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("progress lines lack %s:\n%s", want, logs.String())
		}
	}
}

// TestEndSurvivorsSparesRunningTrees: the survivor check takes a child that
// belongs to a process tree still running (the service's, or a step of
// another soak in this process) for what it is, and leaves it alone; once
// that tree is closed, a child still alive is a survivor.
func TestEndSurvivorsSparesRunningTrees(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("child enumeration is Linux-only")
	}
	start := func(contained bool) (*exec.Cmd, *proctree.Tree) {
		t.Helper()
		c := exec.Command(helperArgv(t, "sleep")[0], "-test.run=^$")
		c.Env = append(os.Environ(), helperEnv("sleep")...)
		var tree *proctree.Tree
		var err error
		if contained {
			if tree, err = proctree.Prepare(c, proctree.Options{}); err == nil {
				err = tree.Start()
			}
		} else {
			err = c.Start()
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			c.Process.Kill()
			c.Wait()
			if tree != nil {
				tree.Sweep()
			}
		})
		return c, tree
	}
	running, tree := start(true)
	stray, _ := start(false)
	pids := func(ps []proctree.Process) []int {
		var out []int
		for _, p := range ps {
			out = append(out, p.PID)
		}
		return out
	}
	if got := pids(endSurvivors(nil)); !slices.Equal(got, []int{stray.Process.Pid}) {
		t.Errorf("endSurvivors = %v, want only the stray child %d (not %d of a tree still running)", got, stray.Process.Pid, running.Process.Pid)
	}
	if alive(stray.Process.Pid) {
		t.Errorf("stray child %d still alive after endSurvivors", stray.Process.Pid)
	}
	if !alive(running.Process.Pid) {
		t.Errorf("endSurvivors killed pid %d of a tree still running", running.Process.Pid)
	}
	tree.Close()
	if got := pids(endSurvivors(nil)); !slices.Equal(got, []int{running.Process.Pid}) {
		t.Errorf("endSurvivors = %v after the tree was closed, want [%d]", got, running.Process.Pid)
	}
}

// TestEndSurvivorsTakesWholeTree: a stray child's own descendants are
// survivors too, found by walking down from it, and all of them end, so
// none is left to be blamed on the next iteration.
func TestEndSurvivorsTakesWholeTree(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("child enumeration is Linux-only")
	}
	out := filepath.Join(t.TempDir(), "pids")
	c := exec.Command("sh", "-c", "sleep 300 & echo $! >>"+out+"; sleep 300 & echo $! >>"+out+"; echo $$ >>"+out+"; wait")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	t.Cleanup(func() {
		c.Process.Kill()
		<-done
	})
	var want []int
	waitFor(t, 30*time.Second, "three pids", func() bool {
		b, _ := os.ReadFile(out)
		want = want[:0]
		for _, f := range strings.Fields(string(b)) {
			p, _ := strconv.Atoi(f)
			want = append(want, p)
		}
		return len(want) == 3
	})
	// The shell is a child this test waits for: endSurvivors kills it but
	// leaves reaping it to Wait.
	got := endSurvivors(nil)
	var found []int
	for _, p := range got {
		found = append(found, p.PID)
	}
	slices.Sort(found)
	slices.Sort(want)
	if !slices.Equal(found, want) {
		t.Errorf("endSurvivors found %v, want the shell and its two sleeps %v", got, want)
	}
	for _, p := range want {
		if alive(p) {
			t.Errorf("pid %d still alive after endSurvivors", p)
		}
		if p != c.Process.Pid && zombieChild(p) {
			t.Errorf("pid %d left as a zombie child of the runner", p)
		}
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Wait did not return after endSurvivors killed the shell")
	}
	if c.ProcessState == nil || c.ProcessState.Success() {
		t.Errorf("shell state %v, want killed (reaped by its own Wait)", c.ProcessState)
	}
}

// zombieChild reports whether pid is a zombie whose parent is this process.
func zombieChild(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return len(f) > 1 && (f[0] == "Z" || f[0] == "X") && f[1] == strconv.Itoa(os.Getpid())
}
