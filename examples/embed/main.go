package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/artifact"
	"github.com/soakkit/soakkit/soak/summary"
	"github.com/soakkit/soakkit/step"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	plan := &soak.Iteration{Sections: soak.Sections(
		step.Command{Name: "vet", Argv: []string{"go", "vet", "./step/..."}, Timeout: time.Minute}.Step(),
		step.Func("work", func(ctx context.Context) error { _ = make([]byte, 1<<20); return nil }),
	)}
	cfg := soak.Config{Duration: artifact.Duration(time.Minute), ArtifactsDir: "artifacts/embed"}
	s, err := soak.New(cfg, plan, soak.WithHeartbeat(2*time.Second))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := s.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	sum, err := summary.Write(cfg.ArtifactsDir, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(sum.Verdict.Status, "-", sum.Verdict.Reason)
	os.Exit(sum.ExitCode())
}
