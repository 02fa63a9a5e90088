package probe

import (
	"fmt"
	"math"
	"time"
)

// An Outcome is the three-valued result of a leak analysis.
type Outcome string

const (
	// Pass means the metric stayed within its floor and budget.
	Pass Outcome = "PASS"
	// Leak means the metric grew: an online alarm, the end-of-run check or
	// a ceiling.
	Leak Outcome = "LEAK"
	// Inconclusive means the data cannot tell: too few blocks, gaps, a
	// restarted process, or an interval too wide. It is reported, not
	// failed.
	Inconclusive Outcome = "INCONCLUSIVE"
)

// An AlarmKind says what raised an [Alarm].
type AlarmKind string

const (
	AlarmTrend   AlarmKind = "trend"   // online checks positive for Policy.Persist
	AlarmCeiling AlarmKind = "ceiling" // a value crossed Policy.Max, or FDs ≥ 80 % of RLIMIT_NOFILE
)

// An Alarm is raised during a run, at most once per kind per metric.
type Alarm struct {
	Target string    `json:"target,omitempty"`
	Metric Metric    `json:"metric"`
	Kind   AlarmKind `json:"kind"`
	Time   time.Time `json:"t"`
	Value  float64   `json:"value"` // the metric's latest value, in its unit
	Reason string    `json:"reason"`
}

// A Verdict is the end-of-run judgement of one metric.
//
// Slope, Lower and Upper are in Unit (MiB/h for sizes, count/h for counts,
// e.g. "FDs/h"); Growth is the fitted growth over the analyzed window in
// GrowthUnit (MiB or a count). TimeToLimit is the projected time from the
// end of the window until the metric reaches Policy.Max at the fitted slope,
// zero when there is no limit or no growth.
type Verdict struct {
	Target      string        `json:"target,omitempty"`
	Metric      Metric        `json:"metric"`
	Outcome     Outcome       `json:"outcome"`
	Slope       float64       `json:"slope"`
	Lower       float64       `json:"lower"`
	Upper       float64       `json:"upper"`
	Unit        string        `json:"unit"`
	Growth      float64       `json:"growth"`
	GrowthUnit  string        `json:"growth_unit"`
	Budget      float64       `json:"budget"` // in GrowthUnit
	TimeToLimit time.Duration `json:"time_to_limit_ns,omitempty"`
	Points      int           `json:"points"`
	Block       time.Duration `json:"block_ns"`
	From        time.Time     `json:"from"` // analyzed window
	To          time.Time     `json:"to"`
	Samples     int           `json:"samples"`
	FirstAlarm  time.Time     `json:"first_alarm,omitzero"`
	Reason      string        `json:"reason"`
}

// Fitted reports whether v has a fitted slope: enough points after the
// warm-up. Slope, Lower, Upper and Growth are zero and mean nothing
// otherwise.
func (v Verdict) Fitted() bool { return v.Points >= minPoints }

