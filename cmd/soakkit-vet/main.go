package main

import (
	"flag"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/soakkit/soakkit/lint"
)

func main() {
	as := lint.VetAnalyzers()
	flag.Var(lint.ConfigFlag(as), "config", "lint configuration file (YAML, JSON or a label list) for all analyzers")
	multichecker.Main(as...)
}
