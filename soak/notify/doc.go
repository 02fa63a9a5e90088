// Package notify delivers a soak's alerts: a generic JSON webhook, a Slack
// incoming webhook and a Telegram bot, on failure (the first failed
// iteration at once, then at most one alert per [Config.Every], each saying
// how many failures it stands for) and at the end of the run with its
// verdict.
//
// Every request has a timeout and is retried with exponential backoff on
// network errors, 5xx and 429 responses (honouring Retry-After); other 4xx
// responses are not retried. Secrets — the Telegram bot token, the Slack
// webhook URL, a webhook URL or bearer token — are read from environment
// variables named in the [Config], never from the config itself, and are
// never logged or put in an error: errors name the notifier and what went
// wrong, not the URL.
//
// An [Alerter] is fed by the soak: its [Alerter.Iteration] method, called
// from a soak.WithProgress hook, never blocks (deliveries happen on one
// background goroutine), and [Alerter.End] sends the final verdict and
// waits for every delivery. [Alerter.Close] ends the background goroutine.
//
// # What it does not do
//
// It does not decide the verdict (see soak/summary), keep state across
// process restarts (a resumed soak alerts on its next failure again), or
// guarantee delivery: an alert that still fails after its retries is
// logged and reported by End, and the soak goes on.
package notify
