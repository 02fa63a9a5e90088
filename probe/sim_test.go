package probe

import (
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soakkit/soakkit/probe/sim"
)

var simRuns = flag.Int("sim.runs", 0, "seeded runs per simulation cell (0: 1000 with -sim.full, 200 by default, 40 with -short)")
var simPolicy = flag.String("sim.policy", "", "JSON Policy overriding the default RSS policy in the simulation (exploration)")
var simFull = flag.Bool("sim.full", false, "run the acceptance simulation at full scale (1000 runs per cell) and print the table")

func simN() int {
	switch {
	case *simRuns > 0:
		return *simRuns
	case *simFull:
		return 1000
	case testing.Short() || raceEnabled:
		return 40
	}
	return 200
}

// simResult is the outcome of one simulated run.
type simResult struct {
	alarm   time.Duration // time of the first online alarm from the start; -1 if none
	verdict Outcome
	final   bool // LEAK by the end-of-run check alone (no online alarm)
}

var simEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// simulate feeds the run's 60 s block medians to a tracker of RSS with the
// default policy and returns when it alarmed and the end-of-run verdict.
func simulate(r sim.Run) simResult {
	var p Policy
	if *simPolicy != "" {
		if err := json.Unmarshal([]byte(*simPolicy), &p); err != nil {
			panic(err)
		}
	}
	tr := NewTracker(RSS, p)
	res := simResult{alarm: -1}
	r.Blocks(tr.pol.Block, func(start time.Duration, n int, med, mn float64) {
		a, ok := tr.addBlock(preBlock{Start: simEpoch.Add(start), N: n, Median: med * MiB, Min: mn * MiB})
		if ok && a.Kind == AlarmTrend && res.alarm < 0 {
			res.alarm = a.Time.Sub(simEpoch)
		}
	})
	v := tr.Verdict()
	res.verdict = v.Outcome
	res.final = v.Outcome == Leak && v.FirstAlarm.IsZero()
	return res
}