// Verdict judges everything seen so far (since the last restart) as the
// end of a run. The window is the whole run after the warm-up, where a short
// run's warm-up is cut to 20 % of its length and its blocks shrink so that
// there are about 32 points (a two-minute soak sampled at 250 ms still gets
// a verdict).
func (t *Tracker) Verdict() Verdict {
	p := t.pol
	v := Verdict{Metric: t.metric, Unit: rateUnit(t.metric), GrowthUnit: growthUnit(t.metric), Samples: t.samples}
	scale := displayScale(t.metric)
	if t.alarm != nil {
		v.FirstAlarm = t.alarm.Time
	}
	if t.ceiling != nil && (v.FirstAlarm.IsZero() || t.ceiling.Time.Before(v.FirstAlarm)) {
		v.FirstAlarm = t.ceiling.Time
	}
	saved, savedFine := t.coarse, t.fine
	t.coarse, t.fine = t.coarse.withCurrent(), t.fine.withCurrent()
	defer func() { t.coarse, t.fine = saved, savedFine }()
	end := t.lastT
	warm := min(p.Warmup, end.Sub(t.start)/5)
	pts := t.points(t.start.Add(warm), end, 240, true)
	v.Points, v.Block, v.From, v.To = pts.n(), pts.block, pts.from, pts.to

	var f trendFit
	fitted := pts.n() >= minPoints
	if fitted {
		f = t.fit(pts)
		v.Slope, v.Lower, v.Upper = f.slope*60/scale, f.lo*60/scale, f.hi*60/scale
		v.Growth = f.slope * f.span / scale
		if p.Max > 0 && f.slope > 0 {
			if rem := p.Max - t.last; rem > 0 {
				v.TimeToLimit = time.Duration(rem / f.slope * float64(time.Minute))
			}
		}
	}
	budget := p.Budget
	if p.BudgetFrac > 0 && pts.n() > 0 {
		base := median(pts.y[:min(3, pts.n())])
		budget = math.Max(budget, p.BudgetFrac*base)
	}
	v.Budget = budget / scale

	switch {
	case t.ceiling != nil:
		v.Outcome, v.Reason = Leak, t.ceiling.Reason
	case t.alarm != nil:
		v.Outcome, v.Reason = Leak, "online alarm: "+t.alarm.Reason
	case t.fdAlarmed:
		v.Outcome, v.Reason = Leak, "a process came within 20% of its RLIMIT_NOFILE soft limit"
	case !fitted:
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("only %d points after a %s warm-up (need %d)", pts.n(), warm.Round(time.Second), minPoints)
	case f.adaptive && f.positive(p.Floor, budget):
		v.Outcome = Leak
		v.Reason = fmt.Sprintf("%s grew %s (lower bound %s) over %s, past the budget %s and above the floor in both halves",
			t.metric, fmtRate(t.metric, f.slope), fmtRate(t.metric, f.lo), dur(f.span), fmtValue(t.metric, budget))
	case f.lo*f.span > budget && f.halves*f.span > budget:
		v.Outcome = Leak
		v.Reason = fmt.Sprintf("%s grew at least %s over %s, past the budget %s",
			t.metric, fmtValue(t.metric, f.lo*f.span), dur(f.span), fmtValue(t.metric, budget))
	case t.restarts > 0:
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("the process restarted at %s; only the %s after it were analyzed", t.restartT.UTC().Format(time.RFC3339), dur(f.span))
	case f.lo > p.Floor && f.halves > p.Floor:
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("%s grew %s (%s) over %s, above the floor but %s and without a persistent online alarm: a warm-up or a step cannot be told from a leak",
			t.metric, fmtValue(t.metric, f.slope*f.span), fmtRate(t.metric, f.slope), dur(f.span), notPastBudget(t.metric, f, budget))
	case pts.missing > 0.2:
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("%.0f%% of the blocks in the window have no samples", 100*pts.missing)
	case f.hi-f.lo > 4*p.Floor:
		v.Outcome = Inconclusive
		v.Reason = fmt.Sprintf("the slope interval [%s, %s] is wider than 4× the floor", fmtRate(t.metric, f.lo), fmtRate(t.metric, f.hi))
	case f.slope*f.span > budget:
		v.Outcome = Pass
		v.Reason = fmt.Sprintf("%s slope %s over %s, growth %s, %s",
			t.metric, fmtRate(t.metric, f.slope), dur(f.span), fmtValue(t.metric, f.slope*f.span), notPastBudget(t.metric, f, budget))
	default:
		v.Outcome = Pass
		v.Reason = fmt.Sprintf("%s slope %s (upper bound %s) over %s, growth %s within the budget %s",
			t.metric, fmtRate(t.metric, f.slope), fmtRate(t.metric, f.hi), dur(f.span), fmtValue(t.metric, f.slope*f.span), fmtValue(t.metric, budget))
	}
	return v
}

// notPastBudget says why the growth of f does not count as past budget:
// the end-of-run check wants the interval's lower bound and both halves of
// the window past it, not only the fitted slope.
func notPastBudget(m Metric, f trendFit, budget float64) string {
	switch {
	case f.slope*f.span <= budget:
		return "within the budget " + fmtValue(m, budget)
	case f.lo*f.span <= budget:
		return fmt.Sprintf("past the budget %s only in the fit: its lower bound, %s, is within it", fmtValue(m, budget), fmtValue(m, f.lo*f.span))
	}
	return fmt.Sprintf("past the budget %s but not in both halves of the window, as after a one-time step", fmtValue(m, budget))
}

// Analyze judges a whole series of samples of metric m at once: times[i]
// is when values[i] was observed, in order. Zero fields of p take their
// defaults. Online alarms are evaluated as the samples are replayed, so the
// verdict is the one a [Monitor] would give at the last sample.
func Analyze(m Metric, p Policy, times []time.Time, values []float64) Verdict {
	t := NewTracker(m, p)
	for i := range min(len(times), len(values)) {
		t.Add(times[i], values[i])
	}
	return t.Verdict()
}

func displayScale(m Metric) float64 {
	if m.Unit() == "B" {
		return MiB
	}
	return 1
}

func growthUnit(m Metric) string {
	switch m.Unit() {
	case "B":
		return "MiB"
	case "s":
		return "s"
	}
	return countNoun(m)
}

func rateUnit(m Metric) string { return growthUnit(m) + "/h" }

func countNoun(m Metric) string {
	switch m {
	case FDs:
		return "FDs"
	case Procs:
		return "procs"
	}
	return string(m)
}

// fmtRate formats a per-minute rate of m per hour.
func fmtRate(m Metric, perMin float64) string {
	return num(perMin*60/displayScale(m)) + " " + rateUnit(m)
}

// num formats v with three significant digits, without exponents.
func num(v float64) string {
	if a := math.Abs(v); a >= 100 || a == 0 {
		return fmt.Sprintf("%.0f", v)
	} else if a >= 10 {
		return fmt.Sprintf("%.1f", v)
	} else if a >= 1 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func fmtValue(m Metric, v float64) string {
	if m.Unit() == "B" {
		return fmt.Sprintf("%.1f MiB", v/MiB)
	}
	return num(v) + " " + growthUnit(m)
}

func dur(minutes float64) string {
	return time.Duration(minutes * float64(time.Minute)).Round(time.Second).String()
}
