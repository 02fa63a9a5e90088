package corpus

import "sort"

// A Hit is a location a scanner reported.
type Hit struct {
	File string
	Line int
}

// A Score compares a scanner's hits with a manifest.
type Score struct {
	Planted        int            `json:"planted"`
	Detected       int            `json:"detected"` // planted secrets with at least one hit on their lines
	Recall         float64        `json:"recall"`
	FalsePositives int            `json:"false_positives"` // distinct hit locations on no planted secret's lines
	MissedByRule   map[string]int `json:"missed_by_rule,omitempty"`
}

// Evaluate scores hits against the manifest. Several hits on one planted
// secret count once; every distinct location outside all planted ranges is
// a false positive.
func (m *Manifest) Evaluate(hits []Hit) Score {
	byFile := map[string][]int{}
	for i, l := range m.Planted {
		byFile[l.File] = append(byFile[l.File], i)
	}
	detected := make([]bool, len(m.Planted))
	fps := map[Hit]bool{}
	for _, h := range hits {
		ok := false
		for _, i := range byFile[h.File] {
			l := m.Planted[i]
			if l.Line <= h.Line && h.Line <= l.EndLine {
				detected[i] = true
				ok = true
			}
		}
		if !ok {
			fps[h] = true
		}
	}
	s := Score{Planted: len(m.Planted), FalsePositives: len(fps), MissedByRule: map[string]int{}}
	for i, d := range detected {
		if d {
			s.Detected++
		} else {
			s.MissedByRule[m.Planted[i].Rule]++
		}
	}
	if s.Planted > 0 {
		s.Recall = float64(s.Detected) / float64(s.Planted)
	}
	return s
}

// FalsePositiveHits returns the hits outside every planted range, sorted.
func (m *Manifest) FalsePositiveHits(hits []Hit) []Hit {
	var out []Hit
	for _, h := range hits {
		ok := false
		for _, l := range m.Planted {
			if l.File == h.File && l.Line <= h.Line && h.Line <= l.EndLine {
				ok = true
				break
			}
		}
		if !ok {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}
