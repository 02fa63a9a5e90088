package probe

import (
	"slices"
	"time"
)

// A BlockStat selects the statistic that summarizes each block of samples.
type BlockStat string

const (
	// BlockMedian is robust to bursts and GC sawtooth; the default for sizes.
	BlockMedian BlockStat = "median"
	// BlockMin is the right baseline for counts, whose transient noise only
	// ever adds (goroutines, FDs, threads, processes).
	BlockMin BlockStat = "min"
)

// A Policy configures the leak analysis of one metric. The zero value of
// each field selects its default (see [DefaultPolicy]); a Policy is plain
// data and can be written in a config file.
//
// Rates are per minute in the metric's unit (bytes for sizes). Online, a
// metric raises an alarm when, for Persist of consecutive checks, the lower
// bound of the Theil–Sen slope's one-sided 99 % interval exceeds Floor and
// each half of the window rises on its own (slope above Floor, one-sided
// 90 % lower bound above zero). At the end of a run
// it is a LEAK if an alarm was raised, or if the lower bound times the
// window's length exceeds the growth budget with both halves growing past it
// too. A value above Max alarms at once.
type Policy struct {
	Floor      float64       `json:"floor,omitempty"`       // practical-significance floor, units/min
	Budget     float64       `json:"budget,omitempty"`      // end-of-run growth budget, units
	BudgetFrac float64       `json:"budget_frac,omitempty"` // budget is at least this fraction of the baseline; <0 disables
	Warmup     time.Duration `json:"warmup,omitempty"`      // excluded from analysis (default 5m; short runs use ≤ 20 %)
	Block      time.Duration `json:"block,omitempty"`       // aggregation block (default 60s; short runs adapt)
	Window     time.Duration `json:"window,omitempty"`      // longest online window (default 120m)
	Check      time.Duration `json:"check,omitempty"`       // online check cadence (default 5m)
	CheckAfter time.Duration `json:"check_after,omitempty"` // first online check after this much data (default 15m)
	Persist    time.Duration `json:"persist,omitempty"`     // consecutive positive checks spanning this long alarm (default 15m)
	Max        float64       `json:"max,omitempty"`         // ceiling, units; 0 means none
	Stat       BlockStat     `json:"stat,omitempty"`        // block statistic (default by metric)
}

// DefaultPolicy returns the default policy of metric m, every field set.
//
// Sizes (RSS, Go heap, host memory): floor 0.25 MiB/min, budget
// max(32 MiB, 10 % of the baseline), block medians. Counts use block minima:
// FDs and threads floor 0.5/min, budget 16; goroutines floor 1/min, budget
// 64; processes and zombies floor 0.2/min, budget 4.
func DefaultPolicy(m Metric) Policy {
	p := Policy{
		Warmup:     5 * time.Minute,
		Block:      time.Minute,
		Window:     120 * time.Minute,
		Check:      5 * time.Minute,
		CheckAfter: 15 * time.Minute,
		Persist:    15 * time.Minute,
		Stat:       BlockMin,
		BudgetFrac: -1,
	}
	switch m {
	case RSS, HeapLive, GoMemTotal, MemUsed:
		p.Floor, p.Budget, p.BudgetFrac, p.Stat = 0.25*MiB, 32*MiB, 0.10, BlockMedian
	case FDs, Threads:
		p.Floor, p.Budget = 0.5, 16
	case Goroutines:
		p.Floor, p.Budget = 1, 64
	case Procs, Zombies:
		p.Floor, p.Budget = 0.2, 4
	default:
		p.Floor, p.Budget, p.Stat = 0.25*MiB, 32*MiB, BlockMedian
	}
	return p
}

// MiB is 2²⁰ bytes, for writing policies: Policy{Floor: 0.5 * probe.MiB}.
const MiB = 1 << 20

// withDefaults fills the zero fields of p from DefaultPolicy(m).
func (p Policy) withDefaults(m Metric) Policy {
	d := DefaultPolicy(m)
	if p.Floor == 0 {
		p.Floor = d.Floor
	}
	if p.Budget == 0 {
		p.Budget = d.Budget
	}
	if p.BudgetFrac == 0 {
		p.BudgetFrac = d.BudgetFrac
	}
	if p.Warmup == 0 {
		p.Warmup = d.Warmup
	}
	if p.Block <= 0 {
		p.Block = d.Block
	}
	if p.Window == 0 {
		p.Window = d.Window
	}
	if p.Check == 0 {
		p.Check = d.Check
	}
	if p.CheckAfter == 0 {
		p.CheckAfter = d.CheckAfter
	}
	if p.Persist == 0 {
		p.Persist = d.Persist
	}
	if p.Stat == "" {
		p.Stat = d.Stat
	}
	return p
}

// DefaultPolicies returns the metrics a [Monitor] tracks by default, each
// with its [DefaultPolicy]. A sample that does not carry a metric (a Go
// runtime sample has no RSS) simply leaves it untracked.
func DefaultPolicies() map[Metric]Policy {
	out := make(map[Metric]Policy)
	for _, m := range []Metric{RSS, FDs, Threads, Procs, Zombies, HeapLive, Goroutines} {
		out[m] = DefaultPolicy(m)
	}
	return out
}

func sortedMetrics(p map[Metric]Policy) []Metric {
	ms := make([]Metric, 0, len(p))
	for m := range p {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	return ms
}
