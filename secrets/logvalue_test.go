package secrets_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/soakkit/soakkit/secrets"
)

// TestLogValueKeysMatchJSON checks that a logged Finding uses the JSON
// field names and values, so logs and reports can be joined on them.
func TestLogValueKeysMatchJSON(t *testing.T) {
	f := secrets.Finding{RuleID: "github-pat", File: "a/b.go", Line: 3, Column: 7,
		Match: "token=ghp_****", Secret: "ghp_not-logged", Fingerprint: "0123abcd",
		Suppressed: secrets.Baselined, Critical: true}
	js, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(js, &fields); err != nil {
		t.Fatal(err)
	}
	attrs := f.LogValue().Group()
	if len(attrs) == 0 {
		t.Fatal("LogValue() has no attributes")
	}
	for _, a := range attrs {
		v, ok := fields[a.Key]
		if !ok {
			t.Errorf("LogValue() key %q is not a JSON field of Finding (JSON: %s)", a.Key, js)
			continue
		}
		if got, want := fmt.Sprint(a.Value.Any()), fmt.Sprint(v); got != want {
			t.Errorf("LogValue() %s = %s, JSON has %s", a.Key, got, want)
		}
	}
}
