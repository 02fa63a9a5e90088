package config_test

import (
	"fmt"

	"github.com/soakkit/soakkit/lint/config"
)

func ExampleParse() {
	cfg, err := config.Parse("lint.yaml", []byte(`
metrics:
  labels:
    allow: [env, tenant]
rules:
  metricnames/unit-abbrev: off
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Metrics.Labels.Allow, cfg.Severity("metricnames/unit-abbrev", config.SeverityWarning))
	_, err = config.Parse("lint.yaml", []byte("metrics:\n  lables: {}\n"))
	fmt.Println(err)
	// Output:
	// [env tenant] off
	// lint.yaml:2: metrics.lables: unknown field
}
