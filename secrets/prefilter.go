package secrets

// A prefilter is a case-insensitive (ASCII) Aho–Corasick automaton compiled
// to a full DFA over byte classes: one table load per input byte, no
// failure-link chasing and no lower-cased copy of the input. Bytes that
// occur in no keyword share one class, so the table has a few dozen
// columns and stays in cache.
//
// It replaced github.com/BobuSumisu/aho-corasick after measuring both on
// the corpus (BenchmarkPrefilter): that trie keeps a 256-entry row of
// int64 per state and follows failure links at match time, and needs the
// input lower-cased first.
type prefilter struct {
	class  [256]uint8
	ncls   int
	delta  []uint16 // state*ncls + class -> state
	out    [][]int32
	hasOut []bool
}

func newPrefilter(keywords []string) *prefilter {
	p := &prefilter{}
	// Byte classes: each distinct lower-case keyword byte gets a class;
	// upper-case ASCII letters share their lower-case letter's class.
	next := uint8(1)
	for _, kw := range keywords {
		for i := 0; i < len(kw); i++ {
			c := kw[i]
			if p.class[c] == 0 {
				p.class[c] = next
				if 'a' <= c && c <= 'z' {
					p.class[c-'a'+'A'] = next
				}
				next++
			}
		}
	}
	p.ncls = int(next)
	// Trie.
	type node struct {
		next []int32 // per class, -1 if absent
		fail int32
		out  []int32
	}
	newNode := func() node {
		n := node{next: make([]int32, p.ncls)}
		for i := range n.next {
			n.next[i] = -1
		}
		return n
	}
	nodes := []node{newNode()}
	for k, kw := range keywords {
		s := int32(0)
		for i := 0; i < len(kw); i++ {
			c := p.class[kw[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(k))
	}
	if len(nodes) >= 1<<16 {
		panic("secrets: too many keyword states for the prefilter")
	}
	// Breadth-first: failure links, merged outputs and the full DFA.
	p.delta = make([]uint16, len(nodes)*p.ncls)
	queue := []int32{}
	for c := 0; c < p.ncls; c++ {
		if t := nodes[0].next[c]; t >= 0 && c != 0 {
			nodes[t].fail = 0
			queue = append(queue, t)
			p.delta[c] = uint16(t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		nodes[s].out = append(nodes[s].out, nodes[nodes[s].fail].out...)
		for c := 0; c < p.ncls; c++ {
			t := nodes[s].next[c]
			if t >= 0 && c != 0 {
				nodes[t].fail = int32(p.delta[int(nodes[s].fail)*p.ncls+c])
				p.delta[int(s)*p.ncls+c] = uint16(t)
				queue = append(queue, t)
			} else {
				p.delta[int(s)*p.ncls+c] = p.delta[int(nodes[s].fail)*p.ncls+c]
			}
		}
	}
	p.out = make([][]int32, len(nodes))
	p.hasOut = make([]bool, len(nodes))
	for i, n := range nodes {
		p.out[i] = n.out
		p.hasOut[i] = len(n.out) > 0
	}
	return p
}

// walk calls fn(end, keyword) for every keyword occurrence in b, in order
// of end offset (exclusive).
func (p *prefilter) walk(b []byte, fn func(end int, kw int32)) {
	s := 0
	delta, class, ncls, hasOut := p.delta, &p.class, p.ncls, p.hasOut
	for i, c := range b {
		s = int(delta[s*ncls+int(class[c])])
		if hasOut[s] {
			for _, k := range p.out[s] {
				fn(i+1, k)
			}
		}
	}
}
