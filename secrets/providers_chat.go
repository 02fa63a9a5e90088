package secrets

import (
	"encoding/base64"
	"strings"
)

// Chat, e-mail, SMS and customer-messaging services.
var chatRules = []Rule{
	{ID: "slack-legacy-token", Description: "Slack legacy workspace or user token", Keywords: []string{"xoxo-"}, match: matchSlackToken, prefix: 5},
	{ID: "slack-legacy-bot-token", Description: "Slack legacy bot token (xoxb-<id>-<secret>)", Keywords: []string{"xoxb-"}, match: matchSlackLegacyBot, prefix: 5},
	{ID: "slack-legacy-workspace-token", Description: "Slack legacy workspace or refresh token", Keywords: []string{"xoxa-", "xoxr-"}, match: matchSlackLegacyWorkspace, prefix: 5},
	{ID: "slack-config-refresh-token", Description: "Slack app configuration refresh token", Keywords: []string{"xoxe-"}, match: matchSlackRefresh, prefix: 5},
	{ID: "slack-config-access-token", Description: "Slack app configuration access or refresh token", Keywords: []string{"xoxe.xoxp-", "xoxe.xoxb-"}, match: matchSlackConfig, prefix: 10},
	provider("discord-api-token", "Discord application API key", []string{"discord"}, hexN(64)),
	provider("discord-client-id", "Discord application client ID", []string{"discord"}, valueSpec{c: clsDigit, min: 17, max: 20}.key(idOrCredential...)),
	provider("discord-client-secret", "Discord OAuth client secret", []string{"discord"}, valueSpec{c: clsB64URL, min: 32, max: 32, minH: 3}.key("secret", "token")),
	provider("discord-bot-token", "Discord bot token (base64 user id, timestamp, HMAC)", []string{"discord"}, valueSpec{c: mkclass("a-zA-Z0-9._-"), min: 59, max: 80, check: discordBot}),
	{ID: "microsoft-teams-webhook", Description: "Microsoft Teams incoming webhook URL", Keywords: []string{".webhook.office.com/webhookb2/"}, match: matchTeamsWebhook},
	provider("mattermost-access-token", "Mattermost access token", []string{"mattermost"}, valueSpec{c: clsLowerNum, min: 26, max: 26, minH: 3}),
	{ID: "twilio-api-key", Description: "Twilio API key SID", Keywords: []string{"SK"}, match: matchTwilio, prefix: 2},
	provider("twilio-auth-token", "Twilio auth token", []string{"twilio"}, hexN(32).key("token", "secret", "auth")),
	{ID: "sendinblue-api-token", Description: "Brevo (Sendinblue) API or SMTP key", Keywords: []string{"xkeysib-", "xsmtpsib-"}, match: either(
		segs("xkeysib-", '-', clsAlnum, [2]int{64, 64}, [2]int{16, 16}),
		segs("xsmtpsib-", '-', clsAlnum, [2]int{64, 64}, [2]int{16, 16})), prefix: 8},
	provider("mailgun-private-api-token", "Mailgun private API key", []string{"mailgun"}, valueSpec{c: mkclass("a-z0-9-"), min: 36, max: 36, check: func(s string) bool {
		return strings.HasPrefix(s, "key-") && run([]byte(s), 4, clsLowerHex, 33) == 36
	}}),
	provider("mailgun-pub-key", "Mailgun public validation key", []string{"mailgun"}, valueSpec{c: mkclass("a-z0-9-"), min: 39, max: 39, check: func(s string) bool {
		return strings.HasPrefix(s, "pubkey-") && run([]byte(s), 7, clsLowerHex, 33) == 39
	}}),
	provider("mailgun-signing-key", "Mailgun webhook signing key", []string{"mailgun"}, valueSpec{c: mkclass("a-h0-9-"), min: 50, max: 50, check: func(s string) bool {
		return s[32] == '-' && s[41] == '-' && strings.Count(s, "-") == 2
	}}),
	{ID: "mailchimp-api-key", Description: "Mailchimp API key (32 hex and a data-center suffix)", Keywords: []string{"-us"}, match: matchMailchimp},
	provider("messagebird-api-token", "MessageBird (Bird) API key", []string{"messagebird", "message_bird", "message-bird"}, alnumN(25)),
	provider("messagebird-client-id", "MessageBird (Bird) client ID", []string{"messagebird", "message_bird", "message-bird"}, valueSpec{c: mkclass("0-9a-fA-F-"), min: 36, max: 36, check: isUUID, keyAny: []string{"clientid", "token", "key"}}),
	provider("sendbird-access-id", "Sendbird application ID", []string{"sendbird"}, valueSpec{c: mkclass("0-9a-fA-F-"), min: 36, max: 36, check: isUUID, keyAny: []string{"appid", "accessid", "applicationid", "token"}}),
	provider("sendbird-access-token", "Sendbird API token", []string{"sendbird"}, hexN(40)),
	provider("intercom-api-key", "Intercom access token", []string{"intercom"}, valueSpec{c: clsB64URLP, min: 60, max: 60, minH: 3.5}),
	provider("zendesk-secret-key", "Zendesk API token", []string{"zendesk"}, alnumN(40)),
	provider("twitch-api-token", "Twitch API client secret or token", []string{"twitch"}, valueSpec{c: clsLowerNum, min: 30, max: 30, minH: 3}),
	provider("twitter-api-key", "Twitter (X) API key", []string{"twitter"}, alnumN(25)),
	provider("twitter-api-secret", "Twitter (X) API key secret", []string{"twitter"}, alnumN(50)),
	provider("twitter-access-token", "Twitter (X) user access token", []string{"twitter"}, valueSpec{c: mkclass("a-zA-Z0-9-"), min: 36, max: 66, check: func(s string) bool {
		d := strings.IndexByte(s, '-')
		return d >= 15 && d <= 25 && strings.Trim(s[:d], "0123456789") == "" && len(s)-d-1 >= 20 && len(s)-d-1 <= 40 && strings.Count(s, "-") == 1
	}}),
	provider("twitter-access-secret", "Twitter (X) user access token secret", []string{"twitter"}, alnumN(45)),
	{ID: "twitter-bearer-token", Description: "Twitter (X) app-only bearer token", Keywords: []string{"AAAAAAAAAAAAAAAAAAAAA"}, match: matchTwitterBearer},
	{ID: "facebook-page-access-token", Description: "Facebook Graph API user or page access token", Keywords: []string{"EAACEdEose0cBA", "EAAB", "EAAG", "EAAM"}, match: matchFacebook, prefix: 4},
	{ID: "facebook-access-token", Description: "Facebook app access token (app id|app secret)", Keywords: []string{"facebook"}, match: either(named(facebookApp), near(facebookApp))},
	provider("facebook-secret", "Facebook app secret", []string{"facebook"}, hexN(32)),
}

