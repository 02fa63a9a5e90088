package secrets

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteBaseline writes a baseline that accepts every finding of r that is
// not critical (a secret inside the artifacts directory is never
// accepted), in the text format [ReadBaseline] reads: a header comment,
// then one fingerprint per line, sorted by file and line, each followed by
// a comment with its rule and location. It holds neither secrets nor
// their redacted matches. It returns how many fingerprints it wrote.
func (r *Report) WriteBaseline(w io.Writer) (int, error) {
	type entry struct {
		fp, comment, file string
		line              int
	}
	seen := map[string]bool{}
	var es []entry
	for _, f := range r.Findings {
		if f.Critical || f.Fingerprint == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		loc := fmt.Sprintf("%s:%d", oneLine(f.File), f.Line)
		if f.Commit != "" {
			loc = f.Commit + ":" + loc
		}
		es = append(es, entry{fp: f.Fingerprint, comment: oneLine(f.RuleID) + " " + loc, file: f.File, line: f.Line})
	}
	slices.SortFunc(es, func(a, b entry) int {
		return cmp.Or(strings.Compare(a.file, b.file), cmp.Compare(a.line, b.line), strings.Compare(a.fp, b.fp))
	})
	bw := bufio.NewWriter(w)
	bw.WriteString("# soakkit secrets baseline: the fingerprints of accepted findings, one per line.\n")
	bw.WriteString("# A finding whose fingerprint is listed does not fail a scan; remove a line to\n")
	bw.WriteString("# stop accepting it. Rewrite with: soakkit secrets --write-baseline FILE\n")
	for _, e := range es {
		fmt.Fprintf(bw, "%s  # %s\n", e.fp, e.comment)
	}
	return len(es), bw.Flush()
}
