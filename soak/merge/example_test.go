package merge_test

import (
	"context"
	"fmt"
	"os"

	"github.com/soakkit/soakkit/soak/merge"
)

// Merge the artifacts of a CI matrix, downloaded one folder per runner
// into "downloaded", and exit with the merged verdict's status.
func ExampleWrite() {
	s, err := merge.Write(context.Background(), "merged", []string{"downloaded"}, nil)
	if err != nil && s == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, r := range s.Runners {
		fmt.Printf("%s (%s/%s): %s\n", r.Name, r.OS, r.Arch, r.Verdict)
	}
	for _, c := range s.CrossRunner {
		fmt.Println(c.Sentence())
	}
	os.Exit(s.ExitCode())
}
