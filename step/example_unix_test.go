//go:build unix

package step_test

// These examples run POSIX sh and the go command; Windows runs the same code
// paths through step's own tests (the test binary as the child process).

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/soakkit/soakkit/step"
)

func ExampleCommand() {
	logs, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(logs)

	c := step.Command{
		Name:    "greet",
		Argv:    []string{"sh", "-c", "echo starting; echo hello, world"},
		Timeout: time.Minute,
	}
	r := c.Run(context.Background(), step.Runtime{LogDir: logs})
	fmt.Println(r.Status, r.ExitCode, r.Details)
	// Output: passed 0 hello, world
}

func ExampleCommand_timeout() {
	logs, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(logs)

	// The shell and both sleeps are ended at the deadline.
	c := step.Command{
		Name:    "stuck",
		Argv:    []string{"sh", "-c", "sleep 300 & sleep 300"},
		Timeout: 200 * time.Millisecond,
	}
	r := c.Run(context.Background(), step.Runtime{LogDir: logs})
	fmt.Println(r.Status, r.OK)
	fmt.Println(r.Details)
	// Output:
	// timed_out false
	// timed out: step "stuck" exceeded its 200ms timeout
}

func ExampleGoTest() {
	logs, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(logs)

	g := step.GoTest{
		Name:     "unit",
		Dir:      "testdata/gomod",
		Packages: []string{"./..."},
		Flags:    []string{"-run", "TestPass|TestSkip", "-count=1"},
	}
	r := g.Run(context.Background(), step.Runtime{LogDir: logs})
	fmt.Println(r.Status, r.Details)
	for _, t := range r.Tests {
		if t.Test != "" {
			fmt.Println(t.Test, t.Status)
		}
	}
	// Output:
	// passed 1 passed, 1 skipped
	// TestPass passed
	// TestSkip skipped
}
