package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/soak/artifact"
)

// Defaults for the zero fields of Config.
const (
	DefaultEvery   = 30 * time.Minute
	DefaultTimeout = 10 * time.Second
	DefaultRetries = 3
	// DefaultTelegramAPI is the Telegram Bot API root.
	DefaultTelegramAPI = "https://api.telegram.org"
	// Default environment variables holding the secrets.
	DefaultSlackURLEnv      = "SLACK_WEBHOOK_URL"
	DefaultTelegramTokenEnv = "TELEGRAM_BOT_TOKEN"
	DefaultTelegramChatEnv  = "TELEGRAM_CHAT_ID"
)

// A Config is the notify section of a config file: which notifiers, how
// often and how hard to try. The zero value of each optional field selects
// its default; a Config with no notifier is valid and sends nothing. Field
// names are snake_case in JSON and YAML.
type Config struct {
	Webhook  *WebhookConfig  `json:"webhook,omitempty" yaml:"webhook,omitempty"`
	Slack    *SlackConfig    `json:"slack,omitempty" yaml:"slack,omitempty"`
	Telegram *TelegramConfig `json:"telegram,omitempty" yaml:"telegram,omitempty"`
	// Every is the least time between two failure alerts after the first.
	// Default: 30m.
	Every artifact.Duration `json:"every,omitempty" yaml:"every,omitempty"`
	// Timeout bounds each HTTP attempt. Default: 10s.
	Timeout artifact.Duration `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	// Retries is the number of extra attempts after a failed one.
	// Default: 3; negative: no retry.
	Retries int `json:"retries,omitempty" yaml:"retries,omitempty"`
	// Link is added to every message, e.g. the CI run's URL.
	Link string `json:"link,omitempty" yaml:"link,omitempty"`
}

// A WebhookConfig posts each Message as canonical JSON to a URL.
type WebhookConfig struct {
	// URL is the endpoint; URLEnv names an environment variable holding it
	// instead, for URLs that embed a secret. Exactly one must be set.
	URL    string `json:"url,omitempty" yaml:"url,omitempty"`
	URLEnv string `json:"url_env,omitempty" yaml:"url_env,omitempty"`
	// TokenEnv names an environment variable holding a bearer token sent
	// as "Authorization: Bearer <token>" (optional).
	TokenEnv string `json:"token_env,omitempty" yaml:"token_env,omitempty"`
}

// A SlackConfig posts to a Slack incoming webhook, whose URL is a secret.
type SlackConfig struct {
	URLEnv string `json:"url_env,omitempty" yaml:"url_env,omitempty"` // default SLACK_WEBHOOK_URL
}

// A TelegramConfig sends through a Telegram bot's sendMessage method.
type TelegramConfig struct {
	TokenEnv  string `json:"token_env,omitempty" yaml:"token_env,omitempty"`     // default TELEGRAM_BOT_TOKEN
	ChatID    string `json:"chat_id,omitempty" yaml:"chat_id,omitempty"`         // or ChatIDEnv
	ChatIDEnv string `json:"chat_id_env,omitempty" yaml:"chat_id_env,omitempty"` // default TELEGRAM_CHAT_ID
	APIURL    string `json:"api_url,omitempty" yaml:"api_url,omitempty"`         // default https://api.telegram.org
}

// ErrNoSecret is wrapped by the error New returns when an environment
// variable that should hold a secret is unset or empty.
var ErrNoSecret = errors.New("notify: secret not set")

// A Kind says why a Message was sent.
type Kind string

// Message kinds.
const (
	KindFailure Kind = "failure" // an iteration failed
	KindEnd     Kind = "end"     // the run ended; Status is its verdict
)

// A Message is one alert. Webhooks receive it as JSON; Slack and Telegram
// receive its Text.
type Message struct {
	Kind      Kind            `json:"kind"`
	Status    string          `json:"status"` // the iteration's status, or the run's verdict
	Iteration int             `json:"iteration,omitempty"`
	Counts    artifact.Counts `json:"counts"`
	// Suppressed counts the failures since the previous alert that were
	// not alerted on their own.
	Suppressed int       `json:"suppressed,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Link       string    `json:"link,omitempty"`
	Time       time.Time `json:"time"`
	Text       string    `json:"text"` // the human-readable message
}

