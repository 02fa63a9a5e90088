package step_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/soakkit/soakkit/step"
)

func ExampleFunc() {
	s := step.Func("check", func(ctx context.Context) error {
		return errors.New("disk almost full")
	})
	r := s.Run(context.Background(), step.Runtime{})
	fmt.Println(r.Status, r.Details)
	// Output: failed disk almost full
}

func ExampleSequence() {
	ok := func(name string) step.Step {
		return step.Func(name, func(context.Context) error { return nil })
	}
	plan := step.Sequence("validate",
		ok("lint"),
		step.Func("tests", func(context.Context) error { return errors.New("2 tests failed") }),
		ok("package"),
	)
	r := plan.Run(context.Background(), step.Runtime{})
	for _, s := range r.Steps {
		fmt.Printf("%s: %s %q\n", s.Name, s.Status, s.Details)
	}
	fmt.Println(r.Status)
	// Output:
	// lint: passed ""
	// tests: failed "2 tests failed"
	// package: skipped "not run: tests failed"
	// failed
}

func ExampleParallel() {
	check := func(name string) step.Step {
		return step.Func(name, func(context.Context) error { return nil })
	}
	// At most two at a time; results in the order given.
	r := step.Parallel("linters", 2, check("ascii_logs"), check("json_writer"), check("metrics_labels")).
		Run(context.Background(), step.Runtime{})
	fmt.Println(r.Status, r.Details, r.Steps[2].Name)
	// Output: passed 3 passed metrics_labels
}

func ExampleRetry() {
	calls := 0
	flaky := step.Func("flaky", func(context.Context) error {
		if calls++; calls < 3 {
			return errors.New("connection refused")
		}
		return nil
	})
	r := step.Retry(flaky, 5, time.Millisecond).Run(context.Background(), step.Runtime{})
	fmt.Println(r.Status, r.Attempts)
	// Output: passed 3
}

func ExampleTimeout() {
	slow := step.Func("slow", func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	r := step.Timeout(slow, 10*time.Millisecond).Run(context.Background(), step.Runtime{})
	fmt.Println(r.Status)
	// Output: timed_out
}

func ExampleSkip() {
	r := step.Skip("secrets", "SKIP: no credentials needed to scan, but scanning disabled by config").
		Run(context.Background(), step.Runtime{})
	fmt.Println(r.Status, r.OK)
	// Output: skipped true
}

func ExampleResult_MarshalJSON() {
	r := step.Result{Name: "tests", Status: step.Failed, Details: "exit status 1", ExitCode: 1, Duration: 1500 * time.Millisecond}
	b, _ := json.Marshal(r)
	fmt.Print(string(b))
	// Output:
	// {"name":"tests","ok":false,"status":"failed","details":"exit status 1","exit_code":1,"start":"0001-01-01T00:00:00Z","attempts":0,"duration_ms":1500}
}
