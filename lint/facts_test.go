package lint_test

import (
	"context"
	"strings"
	"testing"

	"github.com/soakkit/soakkit/lint"
)

// TestRunAcrossPackages checks that the standalone runner carries
// metriclabels facts from a declaring package to a using one.
func TestRunAcrossPackages(t *testing.T) {
	skipWithoutGoUnderWine(t)
	opts := gopathOptions(t)
	opts.Analyzers = []string{"metriclabels"}
	for _, targets := range [][]string{{"./metriclabels/uses"}, {"./metriclabels/defs", "./metriclabels/uses"}} {
		rep, err := lint.Run(context.Background(), opts, targets...)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range rep.Findings {
			if strings.HasPrefix(f.Path, "metriclabels/uses/") && (f.Rule == "metriclabels/arity" || f.Rule == "metriclabels/undeclared" || f.Rule == "metriclabels/missing") {
				n++
			}
		}
		if n != 4 {
			t.Errorf("Run(%v): %d cross-package findings in uses, want 4; findings: %v", targets, n, rep.Findings)
		}
	}
}
