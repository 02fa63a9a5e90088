package canonjson_test

import (
	"strings"
	"testing"

	"github.com/soakkit/soakkit/internal/canonjson"
	_ "github.com/soakkit/soakkit/secrets" // installs the redaction boundary
)

// Every string of a value passes the redaction boundary: values, keys,
// argv-like arrays and members named like secrets.
func TestMarshalRedacts(t *testing.T) {
	const v = "q8Zr4mWv2Lp7Nx" // generated test value, not a credential
	type rec struct {
		Argv []string          `json:"argv"`
		Env  map[string]string `json:"env"`
		Tail string            `json:"tail"`
		Nums []int             `json:"nums"`
	}
	in := rec{
		Argv: []string{"svc", "--token", v, "--port", "8080"},
		Env:  map[string]string{"API_TOKEN": v, "CALLBACK": "https://deploy:" + v + "@example.com/x", "HOME": "/home/ci"},
		Tail: "first\\nrun --password=" + v,
		Nums: []int{1, 2},
	}
	b, err := canonjson.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), v) {
		t.Errorf("Marshal leaks %q: %s", v, b)
	}
	for _, keep := range []string{`"--port","8080"`, `"HOME":"/home/ci"`, `"nums":[1,2]`} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("Marshal lost %s: %s", keep, b)
		}
	}
}
