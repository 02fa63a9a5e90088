package secrets_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/soakkit/soakkit/secrets"
)

// A pull-request check over the commits of a branch: every secret a commit
// of the branch added, even one a later commit removed, fails the check.
// This example is not run: it needs a repository.
func ExampleScanner_ScanHistory() {
	s := &secrets.Scanner{}
	if ig, err := secrets.ReadGitleaksIgnore(".gitleaksignore"); err == nil {
		s.GitleaksIgnore = ig // accepted findings, by gitleaks fingerprint
	}
	rep, err := s.ScanHistory(context.Background(), ".", secrets.History{Range: "origin/main..HEAD"})
	if err != nil {
		log.Fatal(err) // git failed: never a clean report
	}
	for _, f := range rep.Findings {
		// The finding names the commit that introduced the secret.
		fmt.Printf("%s by %s on %s, in %d commit(s)\n", f, f.Author, f.Date, f.Commits)
	}
	rep.Write(os.Stdout, secrets.FormatSARIF)
	fmt.Println(rep.Marker()) // e.g. "| scan_secrets | FAIL | RESULT=FOUND |"
}
