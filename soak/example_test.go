package soak_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

// A soak of an in-process Go function for a count of iterations.
func ExampleSoak_Run() {
	dir, _ := os.MkdirTemp("", "soak-example-")
	defer os.RemoveAll(dir)

	calls := 0
	work := step.Func("work", func(ctx context.Context) error {
		calls++
		return nil
	})
	s, err := soak.New(soak.Config{Count: 3, ArtifactsDir: dir},
		&soak.Iteration{Sections: soak.Sections(work)},
		soak.WithHeartbeat(0))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := s.Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Stop, out.Counts.Passed, out.OK(), calls)
	// Output: count 3 true 3
}

// Validate runs the plan once, writes report.json and prints one marker.
func ExampleValidate() {
	dir, _ := os.MkdirTemp("", "soak-example-")
	defer os.RemoveAll(dir)

	it := &soak.Iteration{Sections: []soak.Section{
		{Step: step.Func("lint", func(context.Context) error { return nil })},
		{
			Step:   step.Func("e2e", func(context.Context) error { return nil }),
			SkipIf: func(context.Context) string { return "E2E_TOKEN is not set" },
		},
	}}
	rep, err := soak.Validate(context.Background(), it, dir, os.Stdout)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.ExitCode(), rep.Sections[1].Status, rep.Sections[1].Details)
	// Output:
	// RESULT=OK
	// 0 skipped skipped: E2E_TOKEN is not set
}

// The way a command-line tool runs a soak: signals cancel the context, the
// soak stops its current iteration, ends the service and still writes
// everything. (Compile-only: it would run for an hour.)
func ExampleSoak_Resume() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := soak.Config{
		Duration:         artifact.Duration(time.Hour),
		IterationTimeout: artifact.Duration(10 * time.Minute),
		KeepGoing:        true,
		ArtifactsDir:     filepath.Join("artifacts"),
		Service: &soak.Service{
			Argv:  []string{"./server", "--port", "8080"},
			Ready: soak.Ready{HTTP: "http://127.0.0.1:8080/healthz"},
		},
	}
	test := step.Command{Name: "e2e", Argv: []string{"go", "test", "./e2e"}, Timeout: 5 * time.Minute}
	s, err := soak.New(cfg, &soak.Iteration{Sections: soak.Sections(test.Step())},
		soak.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out, err := s.Resume(ctx) // continue a crashed or interrupted soak
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	if out == nil || !out.OK() {
		os.Exit(1)
	}
}

// Finish closes a soak the way the soakkit command does: the summary files,
// the HTML report and a manifest covering them, and the exit status (0
// only for a pass, 130 after Ctrl+C). (Compile-only: it runs for an hour.)
func ExampleFinish() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := soak.Config{Duration: artifact.Duration(time.Hour), ArtifactsDir: "artifacts"}
	test := step.Command{Name: "e2e", Argv: []string{"go", "test", "./e2e"}, Timeout: 5 * time.Minute}
	s, err := soak.New(cfg, &soak.Iteration{Sections: soak.Sections(test.Step())})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out, err := s.Run(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	sum, code, err := soak.Finish(s.Layout(), nil, out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	if sum != nil {
		fmt.Println(sum.Verdict.Status, "-", sum.Verdict.Reason)
		if err := sum.WriteGitHubStepSummary(); err != nil { // a no-op outside GitHub Actions
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}
