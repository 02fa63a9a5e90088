package summary_test

import (
	"context"
	"fmt"
	"os"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

// Summarise a soak from its artifacts and map its verdict to an exit status.
func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "summary-example-")
	defer os.RemoveAll(dir)

	n := 0
	work := step.Func("work", func(context.Context) error {
		n++
		if n == 2 {
			return fmt.Errorf("connection reset")
		}
		return nil
	})
	s, err := soak.New(soak.Config{Count: 4, KeepGoing: true, ArtifactsDir: dir},
		&soak.Iteration{Sections: soak.Sections(work)}, soak.WithHeartbeat(0))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := s.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}

	sum, err := summary.Write(dir, &summary.Config{Gates: []summary.Gate{
		{Figure: "failure_rate", SoftMax: ptr(0.1), Max: ptr(0.5)},
		{Figure: "step.work.p95_ms", Max: ptr(60000)},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sum.Verdict.Status, sum.ExitCode())
	fmt.Println(sum.Verdict.Reason)
	for _, g := range sum.Gates {
		fmt.Println(g.Name, g.Status)
	}
	fmt.Println(sum.Flaky[0].Step, sum.Flaky[0].Passed, sum.Flaky[0].Failed, sum.Flaky[0].FailedIterations)
	// Output:
	// failed 1
	// 1 of 4 iterations failed; first: iteration 2, step work: connection reset
	// failure_rate warn
	// step.work.p95_ms pass
	// work 3 1 [2]
}

func ptr(v float64) *float64 { return &v }
