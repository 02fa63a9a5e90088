package probe

import (
	"math"
	"slices"
)

// zOneSided99 is the standard normal quantile for a one-sided α = 0.01
// (equivalently a two-sided 98 % interval), the level of "trend verdict v1".
const zOneSided99 = 2.326347874

// senFit is a Theil–Sen fit with Sen's distribution-free interval.
type senFit struct {
	slope, lo, hi float64
}

// scratch holds reusable buffers for the estimators.
type scratch struct {
	slopes []float64
	ys     []float64
	vals   []float64 // block values of one point
	pts    points    // the online window's points
}

// theilSen returns the Theil–Sen slope of y against x, with the lower and
// upper bounds of Sen's interval at the one-sided level given by z. Pairs
// with equal x are skipped. It needs at least 2 distinct x.
func (sc *scratch) theilSen(x, y []float64, z float64) (senFit, bool) {
	n := len(x)
	sl := sc.slopes[:0]
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if dx := x[j] - x[i]; dx != 0 {
				sl = append(sl, (y[j]-y[i])/dx)
			}
		}
	}
	sc.slopes = sl
	N := len(sl)
	if N == 0 {
		return senFit{}, false
	}
	fit := senFit{slope: medianInPlace(sl)}
	if z <= 0 {
		return fit, true
	}
	m1, m2 := sc.senRanks(y, N, z)
	// medianInPlace left sl partitioned around its middle, so each bound
	// is selected within its side only.
	mid := N / 2
	if m1-1 < mid {
		fit.lo = selectK(sl[:mid], m1-1)
	} else {
		fit.lo = selectK(sl, m1-1)
	}
	if m2-1 > mid {
		fit.hi = selectK(sl[mid+1:], m2-1-(mid+1))
	} else {
		fit.hi = selectK(sl, m2-1)
	}
	return fit, true
}

// senRanks returns the 1-based ranks, among the N pairwise slopes of the
// series y, of the lower and upper bounds of Sen's interval at the
// one-sided level given by z.
func (sc *scratch) senRanks(y []float64, N int, z float64) (m1, m2 int) {
	n := len(y)
	// Var(S) of Mann–Kendall with the tie correction.
	vs := float64(n*(n-1)*(2*n+5)) / 18
	sc.ys = append(sc.ys[:0], y...)
	slices.Sort(sc.ys)
	for i := 0; i < len(sc.ys); {
		j := i + 1
		for j < len(sc.ys) && sc.ys[j] == sc.ys[i] {
			j++
		}
		if t := float64(j - i); t > 1 {
			vs -= t * (t - 1) * (2*t + 5) / 18
		}
		i = j
	}
	c := z * math.Sqrt(math.Max(vs, 0))
	m1 = int(math.Floor((float64(N) - c) / 2)) // 1-based rank of the lower bound
	m2 = int(math.Ceil((float64(N)+c)/2)) + 1  // 1-based rank of the upper bound
	return min(max(m1, 1), N), min(max(m2, 1), N)
}

// senLowerPositive reports whether the lower bound of Sen's interval of y
// against x at level z, as theilSen computes it, may be above zero: it is
// false when the bound is certainly ≤ 0 (no pair, or at least as many
// slopes ≤ 0 as the bound's rank), found by counting signs instead of
// selecting order statistics. It needs finite y; with any other y it
// answers true, leaving the decision to theilSen.
func (sc *scratch) senLowerPositive(x, y []float64, z float64) bool {
	for _, v := range y {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return true
		}
	}
	n := len(x)
	N, nonpos := 0, 0
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if dx := x[j] - x[i]; dx != 0 {
				N++
				if (y[j]-y[i])/dx <= 0 {
					nonpos++
				}
			}
		}
	}
	if N == 0 {
		return false // theilSen gives the zero fit
	}
	m1, _ := sc.senRanks(y, N, z)
	return nonpos < m1
}

// medianInPlace returns the median of v, reordering v.
func medianInPlace(v []float64) float64 {
	n := len(v)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return selectK(v, n/2)
	}
	a := selectK(v, n/2-1)
	// After selectK, v[n/2:] holds the elements ≥ a; the next order statistic is their minimum.
	b := v[n/2]
	for _, x := range v[n/2+1:] {
		if x < b {
			b = x
		}
	}
	return (a + b) / 2
}

// median returns the median of v without modifying it.
func median(v []float64) float64 {
	return medianInPlace(append([]float64(nil), v...))
}

// selectK returns the k-th smallest (0-based) element of v, partially
// reordering v (Hoare's quickselect with median-of-three pivots).
func selectK(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// mad returns the median absolute deviation of v from its median (unscaled).
func mad(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	m := median(v)
	d := make([]float64, len(v))
	for i, x := range v {
		d[i] = math.Abs(x - m)
	}
	return medianInPlace(d)
}
