package secrets

import (
	"bufio"
	"io"
	"strings"
)

// A liveSet is the multiset of secrets (by fingerprint) a commit's tree
// carries. Commits whose patch adds or removes no secret share their first
// parent's set, so a history needs one set per commit with events, not
// one per commit; refs counts the commits that share it.
type liveSet struct {
	n    map[string]int
	refs int
}

// resolve turns the per-commit events into one finding per fingerprint:
// it walks the selected commits parents-first (git rev-list --topo-order
// --reverse), carries each commit's set of live secrets to its children,
// picks the earliest unsuppressed commit that adds each secret, and
// counts the commits that carry it.
//
// Memory is one map entry per commit that carries a secret (none before
// the first secret), plus the events; nothing else grows with history.
func (hs *histScan) resolve(revs []string) error {
	if len(hs.events) == 0 {
		return nil
	}
	cmd, out, stderr, err := hs.gitCmd(nil, append([]string{"rev-list", "--topo-order", "--reverse", "--parents"}, append(revs, "--")...)...)
	if err != nil {
		return err
	}
	// The path of each secret, for the deletion of a file.
	fpPath := map[string]string{}
	for _, evs := range hs.events {
		for _, e := range evs {
			if e.f != nil {
				fpPath[e.fp] = e.f.File
			}
		}
	}
	live := map[string]*liveSet{}
	var sets []*liveSet
	br := bufio.NewReaderSize(out, 64<<10)
	topo := 0
	for {
		line, rerr := br.ReadString('\n')
		if f := strings.Fields(line); len(f) > 0 {
			topo++
			id, parents := f[0], f[1:]
			var base *liveSet
			switch {
			case len(parents) == 0:
			case len(parents) == 1 || hs.merges == MergesFirstParent:
				base = live[parents[0]]
			default:
				base = mergeSets(live, parents, &sets)
			}
			if evs := hs.events[id]; len(evs) > 0 {
				n := map[string]int{}
				if base != nil {
					for k, v := range base.n {
						n[k] = v
					}
				}
				for i := range evs {
					evs[i].topo = topo
					if d := evs[i].deleted; d != "" {
						for fp := range n {
							if fpPath[fp] == d {
								delete(n, fp)
							}
						}
					}
				}
				for _, e := range evs {
					if e.fp != "" {
						n[e.fp] += e.delta
					}
				}
				for _, e := range evs {
					if e.present {
						n[e.fp] = max(n[e.fp], 1)
					}
				}
				for k, v := range n {
					if v <= 0 {
						delete(n, k)
					}
				}
				base = nil
				if len(n) > 0 {
					base = &liveSet{n: n}
					sets = append(sets, base)
				}
			}
			if base != nil {
				base.refs++
				live[id] = base
			}
		}
		if rerr != nil {
			break
		}
	}
	io.Copy(io.Discard, out)
	if err := hs.wait(cmd, stderr, "rev-list"); err != nil {
		return err
	}
	carried := map[string]int{}
	for _, s := range sets {
		for fp := range s.n {
			carried[fp] += s.refs
		}
	}
	best := map[string]*histEvent{}
	for _, evs := range hs.events {
		for i := range evs {
			e := &evs[i]
			if e.f == nil || e.topo == 0 {
				continue
			}
			b := best[e.fp]
			switch {
			case b == nil:
				best[e.fp] = e
			case (e.f.Suppressed == NotSuppressed) != (b.f.Suppressed == NotSuppressed):
				if e.f.Suppressed == NotSuppressed {
					best[e.fp] = e
				}
			case e.topo < b.topo || e.topo == b.topo && cmpFinding(*e.f, *b.f) < 0:
				best[e.fp] = e
			}
		}
	}
	for fp, e := range best {
		f := *e.f
		f.Commits = max(carried[fp], 1)
		hs.c.rep.Findings = append(hs.c.rep.Findings, f)
	}
	return nil
}

// mergeSets returns the set of a merge commit that was not diffed: each
// secret that any parent carries, as many times as the parent carrying
// most of it. A parent's set is reused when the others add nothing.
func mergeSets(live map[string]*liveSet, parents []string, sets *[]*liveSet) *liveSet {
	var found []*liveSet
	for _, p := range parents {
		if s := live[p]; s != nil && !containsSet(found, s) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return nil
	case 1:
		return found[0]
	}
	n := map[string]int{}
	for _, s := range found {
		for k, v := range s.n {
			n[k] = max(n[k], v)
		}
	}
	for _, s := range found {
		if len(s.n) == len(n) {
			same := true
			for k, v := range n {
				if s.n[k] != v {
					same = false
					break
				}
			}
			if same {
				return s
			}
		}
	}
	s := &liveSet{n: n}
	*sets = append(*sets, s)
	return s
}

func containsSet(list []*liveSet, s *liveSet) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
