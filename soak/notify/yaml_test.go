package notify

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/soakkit/soakkit/internal/strictyaml"
	"github.com/soakkit/soakkit/soak/artifact"
)

// The config file form of a Config, as the soakkit command decodes it.
func TestConfigYAML(t *testing.T) {
	const doc = `
webhook: {url: "https://hooks.example/soak", token_env: HOOK_TOKEN}
slack: {}
telegram: {chat_id: "-1001"}
every: 15m
timeout: 5s
retries: 2
link: https://ci.example/run/1
`
	var got Config
	if err := strictyaml.Decode("soakkit.yaml", []byte(doc), &got); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := Config{
		Webhook:  &WebhookConfig{URL: "https://hooks.example/soak", TokenEnv: "HOOK_TOKEN"},
		Slack:    &SlackConfig{},
		Telegram: &TelegramConfig{ChatID: "-1001"},
		Every:    artifact.Duration(15 * time.Minute), Timeout: artifact.Duration(5 * time.Second), Retries: 2,
		Link: "https://ci.example/run/1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded Config mismatch (-want +got):\n%s", diff)
	}
	if err := strictyaml.Decode("soakkit.yaml", []byte("telegram: {token: abc}\n"), &got); err == nil {
		t.Error("Decode accepted a token in the config file (unknown key token)")
	}
}
