package lint_test

import (
	"context"
	"fmt"
	"os"

	"github.com/soakkit/soakkit/lint"
	"github.com/soakkit/soakkit/lint/config"
)

func ExampleWrite() {
	rep := &lint.Report{Files: 1, Findings: []lint.Finding{{
		Path: "metrics/exporter.go", Line: 12, Col: 40, Rule: "metriclabels/not-allowed",
		Severity: config.SeverityError, Message: `label "tenant" is not in the allowlist (metric "orders_total")`,
	}}}
	lint.Write(os.Stdout, rep, lint.FormatText)
	lint.Write(os.Stdout, rep, lint.FormatGitHub)
	fmt.Println("exit", rep.ExitCode(""))
	// Output:
	// metrics/exporter.go:12:40: error: label "tenant" is not in the allowlist (metric "orders_total") [metriclabels/not-allowed]
	// ::error file=metrics/exporter.go,line=12,col=40,title=metriclabels/not-allowed::label "tenant" is not in the allowlist (metric "orders_total")
	// exit 1
}

// The library entry point of `soakkit lint`: load the configuration, run,
// write, exit with the documented code.
func ExampleRun() {
	cfg, err := config.Load("lint.yaml")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(lint.ExitError)
	}
	rep, err := lint.Run(context.Background(), lint.Options{Config: cfg}, "./...")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(lint.ExitError)
	}
	lint.Write(os.Stdout, rep, lint.FormatText)
	os.Exit(rep.ExitCode(""))
}