// A Notifier sends one message once; the Alerter adds the timeout and the
// retries. *Webhook, *Slack and *Telegram are the implementations.
type Notifier interface {
	// Name names the notifier in errors and logs; it never holds a secret.
	Name() string
	// Request builds the HTTP request for m.
	Request(ctx context.Context, m *Message) (*http.Request, error)
	// Secrets are the values to scrub from every error.
	Secrets() []string
}

// Webhook is the generic JSON webhook notifier.
type Webhook struct {
	url, token string
}

// Slack is the Slack incoming-webhook notifier.
type Slack struct{ url string }

// Telegram is the Telegram bot notifier.
type Telegram struct{ api, token, chat string }

var (
	_ Notifier = (*Webhook)(nil)
	_ Notifier = (*Slack)(nil)
	_ Notifier = (*Telegram)(nil)
)

// Name implements Notifier.
func (w *Webhook) Name() string { return "webhook" }

// Secrets implements Notifier.
func (w *Webhook) Secrets() []string { return []string{w.url, w.token} }

// Request implements Notifier: a POST of m as canonical JSON.
func (w *Webhook) Request(ctx context.Context, m *Message) (*http.Request, error) {
	body, err := canonjson.Marshal(m)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("bad URL")
	}
	req.Header.Set("Content-Type", "application/json")
	if w.token != "" {
		req.Header.Set("Authorization", "Bearer "+w.token)
	}
	return req, nil
}

// Name implements Notifier.
func (s *Slack) Name() string { return "slack" }

// Secrets implements Notifier.
func (s *Slack) Secrets() []string { return []string{s.url} }

// Request implements Notifier: {"text": …}.
func (s *Slack) Request(ctx context.Context, m *Message) (*http.Request, error) {
	body, err := canonjson.Marshal(map[string]string{"text": m.Text})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("bad URL")
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// Name implements Notifier.
func (t *Telegram) Name() string { return "telegram" }

// Secrets implements Notifier.
func (t *Telegram) Secrets() []string { return []string{t.token} }

// telegramMax is the longest text sendMessage accepts.
const telegramMax = 4096

// Request implements Notifier: sendMessage with chat_id and text.
func (t *Telegram) Request(ctx context.Context, m *Message) (*http.Request, error) {
	text := m.Text
	if r := []rune(text); len(r) > telegramMax {
		text = string(r[:telegramMax-1]) + "…"
	}
	body, err := canonjson.Marshal(map[string]any{"chat_id": t.chat, "text": text, "disable_web_page_preview": true})
	if err != nil {
		return nil, err
	}
	u := strings.TrimRight(t.api, "/") + "/bot" + t.token + "/sendMessage"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("bad API URL")
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// Validate reports every bad field of c, joined.
func (c *Config) Validate() error {
	var errs []error
	if w := c.Webhook; w != nil && (w.URL == "") == (w.URLEnv == "") {
		errs = append(errs, errors.New("notify: webhook: exactly one of url and url_env must be set"))
	}
	if w := c.Webhook; w != nil && w.URL != "" {
		if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("notify: webhook: url must be an http or https URL"))
		}
	}
	if c.Every < 0 || c.Timeout < 0 {
		errs = append(errs, errors.New("notify: every and timeout must not be negative"))
	}
	return errors.Join(errs...)
}

