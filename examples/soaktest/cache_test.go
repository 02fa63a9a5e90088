package suite

import "errors"

var errTooBig = errors.New("cache grew past its bound")

// cache is a bounded map evicting the oldest key, the code under soak.
type cache struct {
	max   int
	order []int
	m     map[int]int
}

func newCache(max int) *cache { return &cache{max: max, m: map[int]int{}} }

func (c *cache) put(k, v int) {
	if _, ok := c.m[k]; !ok {
		c.order = append(c.order, k)
	}
	c.m[k] = v
	for len(c.order) > c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *cache) len() int { return len(c.m) }
