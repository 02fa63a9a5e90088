package python

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/lint/config"
)

var update = flag.Bool("update", false, "rewrite golden files")

func render(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%d:%d: %s [%s]\n", f.Line, f.Col, f.Message, f.Rule)
	}
	return b.String()
}

// TestGolden lints each testdata/rules/*.py and compares the findings with
// its .golden file (go test -update rewrites them).
func TestGolden(t *testing.T) {
	cfgs := map[string]string{
		"compat.py": "compat:\n  file_level_exemption: true\n",
		"labels.py": "profile: trading\n",
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.py"))
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg := config.Default()
			if y, ok := cfgs[filepath.Base(path)]; ok {
				if cfg, err = config.Parse("t.yaml", []byte(y)); err != nil {
					t.Fatal(err)
				}
			}
			got := render(Check(src, Options{Config: cfg}))
			golden := strings.TrimSuffix(path, ".py") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Check(%s) mismatch (-want +got):\n%s", path, diff)
			}
		})
	}
}
