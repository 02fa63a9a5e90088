package python_test

import (
	"fmt"

	"github.com/soakkit/soakkit/lint/python"
)

func ExampleCheck() {
	src := []byte(`import json as j
from prometheus_client import Counter

REQS = Counter("reqs", "Requests.", ["env", "tenant_id"])
s = "REQS.labels(user=1)"  # strings and comments are not code

def save(path, v):
    with open(path, "w") as f:
        j.dump(v, f)
`)
	for _, f := range python.Check(src, python.Options{}) {
		fmt.Printf("%d:%d: %s [%s]\n", f.Line, f.Col, f.Message, f.Rule)
	}
	// Output:
	// 4:45: label "tenant_id" looks unbounded (identifiers): each value is a new series (metric "reqs") [py-metriclabels/unbounded-name]
	// 9:9: j.dump writes a JSON file non-atomically; use write_json_atomic() [py-jsonwrite/json-dump]
}

func ExampleTokenize() {
	for _, t := range python.Tokenize([]byte(`f"{d["k"]}"  # PEP 701` + "\n")) {
		fmt.Printf("%v %q\n", t.Kind, t.Text)
	}
	// Output:
	// STRING "f\"{d[\"k\"]}\""
	// COMMENT "# PEP 701"
	// NEWLINE "\n"
	// ENDMARKER ""
}
