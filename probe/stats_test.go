package probe

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// naiveSen sorts every pairwise slope: the reference for theilSen.
func naiveSen(x, y []float64, z float64) senFit {
	var sl []float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			if x[j] != x[i] {
				sl = append(sl, (y[j]-y[i])/(x[j]-x[i]))
			}
		}
	}
	slices.Sort(sl)
	N := len(sl)
	med := sl[N/2]
	if N%2 == 0 {
		med = (sl[N/2-1] + sl[N/2]) / 2
	}
	n := len(x)
	vs := float64(n*(n-1)*(2*n+5)) / 18
	ys := slices.Clone(y)
	slices.Sort(ys)
	for i := 0; i < len(ys); {
		j := i
		for j < len(ys) && ys[j] == ys[i] {
			j++
		}
		t := float64(j - i)
		vs -= t * (t - 1) * (2*t + 5) / 18
		i = j
	}
	c := z * math.Sqrt(vs)
	m1 := min(max(int(math.Floor((float64(N)-c)/2)), 1), N)
	m2 := min(max(int(math.Ceil((float64(N)+c)/2))+1, 1), N)
	return senFit{med, sl[m1-1], sl[m2-1]}
}

func TestTheilSenMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var sc scratch
	for _, n := range []int{2, 3, 8, 9, 40, 121} {
		for rep := range 20 {
			x := make([]float64, n)
			y := make([]float64, n)
			for i := range x {
				x[i] = float64(i) + 0.5
				y[i] = 0.3*x[i] + rng.NormFloat64()
				if rep%3 == 0 {
					y[i] = math.Round(y[i]) // ties
				}
			}
			got, ok := sc.theilSen(x, y, zOneSided99)
			want := naiveSen(x, y, zOneSided99)
			if !ok {
				t.Fatalf("theilSen(n=%d) not ok", n)
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(senFit{}), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("theilSen(n=%d, rep %d) mismatch (-want +got):\n%s", n, rep, diff)
			}
		}
	}
}

func TestSelectK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 1; n < 60; n++ {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(rng.IntN(7)) // many duplicates
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		for k := range n {
			if got := selectK(slices.Clone(v), k); got != sorted[k] {
				t.Fatalf("selectK(%v, %d) = %v, want %v", v, k, got, sorted[k])
			}
		}
		want := sorted[n/2]
		if n%2 == 0 {
			want = (sorted[n/2-1] + sorted[n/2]) / 2
		}
		if got := median(v); got != want {
			t.Errorf("median(%v) = %v, want %v", v, got, want)
		}
	}
}