// notifiers builds the configured notifiers, reading their secrets with
// getenv.
func (c *Config) notifiers(getenv func(string) string) ([]Notifier, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	secret := func(who, name string) (string, error) {
		v := getenv(name)
		if v == "" {
			return "", fmt.Errorf("%w: %s: environment variable %s is empty", ErrNoSecret, who, name)
		}
		return v, nil
	}
	var ns []Notifier
	var errs []error
	if w := c.Webhook; w != nil {
		n := &Webhook{url: w.URL}
		var err error
		if w.URLEnv != "" {
			if n.url, err = secret("webhook", w.URLEnv); err != nil {
				errs = append(errs, err)
			}
		}
		if w.TokenEnv != "" {
			if n.token, err = secret("webhook", w.TokenEnv); err != nil {
				errs = append(errs, err)
			}
		}
		ns = append(ns, n)
	}
	if s := c.Slack; s != nil {
		env := s.URLEnv
		if env == "" {
			env = DefaultSlackURLEnv
		}
		u, err := secret("slack", env)
		if err != nil {
			errs = append(errs, err)
		}
		ns = append(ns, &Slack{url: u})
	}
	if t := c.Telegram; t != nil {
		n := &Telegram{api: t.APIURL, chat: t.ChatID}
		if n.api == "" {
			n.api = DefaultTelegramAPI
		}
		env := t.TokenEnv
		if env == "" {
			env = DefaultTelegramTokenEnv
		}
		var err error
		if n.token, err = secret("telegram", env); err != nil {
			errs = append(errs, err)
		}
		if n.chat == "" {
			env := t.ChatIDEnv
			if env == "" {
				env = DefaultTelegramChatEnv
			}
			if n.chat, err = secret("telegram chat id", env); err != nil {
				errs = append(errs, err)
			}
		}
		ns = append(ns, n)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ns, nil
}

// sender delivers one message through one notifier with a timeout per
// attempt and retries with backoff.
type sender struct {
	client  *http.Client
	timeout time.Duration
	retries int
	backoff time.Duration // first pause; doubled each time, at most maxBackoff
	logger  *slog.Logger
}

const maxBackoff = 30 * time.Second

// A SendError reports a message that could not be delivered after every
// attempt. It never holds a secret.
type SendError struct {
	Notifier string
	Attempts int
	Status   int // the last HTTP status, 0 if there was no response
	Err      error
}

// Error names the notifier, the attempts and the last problem.
func (e *SendError) Error() string {
	return fmt.Sprintf("notify: %s: %d attempts: %v", e.Notifier, e.Attempts, e.Err)
}

// Unwrap returns the last problem.
func (e *SendError) Unwrap() error { return e.Err }

func (s *sender) send(ctx context.Context, n Notifier, m *Message) error {
	attempts := 1 + max(s.retries, 0)
	var last error
	status := 0
	for i := range attempts {
		if i > 0 {
			wait := min(s.backoff<<(i-1), maxBackoff)
			wait += time.Duration(rand.Int64N(int64(wait)/5 + 1)) // up to 20 % jitter
			if ra, ok := last.(retryAfter); ok {
				wait = max(wait, min(time.Duration(ra), maxBackoff))
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return &SendError{Notifier: n.Name(), Attempts: i, Status: status, Err: scrub(n, fmt.Errorf("%v (gave up: %v)", last, context.Cause(ctx)))}
			case <-t.C:
			}
		}
		var retry bool
		status, retry, last = s.attempt(ctx, n, m)
		if last == nil {
			return nil
		}
		s.logger.Warn("alert not delivered", "notifier", n.Name(), "attempt", i+1, "of", attempts, "err", scrub(n, last).Error())
		if !retry {
			return &SendError{Notifier: n.Name(), Attempts: i + 1, Status: status, Err: scrub(n, last)}
		}
	}
	return &SendError{Notifier: n.Name(), Attempts: attempts, Status: status, Err: scrub(n, last)}
}

// retryAfter is an error carrying a 429's Retry-After.
type retryAfter time.Duration

func (r retryAfter) Error() string {
	return fmt.Sprintf("HTTP 429 Too Many Requests (retry after %s)", time.Duration(r))
}

// attempt makes one request and says whether a failure is worth a retry.
func (s *sender) attempt(ctx context.Context, n Notifier, m *Message) (status int, retry bool, err error) {
	actx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := n.Request(actx, m)
	if err != nil {
		return 0, false, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		// A *url.Error holds the URL, which may hold the secret: keep only
		// the operation and the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
		}
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("no response within %s", s.timeout)
		}
		return 0, ctx.Err() == nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode/100 == 2:
		return resp.StatusCode, false, nil
	case resp.StatusCode == http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
		return resp.StatusCode, true, retryAfter(time.Duration(max(secs, 0)) * time.Second)
	}
	err = fmt.Errorf("HTTP %s: %s", resp.Status, strings.TrimSpace(string(bytes.ToValidUTF8(body, nil))))
	return resp.StatusCode, resp.StatusCode >= 500, err
}

// scrub removes n's secrets from err's text.
func scrub(n Notifier, err error) error {
	msg := err.Error()
	clean := msg
	for _, s := range n.Secrets() {
		if len(s) >= 4 {
			clean = strings.ReplaceAll(clean, s, "[REDACTED]")
			clean = strings.ReplaceAll(clean, url.PathEscape(s), "[REDACTED]")
		}
	}
	if clean == msg {
		return err
	}
	return errors.New(clean)
}

func env() func(string) string { return os.Getenv }
