package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/step"
)

func main() {
	artifacts := flag.String("artifacts", "artifacts/embed", "artifacts directory")
	duration := flag.Duration("duration", time.Minute, "how long to soak")
	count := flag.Int("iterations", 0, "stop after this many iterations (0: no count limit)")
	flag.Parse()
	argv := flag.Args() // the command to soak; default: go vet ./...
	if len(argv) == 0 {
		argv = []string{"go", "vet", "./..."}
	}

	// Ctrl+C or SIGTERM stops the soak; it still writes everything.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	plan := &soak.Iteration{Sections: soak.Sections(
		step.Command{Name: filepath.Base(argv[0]), Argv: argv, Timeout: time.Minute}.Step(),
		step.Func("work", func(ctx context.Context) error { _ = make([]byte, 1<<20); return nil }),
	)}
	cfg := soak.Config{Duration: artifact.Duration(*duration), Count: *count, ArtifactsDir: *artifacts}
	s, err := soak.New(cfg, plan, soak.WithHeartbeat(time.Second))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out, err := s.Run(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		if out == nil {
			os.Exit(2) // it never started
		}
	}
	// Finish judges the artifacts, writes summary.json/.md, junit.xml,
	// report.html and the manifest, and gives the exit status: 0 only for
	// a pass, 130 after Ctrl+C.
	sum, code, err := soak.Finish(s.Layout(), nil, out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	if sum != nil {
		fmt.Println(sum.Verdict.Status, "-", sum.Verdict.Reason)
	}
	os.Exit(code)
}
