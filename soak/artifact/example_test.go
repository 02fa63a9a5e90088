package artifact_test

import (
	"encoding/json"
	"fmt"

	"github.com/soakkit/soakkit/soak/artifact"
)

// Records streams iterations.jsonl one record at a time; a Tally checks the
// records against state.json as they go by.
func ExampleRecords() {
	l := artifact.Layout{Root: "testdata/small"}
	st, err := artifact.ReadState(l.State())
	if err != nil {
		fmt.Println(err)
		return
	}
	var tally artifact.Tally
	for r, err := range artifact.Records(l.Iterations()) {
		if err == nil {
			err = tally.Add(&r)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if r.Status.Failed() {
			fmt.Printf("iteration %d %s: %s\n", r.Iteration, r.Status, r.Reason)
		}
	}
	fmt.Println("consistent with state.json:", tally.Check(st, false) == nil)
	fmt.Printf("%d iterations, %d failed; stopped: %s\n", st.Counts.Iterations, st.Counts.Failed, st.Stop)
	// Output:
	// iteration 3 failed: step tests failed: exit status 1
	// consistent with state.json: true
	// 5 iterations, 1 failed; stopped: duration
}

// A Sketch gives quantiles of any number of values in bounded memory, and
// writes itself as compact JSON.
func ExampleSketch() {
	var s artifact.Sketch
	for _, ms := range []float64{12, 10, 11, 250} {
		s.Add(ms)
	}
	b, _ := json.Marshal(&s)
	fmt.Println(string(b))
	fmt.Printf("p50 %.1f, max %g\n", s.Quantile(0.5), s.Max())
	// Output:
	// {"n":4,"min":10,"max":250,"sum":283,"pos":[[115,1],[119,1],[124,1],[276,1]]}
	// p50 10.9, max 250
}