// facebookApp is an app access token: the app's ID (15 or 16 digits), '|',
// and the app secret (32 hex) or a signature (27 base64url characters),
// as the Graph API documents and issues them.
var facebookApp = valueSpec{c: mkclass("a-zA-Z0-9|_-"), min: 43, max: 49, check: func(s string) bool {
	d := strings.IndexByte(s, '|')
	if d != 15 && d != 16 || strings.Trim(s[:d], "0123456789") != "" {
		return false
	}
	sec := s[d+1:]
	return len(sec) == 27 && run([]byte(sec), 0, clsB64URL, 27) == 27 || len(sec) == 32 && isHex(sec)
}}

func matchSlackLegacyBot(b []byte, i, j int) (span, bool) {
	// xoxb-<8 to 14 digits>-<18 to 26 alphanumerics>: one dash in the body.
	if string(b[i:j]) != "xoxb-" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	d := run(b, j, clsDigit, 15)
	if n := d - j; n < 8 || n > 14 || at(b, d) != '-' {
		return span{}, false
	}
	e := run(b, d+1, clsAlnum, 27)
	if n := e - (d + 1); n < 18 || n > 26 || clsSlackTok[at(b, e)] || !tokenish(string(b[d+1:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

func matchSlackLegacyWorkspace(b []byte, i, j int) (span, bool) {
	// xoxa-[<digit>-]<8 to 48 alphanumerics>, xoxr-…, or the OAuth form
	// xoxa-2-<id>-<id>[-<id>]-<16 to 64 alphanumerics>.
	if (string(b[i:j]) != "xoxa-" && string(b[i:j]) != "xoxr-") || contBefore(b, i, clsWord) {
		return span{}, false
	}
	k := j
	if clsDigit[at(b, k)] && at(b, k+1) == '-' {
		k += 2
	}
	// The OAuth form: numeric IDs (workspace, user, …) separated by '-',
	// then the random part, which alone must look random.
	ids := 0
	for {
		d := run(b, k, clsDigit, 16)
		if d-k < 6 || at(b, d) != '-' {
			break
		}
		k = d + 1
		ids++
	}
	if ids > 0 {
		e := run(b, k, clsAlnum, 65)
		if n := e - k; ids < 2 || n < 16 || n > 64 || clsSlackTok[at(b, e)] || !tokenish(string(b[k:e])) || entropy(string(b[k:e])) < 3 {
			return span{}, false
		}
		return whole(i, e), true
	}
	e := run(b, k, clsAlnum, 49)
	if n := e - k; n < 8 || n > 48 || clsSlackTok[at(b, e)] || !tokenish(string(b[k:e])) || entropy(string(b[k:e])) < 3 {
		return span{}, false
	}
	return whole(i, e), true
}

func matchSlackRefresh(b []byte, i, j int) (span, bool) {
	// xoxe-<digit>-<about 146 alphanumerics>
	if string(b[i:j]) != "xoxe-" || contBefore(b, i, clsWord) || !clsDigit[at(b, j)] || at(b, j+1) != '-' {
		return span{}, false
	}
	e := run(b, j+2, clsAlnum, 201)
	if n := e - (j + 2); n < 100 || n > 200 || clsSlackTok[at(b, e)] || !tokenish(string(b[j+2:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

func matchSlackConfig(b []byte, i, j int) (span, bool) {
	// xoxe.xoxp-1-<…> or xoxe.xoxb-1-<…>: a long dash-separated token.
	if contBefore(b, i, clsWord) || !strings.HasPrefix(string(b[i:j]), "xoxe.xox") {
		return span{}, false
	}
	e := run(b, j, clsSlackTok, 400)
	body := string(b[j:e])
	if len(body) < 100 || !clsDigit[at(b, j)] || !tokenish(body) {
		return span{}, false
	}
	return whole(i, e), true
}

// discordBot checks a Discord bot token's structure: the first segment is
// the base64 of the bot's numeric user id (a snowflake).
func discordBot(s string) bool {
	p := strings.Split(s, ".")
	if len(p) != 3 || len(p[0]) < 23 || len(p[0]) > 28 || len(p[1]) != 6 || len(p[2]) < 27 || len(p[2]) > 40 {
		return false
	}
	id, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p[0], "="))
	if err != nil {
		id, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(p[0], "="))
	}
	return err == nil && len(id) >= 17 && strings.Trim(string(id), "0123456789") == ""
}

var clsURLPath = mkclass("a-zA-Z0-9@/._~%-")

func matchTeamsWebhook(b []byte, i, j int) (span, bool) {
	// https://<tenant>.webhook.office.com/webhookb2/<uuid>@<uuid>/IncomingWebhook/<32 hex>/<uuid>[/<key>]
	s := runBack(b, i, mkclass("a-zA-Z0-9-"), 64)
	if !strings.HasSuffix(string(b[max(0, s-8):s]), "https://") {
		return span{}, false
	}
	s -= 8
	e := run(b, j, clsURLPath, 400)
	parts := strings.Split(string(b[j:e]), "/")
	if len(parts) < 4 || parts[1] != "IncomingWebhook" || len(parts[2]) != 32 || run([]byte(parts[2]), 0, clsHex, 33) != 32 || !tokenish(parts[2]) {
		return span{}, false
	}
	ids := strings.Split(parts[0], "@")
	if len(ids) != 2 || !isUUID(ids[0]) || !isUUID(ids[1]) || !isUUID(parts[3]) {
		return span{}, false
	}
	return span{s, e, s, e}, true
}

func matchTwilio(b []byte, i, j int) (span, bool) {
	// SK + 32 lower-case hex.
	if b[i] != 'S' || b[i+1] != 'K' || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsLowerHex, 33)
	if e-j != 32 || clsWord[at(b, e)] || !tokenish(string(b[j:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

func matchMailchimp(b []byte, i, j int) (span, bool) {
	// <32 hex>-us<1 or 2 digits>
	if string(b[i:j]) != "-us" {
		return span{}, false
	}
	s := runBack(b, i, clsLowerHex, 33)
	e := run(b, j, clsDigit, 3)
	if i-s != 32 || contBefore(b, s, clsWord) || e == j || e-j > 2 || clsWord[at(b, e)] || !tokenish(string(b[s:i])) {
		return span{}, false
	}
	return whole(s, e), true
}

func matchTwitterBearer(b []byte, i, j int) (span, bool) {
	// 22 "A"s, then 80 to 100 characters of [A-Za-z0-9%].
	if string(b[i:j]) != "AAAAAAAAAAAAAAAAAAAAA" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	k := j
	if at(b, k) == 'A' {
		k++
	}
	e := run(b, k, mkclass("a-zA-Z0-9%"), 200)
	if n := e - k; n < 80 || n > 120 || clsWord[at(b, e)] || !tokenish(string(b[k:e])) || entropy(string(b[k:e])) < 4 {
		return span{}, false
	}
	return whole(i, e), true
}

func matchFacebook(b []byte, i, j int) (span, bool) {
	// EAA… Graph API access tokens: EAA, an app-type letter, then 100 or
	// more alphanumerics. EAACEdEose0cBA is the Graph API Explorer's app.
	p := string(b[i:j])
	if !strings.HasPrefix(p, "EAA") || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsAlnum, 600)
	if n := e - i; n < 100 || clsWord[at(b, e)] || !tokenish(string(b[j:e])) || entropy(string(b[j:e])) < 4.5 {
		return span{}, false
	}
	return whole(i, e), true
}
