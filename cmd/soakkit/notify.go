package main

import (
	"fmt"
	"strings"

	"github.com/soakkit/soakkit/soak/notify"
)

// enabledNotify returns cfg without the notifiers whose environment
// variables are unset or empty, and a note for each one it leaves out. An
// unset variable disables its notifier; it never fails a command: the same
// soakkit.yaml runs in CI, where the secrets are set, and on a laptop,
// where they are not, and says so. validate and soak print the same notes.
func enabledNotify(cfg notify.Config, getenv func(string) string) (notify.Config, []string) {
	var notes []string
	unset := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if n != "" && getenv(n) == "" {
				out = append(out, n)
			}
		}
		return out
	}
	note := func(who string, vars []string) {
		verb := "is"
		if len(vars) > 1 {
			verb = "are"
		}
		notes = append(notes, fmt.Sprintf("notify: %s disabled: %s %s not set", who, strings.Join(vars, " and "), verb))
	}
	if w := cfg.Webhook; w != nil {
		if vars := unset(w.URLEnv, w.TokenEnv); len(vars) > 0 {
			note("webhook", vars)
			cfg.Webhook = nil
		}
	}
	if s := cfg.Slack; s != nil {
		if vars := unset(or(s.URLEnv, notify.DefaultSlackURLEnv)); len(vars) > 0 {
			note("slack", vars)
			cfg.Slack = nil
		}
	}
	if t := cfg.Telegram; t != nil {
		chat := ""
		if t.ChatID == "" {
			chat = or(t.ChatIDEnv, notify.DefaultTelegramChatEnv)
		}
		if vars := unset(or(t.TokenEnv, notify.DefaultTelegramTokenEnv), chat); len(vars) > 0 {
			note("telegram", vars)
			cfg.Telegram = nil
		}
	}
	return cfg, notes
}

func or(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
