package expo_test

import (
	"fmt"

	"github.com/soakkit/soakkit/lint/expo"
)

func ExampleCheck() {
	data := []byte(`# HELP jobs Jobs done.
# TYPE jobs counter
jobs{env="prod",request_id="1700000001"} 1
`)
	fs, err := expo.Check(data, expo.Auto, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fs {
		fmt.Printf("%d: %s [%s]\n", f.Line, f.Message, f.Rule)
	}
	// Output:
	// 1: metric "jobs": counter metrics should have "_total" suffix [exposition/counter-total]
	// 1: label "request_id" looks unbounded (identifiers): each value is a new series (metric "jobs") [exposition/unbounded-name]
	// 1: label "request_id" of metric "jobs" has values that look unbounded (numeric id, e.g. "1700000001") [exposition/value-shape]
}