// simCell runs n seeded runs in parallel.
func simCell(n int, mk func(seed uint64) sim.Run) []simResult {
	out := make([]simResult, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				out[i] = simulate(mk(uint64(i + 1)))
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func frac(rs []simResult, pred func(simResult) bool) float64 {
	k := 0
	for _, r := range rs {
		if pred(r) {
			k++
		}
	}
	return float64(k) / float64(len(rs))
}

// TestSimAcceptance checks the leak detector's acceptance bar (false and
// missed verdict rates) on seeded runs of the
// research's noise profiles. The results are deterministic for a given run
// count; -sim.full runs 1000 per cell and logs the table.
func TestSimAcceptance(t *testing.T) {
	n := simN()
	day := 24 * time.Hour
	type row struct {
		name    string
		want    string
		got     float64
		ok      bool
		elapsed time.Duration
		note    string
	}
	delays := func(rs []simResult, from time.Duration) string {
		var ds []time.Duration
		for _, r := range rs {
			if r.alarm >= from {
				ds = append(ds, r.alarm-from)
			}
		}
		if len(ds) == 0 {
			return ""
		}
		slices.Sort(ds)
		q := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
		return fmt.Sprintf("delay p50 %v, p95 %v, max %v", q(0.5), q(0.95), ds[len(ds)-1])
	}
	var rows []row
	note := func(s string) { rows[len(rows)-1].note = s }
	check := func(name, want string, got float64, ok bool, start time.Time) {
		rows = append(rows, row{name, want, got, ok, time.Since(start), ""})
		if !ok {
			t.Errorf("%s: got %.2f%% over %d runs, want %s", name, 100*got, n, want)
		}
	}
	alarmedBy := func(d time.Duration) func(simResult) bool {
		return func(r simResult) bool { return r.alarm >= 0 && r.alarm <= d }
	}
	anyAlarm := func(r simResult) bool { return r.alarm >= 0 }
	leakVerdict := func(r simResult) bool { return r.verdict == Leak }

	start := time.Now()
	rs := simCell(n, func(s uint64) sim.Run {
		return sim.Run{Profile: sim.Go, Seed: s, Duration: 61 * time.Minute, Leak: 1}
	})
	check("go, 1 MiB/min from t=0: alarmed within 60 min", "≥ 99%", frac(rs, alarmedBy(60*time.Minute)), frac(rs, alarmedBy(60*time.Minute)) >= 0.99, start)
	note(delays(rs, 0))

	start = time.Now()
	rs = simCell(n, func(s uint64) sim.Run {
		return sim.Run{Profile: sim.Quiet, Seed: s, Duration: 31 * time.Minute, Leak: 1}
	})
	check("quiet, 1 MiB/min from t=0: alarmed within 30 min", "≥ 99%", frac(rs, alarmedBy(30*time.Minute)), frac(rs, alarmedBy(30*time.Minute)) >= 0.99, start)
	note(delays(rs, 0))

	for _, p := range sim.Profiles {
		start = time.Now()
		rs = simCell(n, func(s uint64) sim.Run { return sim.Run{Profile: p, Seed: s, Duration: day} })
		f := frac(rs, anyAlarm)
		check(p.Name+", stationary 24 h: any online alarm", "≤ 1%", f, f <= 0.01, start)
		f = frac(rs, func(r simResult) bool { return r.final })
		check(p.Name+", stationary 24 h: end-of-run check alone LEAK", "≤ 0.5%", f, f <= 0.005, time.Now())
	}

	for _, p := range []sim.Profile{sim.Go, sim.Heavy} {
		start = time.Now()
		rs = simCell(n, func(s uint64) sim.Run { return sim.Run{Profile: p, Seed: s, Duration: time.Hour} })
		f := frac(rs, leakVerdict)
		check(p.Name+", stationary 1 h: end-of-run LEAK (alarm included)", "≤ 1%", f, f <= 0.01, start)
	}

	start = time.Now()
	rs = simCell(n, func(s uint64) sim.Run { return sim.Run{Profile: sim.Go, Seed: s, Duration: day, Leak: 0.05} })
	f := frac(rs, leakVerdict)
	check("go, 0.05 MiB/min for 24 h: end-of-run LEAK", "≥ 99%", f, f >= 0.99, start)

	if !testing.Short() {
		start = time.Now()
		rs = simCell(n, func(s uint64) sim.Run {
			return sim.Run{Profile: sim.Heavy, Seed: s, Duration: 121 * time.Minute, Leak: 1}
		})
		f = frac(rs, alarmedBy(120*time.Minute))
		check("heavy, 1 MiB/min from t=0: alarmed within 120 min", "≥ 95%", f, f >= 0.95, start)
		note(delays(rs, 0))

		start = time.Now()
		onset := 6 * time.Hour
		rs = simCell(n, func(s uint64) sim.Run {
			return sim.Run{Profile: sim.Go, Seed: s, Duration: onset + 121*time.Minute, Leak: 1, LeakFrom: onset}
		})
		early := frac(rs, func(r simResult) bool { return r.alarm >= 0 && r.alarm < onset })
		f = frac(rs, func(r simResult) bool { return r.alarm >= onset && r.alarm <= onset+120*time.Minute })
		check("go, 1 MiB/min from 6 h: alarmed within 120 min of onset", "≥ 99%", f, f >= 0.99 && early == 0, start)
		note(delays(rs, onset))
	}

	if *simFull || testing.Verbose() {
		var b []byte
		b = fmt.Appendf(b, "\n%d seeded runs per cell, 1 Hz, 60 s blocks, default RSS policy\n", n)
		b = fmt.Appendf(b, "| %-60s | %-6s | %8s | %-40s | %s |\n", "cell", "bar", "measured", "detection delay", "time")
		for _, r := range rows {
			b = fmt.Appendf(b, "| %-60s | %-6s | %7.2f%% | %-40s | %s |\n", r.name, r.want, 100*r.got, r.note, r.elapsed.Round(time.Millisecond))
		}
		t.Log(string(b))
	}
}
