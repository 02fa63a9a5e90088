package promrules

import "github.com/soakkit/soakkit/lint/config"

func configWithPrefix(p string) *config.Config {
	c := config.Default()
	c.Metrics.Names.RequirePrefix = []string{p}
	return c
}
