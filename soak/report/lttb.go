package report

import "math"

// lttb picks at most n of the points (x[i], y[i]) with the
// largest-triangle-three-buckets algorithm (Steinarsson, "Downsampling Time
// Series for Visual Representation", 2013) and returns their indices in
// increasing order. The first and the last point are always kept; every
// other bucket contributes the point that forms the largest triangle with the
// point kept before it and the mean of the next bucket, so spikes and steps
// survive while flat stretches thin out.
//
// x must be non-decreasing and neither slice may hold NaN; the caller drops
// missing values first. If n is at least the number of points, every index
// is returned; an n below 3 is taken as 3.
func lttb(x, y []float64, n int) []int {
	size := min(len(x), len(y))
	if n < 3 {
		n = 3
	}
	if size <= n {
		idx := make([]int, size)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	idx := make([]int, 0, n)
	idx = append(idx, 0)
	// The first and last points are fixed; the size-2 points between them
	// are cut into n-2 buckets of (fractional) width every.
	every := float64(size-2) / float64(n-2)
	a := 0
	for i := range n - 2 {
		// The mean of the next bucket (the last point for the last bucket).
		nextLo := int(float64(i+1)*every) + 1
		nextHi := min(int(float64(i+2)*every)+1, size-1)
		if i == n-3 {
			nextLo, nextHi = size-1, size
		}
		var mx, my float64
		for j := nextLo; j < nextHi; j++ {
			mx += x[j]
			my += y[j]
		}
		cnt := float64(nextHi - nextLo)
		mx, my = mx/cnt, my/cnt

		lo := int(float64(i)*every) + 1
		hi := min(int(float64(i+1)*every)+1, size-1)
		best, bestArea := lo, -1.0
		for j := lo; j < hi; j++ {
			// Twice the triangle's area; the factor does not change the pick.
			area := math.Abs((x[a]-mx)*(y[j]-y[a]) - (x[a]-x[j])*(my-y[a]))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		idx = append(idx, best)
		a = best
	}
	return append(idx, size-1)
}
