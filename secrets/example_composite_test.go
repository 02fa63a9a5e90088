package secrets_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/soakkit/soakkit/secrets"
)

// A composite rule: a deployment ID is a finding only with a deploy key at
// most two lines away. The key's own rule only serves the composite one.
func ExampleRequired() {
	two := 2
	s := secrets.Scanner{Rules: []secrets.Rule{
		{
			ID:       "deploy-id",
			Keywords: []string{"deploy_id"},
			Regex:    regexp.MustCompile(`deploy_id: (dep-[0-9]{6})`),
			Required: []secrets.Required{{RuleID: "deploy-key", WithinLines: &two}},
		},
		{
			ID:         "deploy-key",
			Keywords:   []string{"deploy_key"},
			Regex:      regexp.MustCompile(`deploy_key: ([a-z]{12})`),
			SkipReport: true,
		},
	}}
	text := `staging:
  deploy_id: dep-100200
  deploy_key: abcdefghijkl
  region: us
production:
  deploy_id: dep-300400
  region: eu
  notes: none
  owner: ops
  deploy_key: mnopqrstuvwx
`
	rep, err := s.ScanReader(context.Background(), "deploy.yaml", strings.NewReader(text))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Findings {
		fmt.Println(f.RuleID, "at line", f.Line)
	}
	// Output: deploy-id at line 2
}
