//go:build linux

package probe

import (
	"os"
	"syscall"
	"testing"
	"time"
)

func init() {
	helperModes["fdlimit"] = func(stop <-chan struct{}) {
		// Lower our own soft RLIMIT_NOFILE to 64 and hold 56 descriptors.
		var lim syscall.Rlimit
		syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
		lim.Cur = 64
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			panic(err)
		}
		var files []*os.File
		for len(files) < 50 {
			f, err := os.Open(os.DevNull)
			if err != nil {
				break
			}
			files = append(files, f)
		}
		os.Stdout.WriteString("ready\n")
		<-stop
		for _, f := range files {
			f.Close()
		}
	}
}

func TestFDLimitCeiling(t *testing.T) {
	cmd := helper(t, "fdlimit", "0")
	var alarms []Alarm
	m := NewMonitor("step:fds", Tree(cmd.Process.Pid), WithInterval(20*time.Millisecond),
		WithAlarm(func(a Alarm) { alarms = append(alarms, a) }))
	runMonitor(t, m, 200*time.Millisecond)
	last, _ := m.Last()
	if last.MaxFDPct < 80 {
		t.Fatalf("MaxFDPct = %.0f, want ≥ 80 (FDs %d)", last.MaxFDPct, last.FDs)
	}
	if len(alarms) != 1 || alarms[0].Kind != AlarmCeiling || alarms[0].Metric != FDs {
		t.Errorf("alarms = %+v, want one FD ceiling alarm", alarms)
	}
	for _, v := range m.Verdicts() {
		if v.Metric == FDs && v.Outcome != Leak {
			t.Errorf("FDs verdict %s (%s), want LEAK", v.Outcome, v.Reason)
		}
	}
}
