package secrets

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// Synthetic token alphabets for the provider samples. Every sample below is
// generated at test time from a fixed seed: none is a real credential.
const (
	aUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	aLower   = "abcdefghijklmnopqrstuvwxyz"
	aDigit   = "0123456789"
	aAlnum   = aUpper + aLower + aDigit
	aHex     = "0123456789abcdef"
	aB64URL  = aAlnum + "-_"
	aB64     = aAlnum + "+/"
	aUpNum   = aUpper + aDigit
	aLowNum  = aLower + aDigit
	aLetters = aUpper + aLower
)

// A provCase is one sample of a provider rule. A positive sample is a key
// and a value (the secret), embedded in every syntax of [syntaxes]; a
// sample with text is scanned as is, and its secret must be found in it.
// A negative sample (neg) must produce no finding at all, unless badSum
// is set: then it is a token whose checksum does not verify, and it must
// produce one finding of its rule, suppressed as [ChecksumMismatch].
type provCase struct {
	rule     string
	key, val string // positive: the secret is val
	text     string // instead of key and val: a whole line; secret is val
	neg      bool
	badSum   bool
}

type sampler struct{ r *rand.Rand }

func (s sampler) str(alpha string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alpha[s.r.IntN(len(alpha))]
	}
	return string(b)
}

func (s sampler) uuid() string {
	return s.str(aHex, 8) + "-" + s.str(aHex, 4) + "-4" + s.str(aHex, 3) + "-a" + s.str(aHex, 3) + "-" + s.str(aHex, 12)
}

// b64NoSym returns the standard base64 of a prefix and random letters,
// redrawn until the encoding has no '+' or '/', for tokens documented as
// alphanumeric.
func (s sampler) b64NoSym(prefix string, n int) string {
	for {
		e := base64.RawStdEncoding.EncodeToString([]byte(prefix + s.str(aAlnum, n)))
		if !strings.ContainsAny(e, "+/") {
			return e
		}
	}
}

// bech32 encodes hrp and 5-bit data with its checksum (BIP 173), upper case.
func bech32Encode(hrp string, data []byte) string {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	step := func(v uint32) {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ v
		for k := 0; k < 5; k++ {
			if top>>k&1 == 1 {
				chk ^= gen[k]
			}
		}
	}
	for k := 0; k < len(hrp); k++ {
		step(uint32(hrp[k]) >> 5)
	}
	step(0)
	for k := 0; k < len(hrp); k++ {
		step(uint32(hrp[k]) & 31)
	}
	for _, d := range data {
		step(uint32(d))
	}
	for range 6 {
		step(0)
	}
	chk ^= 1
	var sb strings.Builder
	sb.WriteString(hrp + "1")
	for _, d := range data {
		sb.WriteByte(bech32Charset[d])
	}
	for k := 0; k < 6; k++ {
		sb.WriteByte(bech32Charset[chk>>(5*(5-k))&31])
	}
	return strings.ToUpper(sb.String())
}

// moreSyntaxes are the assignment forms the provider samples are also
// embedded in, besides the common ones of [syntaxes]: code in more
// languages, Makefiles and an XML element written over three lines.
var moreSyntaxes = []struct {
	name string
	fmt  func(k, v string) string
}{
	{"xml-multiline", func(k, v string) string { return "<" + k + ">\n    " + v + "\n</" + k + ">" }},
	{"php-concat", func(k, v string) string { return "$" + k + ` .= "` + v + `";` }},
	{"make", func(k, v string) string { return k + ` ::= "` + v + `"` }},
	{"go-typed", func(k, v string) string { return "var " + k + ` string = "` + v + `"` }},
	{"kotlin-typed", func(k, v string) string { return "val " + k + `: String = "` + v + `"` }},
	{"java-property", func(k, v string) string { return `System.setProperty("` + k + `", "` + v + `");` }},
	{"ruby-rocket", func(k, v string) string { return `  "` + k + `" => "` + v + `",` }},
	{"csharp", func(k, v string) string { return `string ` + k + ` = "` + v + `";` }},
}

func providerCases() []provCase {
	s := sampler{rand.New(rand.NewPCG(15, 220))}
	glsa := func(valid bool) string {
		k := "glsa_" + s.str(aAlnum, 32)
		sum := grafanaChecksum(k)
		if !valid {
			sum = grafanaChecksum(k + "x")
		}
		return k + "_" + sum
	}
	age := func(valid bool) string {
		data := make([]byte, 52)
		for i := range data {
			data[i] = byte(s.r.IntN(32))
		}
		t := bech32Encode("age-secret-key-", data)
		if !valid {
			c := strings.IndexByte(strings.ToUpper(bech32Charset), t[20])
			t = t[:20] + string(strings.ToUpper(bech32Charset)[(c+1)%32]) + t[21:]
		}
		return t
	}
	discordBot := base64.RawStdEncoding.EncodeToString([]byte("10"+s.str(aDigit, 16))) + "." + s.str(aB64URL, 6) + "." + s.str(aB64URL, 38)
	grafanaKey := base64.StdEncoding.EncodeToString([]byte(`{"k":"` + s.str(aAlnum, 32) + `","n":"deploy-bot","id":1}`))
	glc := "glc_" + base64.StdEncoding.EncodeToString([]byte(`{"o":"81234","n":"stack-7-writer","k":"`+s.str(aAlnum, 24)+`","m":{"r":"prod-us-east-0"}}`))
	sntrys := "sntrys_" + base64.RawStdEncoding.EncodeToString([]byte(`{"iat":1767225600.5,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme"}`)) + "_" + s.str(aB64URL, 43)
	ops := "ops_" + base64.RawStdEncoding.EncodeToString([]byte(`{"signInAddress":"acme.1password.com","userAuth":{"method":"SRPg-4096","alg":"PBES2g-HS256","iterations":650000,"salt":"`+s.str(aB64URL, 22)+`"},"email":"`+s.str(aLower, 26)+`@1passwordserviceaccounts.com","srpX":"`+s.str(aHex, 64)+`"}`))
	mapbox := "pk." + base64.RawURLEncoding.EncodeToString([]byte(`{"u":"acme-maps","a":"`+s.str(aLowNum, 25)+`"}`)) + "." + s.str(aB64URL, 22)
	bedrockLong := "ABSK" + base64.StdEncoding.EncodeToString([]byte("BedrockAPIKey-"+s.str(aLowNum, 4)+"-at-"+s.str(aDigit, 12)+":"+s.str(aB64, 40)))
	bedrockShort := "bedrock-api-key-" + base64.StdEncoding.EncodeToString([]byte("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential="+s.str(aUpNum, 20)+"&X-Amz-Signature="+s.str(aHex, 64)+"&Version=1"))
	reftkn := "cmVmdGtu" + s.b64NoSym("reftkn:01:1767225600:", 27)[8:]
	onePW := "A3-" + s.str(aUpNum, 6) + "-" + s.str(aUpNum, 11) + "-" + s.str(aUpNum, 5) + "-" + s.str(aUpNum, 5) + "-" + s.str(aUpNum, 5)
	octopus := "API-" + s.str(aUpNum, 25) + "7"

	return []provCase{
		// Cloud and infrastructure.
		{rule: "aws-access-key-id", key: "AWS_ACCESS_KEY_ID", val: "A3TX" + s.str(aUpper+"234567", 16)},
		{rule: "aws-amazon-bedrock-api-key-long-lived", key: "BEDROCK_KEY", val: bedrockLong},
		{rule: "aws-amazon-bedrock-api-key-long-lived", neg: true, text: "prefix ABSKQmVkcm9ja0FQSUtleS0 only"},
		{rule: "aws-amazon-bedrock-api-key-short-lived", key: "bedrock", val: bedrockShort},
		{rule: "aws-amazon-bedrock-api-key-short-lived", neg: true, text: "bedrock-api-key-" + base64.StdEncoding.EncodeToString([]byte("a presigned request for another service entirely, not the model runtime"))},
		{rule: "alibaba-access-key-id", key: "access_key_id", val: "LTAI" + s.str(aAlnum, 20)},
		{rule: "alibaba-access-key-id", neg: true, text: "id: LTAIXXXXXXXXXXXXXXXXXXXX"},
		{rule: "alibaba-secret-key", key: "ALIBABA_CLOUD_ACCESS_KEY_SECRET", val: s.str(aAlnum, 30)},
		{rule: "alibaba-secret-key", neg: true, text: "alibaba_region = cn-hangzhou-finance-1"},
		{rule: "azure-ad-client-secret", key: "AZURE_CLIENT_SECRET", val: s.str(aAlnum, 3) + "8Q~" + s.str(aAlnum+"_.-", 34)},
		{rule: "azure-ad-client-secret", neg: true, text: "see section 8Q~ for details"},
		{rule: "cloudflare-origin-ca-key", key: "origin_ca_key", val: "v1.0-" + s.str(aHex, 24) + "-" + s.str(aHex, 146)},
		{rule: "cloudflare-origin-ca-key", neg: true, text: "version v1.0-" + s.str(aHex, 24) + "-beta"},
		{rule: "cloudflare-global-api-key", key: "CLOUDFLARE_API_KEY", val: s.str(aHex, 37)},
		{rule: "cloudflare-global-api-key", neg: true, text: "cloudflare_zone = example-zone-name"},
		{rule: "cloudflare-api-key", key: "CLOUDFLARE_API_TOKEN", val: s.str(aB64URL, 40)},
		{rule: "cloudflare-api-key", neg: true, text: "cloudflare_api_token: ${CF_TOKEN}"},
		{rule: "digitalocean-pat", key: "DIGITALOCEAN_TOKEN", val: "dop_v1_" + s.str(aHex, 64)},
		{rule: "digitalocean-pat", neg: true, text: "dop_v1_" + strings.Repeat("0", 64)},
		{rule: "digitalocean-access-token", key: "do_oauth", val: "doo_v1_" + s.str(aHex, 64)},
		{rule: "digitalocean-access-token", neg: true, text: "doo_v1_" + s.str(aHex, 40)},
		{rule: "digitalocean-refresh-token", key: "refresh", val: "dor_v1_" + s.str(aHex, 64)},
		{rule: "digitalocean-refresh-token", neg: true, text: "dor_v1_<refresh-token>"},
		{rule: "flyio-access-token", key: "FLY_API_TOKEN", val: "fo1_" + s.str(aB64URL, 43)},
		{rule: "flyio-access-token", key: "FLY_DEPLOY", val: "fm2_" + s.str(aB64, 240) + "=="},
		{rule: "flyio-access-token", neg: true, text: "fm2_short"},
		{rule: "heroku-api-key", key: "HEROKU_API_KEY", val: s.uuid()},
		{rule: "heroku-api-key", neg: true, text: "heroku_app_id: " + s.uuid()},
		{rule: "heroku-api-key-v2", key: "HEROKU_API_KEY", val: "HRKU-AA" + s.str(aB64URL, 58)},
		{rule: "heroku-api-key-v2", neg: true, text: "HRKU-AA" + s.str(aB64URL, 20)},
		{rule: "netlify-access-token", key: "NETLIFY_TOKEN", val: "nfp_" + s.str(aAlnum, 36)},
		{rule: "netlify-access-token", key: "NETLIFY_AUTH_TOKEN", val: s.str(aB64URL, 43)},
		{rule: "netlify-access-token", neg: true, text: "netlify_site_name: my-marketing-site"},
		{rule: "yandex-api-key", key: "YC_API_KEY", val: "AQVN" + s.str(aB64URL, 36)},
		{rule: "yandex-api-key", neg: true, text: "AQVNshort"},
		{rule: "yandex-access-token", key: "YANDEX_IAM_TOKEN", val: "t1." + s.str(aAlnum, 40) + "." + s.str(aB64URL, 86)},
		{rule: "yandex-access-token", neg: true, text: "yandex_folder = b1g" + s.str(aLowNum, 17)},
		{rule: "yandex-aws-access-token", key: "yandex_secret_key", val: "YC" + s.str(aB64URL, 38)},
		{rule: "yandex-aws-access-token", neg: true, text: "yandex_zone = ru-central1-a"},
		{rule: "scalingo-api-token", key: "SCALINGO_API_TOKEN", val: "tk-us-" + s.str(aB64URL, 48)},
		{rule: "scalingo-api-token", neg: true, text: "tk-us-east"},
		{rule: "openshift-user-token", key: "OC_TOKEN", val: "sha256~" + s.str(aB64URL, 43)},
		{rule: "openshift-user-token", neg: true, text: "digest sha256~abc"},
		{rule: "vault-service-token", key: "VAULT_TOKEN", val: "hvs." + s.str(aB64URL, 92)},
		{rule: "vault-service-token", key: "vault_token", val: "s." + s.str(aAlnum, 24)},
		{rule: "vault-service-token", neg: true, text: "vault_addr = https://vault.internal:8200"},
		{rule: "vault-batch-token", key: "VAULT_TOKEN", val: "hvb." + s.str(aB64URL, 150)},
		{rule: "vault-batch-token", neg: true, text: "hvb.short"},
		{rule: "hashicorp-tf-api-token", key: "TFE_TOKEN", val: s.str(aAlnum, 14) + ".atlasv1." + s.str(aB64URL, 67)},
		{rule: "hashicorp-tf-api-token", neg: true, text: "host.atlasv1.example"},
		{rule: "doppler-api-token", key: "DOPPLER_TOKEN", val: "dp.pt." + s.str(aAlnum, 43)},
		{rule: "doppler-api-token", key: "DOPPLER_TOKEN", val: "dp.st.prd." + s.str(aAlnum, 40)},
		{rule: "doppler-api-token", neg: true, text: "dp.pt.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "pulumi-api-token", key: "PULUMI_ACCESS_TOKEN", val: "pul-" + s.str(aHex, 40)},
		{rule: "pulumi-api-token", neg: true, text: "pul-" + s.str(aHex, 12)},
		{rule: "databricks-api-token", key: "DATABRICKS_TOKEN", val: "dapi" + s.str(aHex, 32)},
		{rule: "databricks-api-token", key: "DATABRICKS_TOKEN", val: "dapi" + s.str(aHex, 32) + "-2"},
		{rule: "databricks-api-token", neg: true, text: "dapi" + strings.Repeat("0", 32)},
		{rule: "dynatrace-api-token", key: "DT_API_TOKEN", val: "dt0c01." + s.str(aUpNum, 24) + "." + s.str(aUpNum, 64)},
		{rule: "dynatrace-api-token", neg: true, text: "dt0c01.SAMPLE.TOKEN"},
		{rule: "datadog-access-token", key: "DD_API_KEY", val: s.str(aHex, 32)},
		{rule: "datadog-access-token", key: "datadog_app_key", val: s.str(aHex, 40)},
		{rule: "datadog-access-token", neg: true, text: "datadog_site: datadoghq.eu"},
		{rule: "new-relic-user-api-key", key: "NEW_RELIC_API_KEY", val: "NRAK-" + s.str(aUpNum, 27)},
		{rule: "new-relic-user-api-key", neg: true, text: "NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX"},
		{rule: "new-relic-browser-api-token", key: "NR_BROWSER", val: "NRJS-" + s.str(aHex, 19)},
		{rule: "new-relic-browser-api-token", neg: true, text: "NRJS-" + s.str(aHex, 10)},
		{rule: "new-relic-insert-key", key: "NR_INSERT", val: "NRII-" + s.str(aB64URL, 32)},
		{rule: "new-relic-insert-key", neg: true, text: "NRII-abc"},
		{rule: "new-relic-license-key", key: "NEW_RELIC_LICENSE_KEY", val: s.str(aHex, 36) + "NRAL"},
		{rule: "new-relic-license-key", neg: true, text: "NRAL is a suffix"},
		{rule: "new-relic-user-api-id", key: "NEWRELIC_USER_API_ID", val: s.str(aUpNum, 64)},
		{rule: "new-relic-user-api-id", neg: true, text: "newrelic_account_id = 1234567"},
		{rule: "grafana-service-account-token", key: "GRAFANA_TOKEN", val: glsa(true)},
		{rule: "grafana-service-account-token", neg: true, badSum: true, text: "token " + glsa(false)},
		{rule: "grafana-cloud-api-token", key: "GRAFANA_CLOUD_TOKEN", val: glc},
		{rule: "grafana-cloud-api-token", neg: true, text: "glc_" + base64.StdEncoding.EncodeToString([]byte("not json at all, just some words here"))},
		{rule: "grafana-api-key", key: "GRAFANA_API_KEY", val: grafanaKey},
		{rule: "grafana-api-key", neg: true, text: "eyJrIjoiYWJjIn0="},
		{rule: "grafana-api-key", key: "GRAFANA_TOKEN", val: "eyJrIjoi" + s.str(aAlnum, 72)},
		{rule: "grafana-api-key", neg: true, text: "eyJrIjoi" + strings.Repeat("A", 72)},
		{rule: "sentry-org-token", key: "SENTRY_AUTH_TOKEN", val: sntrys},
		{rule: "sentry-org-token", key: "SENTRY_AUTH_TOKEN", val: sntrys[:strings.LastIndexByte(sntrys, '_')+1] + s.str(aB64, 43)},
		{rule: "sentry-org-token", neg: true, text: "sntrys_" + base64.RawStdEncoding.EncodeToString([]byte("plain words, not claims at all")) + "_" + s.str(aB64URL, 43)},
		{rule: "sentry-user-token", key: "SENTRY_AUTH_TOKEN", val: "sntryu_" + s.str(aHex, 64)},
		{rule: "sentry-user-token", neg: true, text: "sntryu_" + s.str(aHex, 20)},
		{rule: "sentry-access-token", key: "SENTRY_TOKEN", val: s.str(aHex, 64)},
		{rule: "sentry-access-token", neg: true, text: "sentry_dsn_env = production"},
		{rule: "fastly-api-token", key: "FASTLY_API_TOKEN", val: s.str(aB64URL, 32)},
		{rule: "fastly-api-token", neg: true, text: "fastly_service = www-cache"},
		{rule: "okta-access-token", key: "OKTA_API_TOKEN", val: "00" + s.str(aB64URL, 40)},
		{rule: "okta-access-token", neg: true, text: "okta_org_url = https://acme.okta.com"},
		{rule: "okta-access-token", key: "myOktaToken", val: "00" + s.str(aB64URL, 40)},
		{rule: "okta-access-token", neg: true, text: "rookTable = 00" + s.str(aB64URL, 40)},
		{rule: "1password-secret-key", key: "OP_SECRET_KEY", val: onePW},
		{rule: "1password-secret-key", neg: true, text: "paper size A3-landscape"},
		{rule: "1password-service-account-token", key: "OP_SERVICE_ACCOUNT_TOKEN", val: ops},
		{rule: "1password-service-account-token", neg: true, text: "ops_eyJ" + s.str(aLower, 10)},
		{rule: "1password-service-account-token", neg: true, text: "ops_eyJ" + strings.Repeat("x", 300)},
		{rule: "age-secret-key", key: "SOPS_AGE_KEY", val: age(true)},
		{rule: "age-secret-key", neg: true, badSum: true, text: "# " + age(false)},
		{rule: "harness-api-key", key: "HARNESS_API_KEY", val: "pat." + s.str(aB64URL, 22) + "." + s.str(aAlnum, 24) + "." + s.str(aAlnum, 20)},
		{rule: "harness-api-key", neg: true, text: "compat.go pat.Match()"},
		{rule: "octopus-deploy-api-key", key: "OCTOPUS_API_KEY", val: octopus},
		{rule: "octopus-deploy-api-key", neg: true, text: "x-api-version: API-VERSION-HEADER"},
		{rule: "octopus-deploy-api-key", neg: true, text: "https://wiki.internal/pages/API-" + s.str(aUpNum, 30)},
		{rule: "infracost-api-token", key: "INFRACOST_API_KEY", val: "ico-" + s.str(aAlnum, 32)},
		{rule: "infracost-api-token", neg: true, text: "ico-file.png"},
		{rule: "infracost-api-token", neg: true, text: "/assets/logo.ico-" + s.str(aAlnum, 32) + ".png"},
		{rule: "defined-networking-api-token", key: "DN_API_KEY", val: "dnkey-" + s.str(aLowNum, 26) + "-" + s.str(aLowNum, 52)},
		{rule: "defined-networking-api-token", neg: true, text: "dnkey-short-key"},
		{rule: "planetscale-api-token", key: "PLANETSCALE_SERVICE_TOKEN", val: "pscale_tkn_" + s.str(aAlnum, 43)},
		{rule: "planetscale-api-token", neg: true, text: "pscale_tkn_"},
		{rule: "planetscale-oauth-token", key: "PSCALE", val: "pscale_oauth_" + s.str(aAlnum, 43)},
		{rule: "planetscale-oauth-token", neg: true, text: "pscale_oauth_short"},
		{rule: "planetscale-password", key: "DATABASE_PASSWORD", val: "pscale_pw_" + s.str(aAlnum, 43)},
		{rule: "planetscale-password", neg: true, text: "pscale_pw_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "clickhouse-cloud-api-secret-key", key: "CLICKHOUSE_KEY_SECRET", val: "4b1d" + s.str(aAlnum, 38)},
		{rule: "clickhouse-cloud-api-secret-key", neg: true, text: "color: #4b1d3f;"},
		{rule: "confluent-access-token", key: "CONFLUENT_API_KEY", val: s.str(aUpNum, 16)},
		{rule: "confluent-access-token", neg: true, text: "confluent_cluster = lkc-abc123"},
		{rule: "confluent-secret-key", key: "CONFLUENT_API_SECRET", val: s.str(aB64, 64)},
		{rule: "confluent-secret-key", neg: true, text: "confluent_secret_ref = vault-path"},
		{rule: "cisco-meraki-api-key", key: "MERAKI_DASHBOARD_API_KEY", val: s.str(aHex, 40)},
		{rule: "cisco-meraki-api-key", neg: true, text: "meraki_org = 549236"},
		{rule: "cisco-meraki-api-key", neg: true, text: "ReactNativeCameraKit: " + s.str(aHex, 40)},
		{rule: "kubernetes-secret-yaml", text: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n  # base64\n  DB_USER: YXBw\n  DB_PASS: %s\n", val: stdB64(s.str(aAlnum, 14))},
		{rule: "kubernetes-secret-yaml", text: "apiVersion: v1\ndata:\n\tclient-key: '%s'\nkind: 'Secret'\nmetadata:\n\tname: tls\n", val: stdB64(s.str(aLetters, 24))},
		{rule: "kubernetes-secret-yaml", text: "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: |\n    %s\n", val: stdB64(`{"auths":{"registry.internal":{"auth":"` + stdB64("ci:"+s.str(aAlnum, 20)) + `"}}}`)},
		{rule: "kubernetes-secret-yaml", text: "kind: Secret\ndata:\n  key.bin: %s\n", val: base64.StdEncoding.EncodeToString([]byte("\x8f\x02\x91\xd3\x17\xaa\x05\xfe\x6b\x33\xc0\x49\x7d\x10\xe2\x5b\x99"))},
		{rule: "kubernetes-secret-yaml", neg: true, text: "kind: Secret\ndata:\n  password: \"\"\n  token: {{ .Values.token }}\n  short: YmFyCg==\n"},
		{rule: "kubernetes-secret-yaml", neg: true, text: "kind: Secret\ndata:\n  password: " + stdB64("changeme") + "\n  ca.crt: " + stdB64("-----BEGIN CERTIFICATE-----\nMIIB") + "\n"},
		{rule: "kubernetes-secret-yaml", neg: true, text: "kind: ExternalSecret\nspec:\n  data:\n    - secretKey: api-key\n      remoteRef:\n        key: " + stdB64(s.str(aAlnum, 20)) + "\n"},
		{rule: "kubernetes-secret-yaml", neg: true, text: "kind: Secret\nmetadata:\n  name: x\n---\nkind: ConfigMap\ndata:\n  blob: " + stdB64(s.str(aAlnum, 20)) + "\n"},

		// Code hosting, CI, registries, developer tools.
		{rule: "gitlab-kubernetes-agent-token", key: "AGENT_TOKEN", val: "glagent-" + s.str(aB64URL, 50)},
		{rule: "gitlab-kubernetes-agent-token", neg: true, text: "glagent-config.yaml"},
		{rule: "gitlab-feed-token", key: "feed", val: "glft-" + s.str(aB64URL, 20)},
		{rule: "gitlab-feed-token", neg: true, text: "glft-x"},
		{rule: "gitlab-rrt", key: "REGISTRATION_TOKEN", val: "GR1348941" + s.str(aB64URL, 20)},
		{rule: "gitlab-rrt", neg: true, text: "GR1348941"},
		{rule: "gitlab-session-cookie", text: "Cookie: _gitlab_session=%s; path=/", val: s.str(aHex, 32)},
		{rule: "gitlab-session-cookie", neg: true, text: "Cookie: _gitlab_session=deleted; path=/"},
		{rule: "bitbucket-client-id", key: "BITBUCKET_CLIENT_ID", val: s.str(aAlnum, 32)},
		{rule: "bitbucket-client-id", neg: true, text: "bitbucket_workspace = my-team"},
		{rule: "bitbucket-client-secret", key: "BITBUCKET_CLIENT_SECRET", val: s.str(aAlnum+"=_-", 64)},
		{rule: "bitbucket-client-secret", neg: true, text: "bitbucket_secret_name = repo-deploy"},
		{rule: "atlassian-api-token", key: "ATLASSIAN_TOKEN", val: "ATATT3" + s.str(aB64URL+"=", 186)},
		{rule: "atlassian-api-token", key: "JIRA_API_TOKEN", val: s.str(aAlnum, 24)},
		{rule: "atlassian-api-token", neg: true, text: "jira_project_key = OPS"},
		{rule: "travisci-access-token", key: "TRAVIS_API_TOKEN", val: s.str(aAlnum, 22)},
		{rule: "travisci-access-token", neg: true, text: "travis_branch = main"},
		{rule: "droneci-access-token", key: "DRONE_TOKEN", val: s.str(aAlnum, 32)},
		{rule: "droneci-access-token", neg: true, text: "drone_server = https://drone.internal"},
		{rule: "codecov-access-token", key: "CODECOV_TOKEN", val: s.uuid()},
		{rule: "codecov-access-token", neg: true, text: "codecov_flags = unit,integration"},
		{rule: "snyk-api-token", key: "SNYK_TOKEN", val: s.uuid()},
		{rule: "snyk-api-token", neg: true, text: "snyk_org_id: " + s.uuid()},
		{rule: "sonar-api-token", key: "SONAR_TOKEN", val: "squ_" + s.str(aHex, 40)},
		{rule: "sonar-api-token", key: "sonar.login", val: s.str(aHex, 40)},
		{rule: "sonar-api-token", neg: true, text: "sonar.projectKey = acme_api"},
		{rule: "sourcegraph-access-token", key: "SRC_ACCESS_TOKEN", val: "sgp_" + s.str(aHex, 16) + "_" + s.str(aHex, 40)},
		{rule: "sourcegraph-access-token", key: "SRC_ACCESS_TOKEN", val: "sgp_local_" + s.str(aHex, 40)},
		{rule: "sourcegraph-access-token", neg: true, text: "sourcegraph commit " + s.str(aHex, 40)},
		{rule: "sourcegraph-access-token", key: "SRC_ACCESS_TOKEN", val: "sgp_" + strings.ToUpper(s.str(aHex, 20)) + s.str(aHex, 20)},
		{rule: "sourcegraph-access-token", key: "sourcegraph_token", val: s.str(aHex, 40)},
		{rule: "sourcegraph-access-token", neg: true, text: "sourcegraph_commit: " + s.str(aHex, 40)},
		{rule: "artifactory-api-key", key: "ARTIFACTORY_API_KEY", val: "AKCp" + s.str(aAlnum, 69)},
		{rule: "artifactory-api-key", neg: true, text: "AKCp" + s.str(aAlnum, 10)},
		{rule: "artifactory-reference-token", key: "JFROG_ACCESS_TOKEN", val: reftkn},
		{rule: "artifactory-reference-token", neg: true, text: "cmVmdGtu"},
		{rule: "jfrog-api-key", key: "JFROG_API_KEY", val: s.str(aAlnum, 73)},
		{rule: "jfrog-api-key", neg: true, text: "jfrog_url = https://acme.jfrog.io"},
		{rule: "jfrog-identity-token", key: "ARTIFACTORY_IDENTITY_TOKEN", val: s.str(aAlnum, 64)},
		{rule: "jfrog-identity-token", neg: true, text: "artifactory_repo = libs-release"},
		{rule: "pypi-upload-token", key: "TWINE_PASSWORD", val: "pypi-AgEIcHlwaS5vcmc" + s.str(aB64URL, 150)},
		{rule: "pypi-upload-token", key: "TEST_PYPI", val: "pypi-AgENdGVzdC5weXBpLm9yZw" + s.str(aB64URL, 120)},
		{rule: "pypi-upload-token", neg: true, text: "pypi-AgEIcHlwaS5vcmc"},
		{rule: "rubygems-api-token", key: "GEM_HOST_API_KEY", val: "rubygems_" + s.str(aHex, 48)},
		{rule: "rubygems-api-token", neg: true, text: "rubygems_version: 3.5"},
		{rule: "clojars-api-token", key: "CLOJARS_PASSWORD", val: "CLOJARS_" + s.str(aAlnum, 60)},
		{rule: "clojars-api-token", neg: true, text: "CLOJARS_USERNAME"},
		{rule: "postman-api-token", key: "POSTMAN_API_KEY", val: "PMAK-" + s.str(aHex, 24) + "-" + s.str(aHex, 34)},
		{rule: "postman-api-token", neg: true, text: "PMAK-" + s.str(aHex, 24)},
		{rule: "prefect-api-token", key: "PREFECT_API_KEY", val: "pnu_" + s.str(aAlnum, 36)},
		{rule: "prefect-api-token", neg: true, text: "pnu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{rule: "linear-api-key", key: "LINEAR_API_KEY", val: "lin_api_" + s.str(aAlnum, 40)},
		{rule: "linear-api-key", neg: true, text: "lin_api_docs"},
		{rule: "linear-client-secret", key: "LINEAR_CLIENT_SECRET", val: s.str(aHex, 32)},
		{rule: "linear-client-secret", neg: true, text: "linear_team = ENG"},
		{rule: "readme-api-token", key: "README_API_KEY", val: "rdme_" + s.str(aLowNum, 70)},
		{rule: "readme-api-token", neg: true, text: "rdme_cli"},
		{rule: "launchdarkly-access-token", key: "LAUNCHDARKLY_SDK_KEY", val: "sdk-" + s.uuid()},
		{rule: "launchdarkly-access-token", neg: true, text: "launchdarkly_project = default"},
		{rule: "frameio-api-token", key: "FRAMEIO_TOKEN", val: "fio-u-" + s.str(aB64URL, 64)},
		{rule: "frameio-api-token", neg: true, text: "fio-u-short"},
		{rule: "typeform-api-token", key: "TYPEFORM_TOKEN", val: "tfp_" + s.str(aB64URL, 59)},
		{rule: "typeform-api-token", neg: true, text: "tfp_form"},
		{rule: "settlemint-personal-access-token", key: "SETTLEMINT_TOKEN", val: "sm_pat_" + s.str(aAlnum, 16)},
		{rule: "settlemint-personal-access-token", neg: true, text: "sm_pat_x"},
		{rule: "settlemint-personal-access-token", neg: true, text: `apiToken := "sm_pat_` + s.str(aLowNum, 10) + `"`},
		{rule: "settlemint-application-access-token", key: "SETTLEMINT_TOKEN", val: "sm_aat_" + s.str(aAlnum, 16)},
		{rule: "settlemint-application-access-token", neg: true, text: "sm_aat_xxxxxxxxxxxxxxxx"},
		{rule: "settlemint-service-access-token", key: "SETTLEMINT_TOKEN", val: "sm_sat_" + s.str(aAlnum, 16)},
		{rule: "settlemint-service-access-token", neg: true, text: "sm_sat_"},
		{rule: "gitter-access-token", key: "GITTER_TOKEN", val: s.str(aHex, 40)},
		{rule: "gitter-access-token", neg: true, text: "gitter_room = acme/dev"},
		{rule: "sidekiq-secret", key: "BUNDLE_ENTERPRISE__CONTRIBSYS__COM", val: s.str(aHex, 8) + ":" + s.str(aHex, 8)},
		{rule: "sidekiq-secret", neg: true, text: "BUNDLE_GEMS__CONTRIBSYS__COM: ${SIDEKIQ_CREDS}"},

		// Chat, e-mail, messaging.
		{rule: "slack-legacy-token", key: "SLACK_TOKEN", val: "xoxo-" + s.str(aDigit, 12) + "-" + s.str(aDigit, 12) + "-" + s.str(aAlnum, 24)},
		{rule: "slack-legacy-token", neg: true, text: "xoxo-hugs-and-kisses-from-the-team"},
		{rule: "slack-legacy-bot-token", key: "SLACK_BOT", val: "xoxb-" + s.str(aDigit, 11) + "-" + s.str(aAlnum, 24)},
		{rule: "slack-legacy-bot-token", neg: true, text: "xoxb-12345678-short"},
		{rule: "slack-legacy-workspace-token", key: "SLACK_TOKEN", val: "xoxa-2-" + s.str(aAlnum, 30)},
		{rule: "slack-legacy-workspace-token", key: "SLACK_REFRESH", val: "xoxr-" + s.str(aAlnum, 40)},
		{rule: "slack-legacy-workspace-token", neg: true, text: "xoxa-short"},
		{rule: "slack-legacy-workspace-token", key: "SLACK_TOKEN", val: "xoxa-2-" + "7" + s.str(aDigit, 10) + "-" + "9" + s.str(aDigit, 11) + "-" + "4" + s.str(aDigit, 12) + "-" + s.str(aHex, 64)},
		{rule: "slack-legacy-workspace-token", neg: true, text: "xoxa-2-1234567890-1234567890-1234567890-" + strings.Repeat("0", 32)},
		{rule: "slack-config-refresh-token", key: "SLACK_CONFIG_REFRESH", val: "xoxe-1-" + s.str(aAlnum, 146)},
		{rule: "slack-config-refresh-token", neg: true, text: "xoxe-1-" + s.str(aAlnum, 20)},
		{rule: "slack-config-access-token", key: "SLACK_CONFIG_TOKEN", val: "xoxe.xoxp-1-" + s.str(aAlnum, 150)},
		{rule: "slack-config-access-token", neg: true, text: "xoxe.xoxp-1-short"},
		{rule: "discord-api-token", key: "DISCORD_API_KEY", val: s.str(aHex, 64)},
		{rule: "discord-api-token", neg: true, text: "discord_channel = general"},
		{rule: "discord-client-id", key: "DISCORD_CLIENT_ID", val: "9" + s.str(aDigit, 17)},
		{rule: "discord-client-id", neg: true, text: "discord_client_id = 12"},
		{rule: "discord-client-id", key: "discordToken", val: "7" + s.str(aDigit, 17)},
		{rule: "discord-client-secret", key: "DISCORD_CLIENT_SECRET", val: s.str(aB64URL, 32)},
		{rule: "discord-client-secret", neg: true, text: "discord_secret_name = bot-creds"},
		{rule: "discord-client-secret", key: "DISCORD_TOKEN", val: s.str(aDigit, 32)},
		{rule: "discord-bot-token", key: "DISCORD_BOT_TOKEN", val: discordBot},
		{rule: "discord-bot-token", neg: true, text: "discord_bot_token = " + base64.RawStdEncoding.EncodeToString([]byte("not-a-snowflake-id")) + "." + s.str(aB64URL, 6) + "." + strings.Repeat("x", 38)},
		{rule: "microsoft-teams-webhook", key: "TEAMS_WEBHOOK", val: "https://acme.webhook.office.com/webhookb2/" + s.uuid() + "@" + s.uuid() + "/IncomingWebhook/" + s.str(aHex, 32) + "/" + s.uuid()},
		{rule: "microsoft-teams-webhook", neg: true, text: "https://acme.webhook.office.com/webhookb2/<channel-id>/IncomingWebhook/"},
		{rule: "mattermost-access-token", key: "MATTERMOST_TOKEN", val: s.str(aLowNum, 26)},
		{rule: "mattermost-access-token", neg: true, text: "mattermost_team = engineering"},
		{rule: "twilio-api-key", key: "TWILIO_API_KEY", val: "SK" + s.str(aHex, 32)},
		{rule: "twilio-api-key", neg: true, text: "DISK" + s.str(aHex, 32)},
		{rule: "twilio-auth-token", key: "TWILIO_AUTH_TOKEN", val: s.str(aHex, 32)},
		{rule: "twilio-auth-token", neg: true, text: "twilio_account_sid = AC" + strings.Repeat("0", 32)},
		{rule: "sendinblue-api-token", key: "BREVO_API_KEY", val: "xkeysib-" + s.str(aHex, 64) + "-" + s.str(aAlnum, 16)},
		{rule: "sendinblue-api-token", neg: true, text: "xkeysib-" + s.str(aHex, 10)},
		{rule: "mailgun-private-api-token", key: "MAILGUN_API_KEY", val: "key-" + s.str(aHex, 32)},
		{rule: "mailgun-private-api-token", neg: true, text: "cache key-" + s.str(aHex, 32)},
		{rule: "mailgun-pub-key", key: "MAILGUN_PUBLIC_KEY", val: "pubkey-" + s.str(aHex, 32)},
		{rule: "mailgun-pub-key", neg: true, text: "mailgun_domain = mg.acme.io"},
		{rule: "mailgun-signing-key", key: "MAILGUN_SIGNING_KEY", val: s.str(aHex, 32) + "-" + s.str(aHex, 8) + "-" + s.str(aHex, 8)},
		{rule: "mailgun-signing-key", neg: true, text: "mailgun_signing_key: ${MG_SIGNING}"},
		{rule: "mailchimp-api-key", key: "MAILCHIMP_API_KEY", val: s.str(aHex, 32) + "-us21"},
		{rule: "mailchimp-api-key", neg: true, text: "locale en-us21"},
		{rule: "messagebird-api-token", key: "MESSAGEBIRD_API_KEY", val: s.str(aAlnum, 25)},
		{rule: "messagebird-api-token", neg: true, text: "messagebird_originator = ACME"},
		{rule: "messagebird-client-id", key: "MESSAGEBIRD_CLIENT_ID", val: s.uuid()},
		{rule: "messagebird-client-id", neg: true, text: "messagebird_channel_id: " + s.uuid()},
		{rule: "messagebird-client-id", key: "MessageBirdToken", val: strings.ToUpper(s.uuid())},
		{rule: "sendbird-access-id", key: "SENDBIRD_APP_ID", val: s.uuid()},
		{rule: "sendbird-access-id", neg: true, text: "sendbird_user_id: " + s.uuid()},
		{rule: "sendbird-access-id", key: "sendbird_token", val: s.uuid()},
		{rule: "sendbird-access-token", key: "SENDBIRD_API_TOKEN", val: s.str(aHex, 40)},
		{rule: "sendbird-access-token", neg: true, text: "sendbird_region = us-1"},
		{rule: "intercom-api-key", key: "INTERCOM_ACCESS_TOKEN", val: s.str(aB64URL, 58) + "=="},
		{rule: "intercom-api-key", neg: true, text: "intercom_app_id = abc123"},
		{rule: "zendesk-secret-key", key: "ZENDESK_API_TOKEN", val: s.str(aAlnum, 40)},
		{rule: "zendesk-secret-key", neg: true, text: "zendesk_subdomain = acme"},
		{rule: "twitch-api-token", key: "TWITCH_CLIENT_SECRET", val: s.str(aLowNum, 30)},
		{rule: "twitch-api-token", neg: true, text: "twitch_channel = acme_live"},
		{rule: "twitter-api-key", key: "TWITTER_API_KEY", val: s.str(aAlnum, 25)},
		{rule: "twitter-api-key", neg: true, text: "twitter_handle = acme"},
		{rule: "twitter-api-secret", key: "TWITTER_API_SECRET", val: s.str(aAlnum, 50)},
		{rule: "twitter-api-secret", neg: true, text: "twitter_secret_ref = social/api"},
		{rule: "twitter-access-token", key: "TWITTER_ACCESS_TOKEN", val: "1" + s.str(aDigit, 18) + "-" + s.str(aAlnum, 30)},
		{rule: "twitter-access-token", neg: true, text: "twitter_access_token: 2024-01-01"},
		{rule: "twitter-access-secret", key: "TWITTER_ACCESS_SECRET", val: s.str(aAlnum, 45)},
		{rule: "twitter-access-secret", neg: true, text: "twitter_access_secret: <set me>"},
		{rule: "twitter-bearer-token", key: "TWITTER_BEARER_TOKEN", val: strings.Repeat("A", 22) + s.str(aAlnum+"%", 100)},
		{rule: "twitter-bearer-token", neg: true, text: strings.Repeat("A", 60)},
		{rule: "facebook-page-access-token", key: "FB_PAGE_TOKEN", val: "EAAM" + s.str(aAlnum, 150)},
		{rule: "facebook-page-access-token", neg: true, text: "EAAMshort"},
		{rule: "facebook-access-token", key: "FACEBOOK_ACCESS_TOKEN", val: "1" + s.str(aDigit, 14) + "|" + s.str(aB64URL, 27)},
		{rule: "facebook-access-token", neg: true, text: "facebook_page = acme.official"},
		{rule: "facebook-secret", key: "FACEBOOK_APP_SECRET", val: s.str(aHex, 32)},
		{rule: "facebook-secret", neg: true, text: "facebook_app_id = 1234567890"},

		// curl command lines.
		{rule: "curl-auth-user", text: "curl -s -u deploy:%s https://api.internal/v1/items", val: "Hx8vQ2mZ7pLk"},
		{rule: "curl-auth-user", text: "curl --user 'deploy:%s' \\\n  https://api.internal/", val: "p@ss#w0rd!x"},
		{rule: "curl-auth-user", neg: true, text: "curl -u \"$USER:$PASSWORD\" https://api.internal/"},
		{rule: "curl-auth-user", neg: true, text: "curl -u admin:admin -o out.json https://localhost/"},
		{rule: "curl-auth-user", text: "curl -u :%s https://search.internal:9200", val: "d2Lk!V78zLx"},
		{rule: "curl-auth-user", text: "curl https://api.stripe.example/v1/charges -u %s:", val: "rk9Qz2LmP0vN7xR4tW"},
		{rule: "curl-auth-user", neg: true, text: "curl --user neo4j:[PASSWORD] http://[IP]:7474/db/data/"},
		{rule: "curl-auth-user", neg: true, text: "curl -u admin: https://localhost/"},
		{rule: "curl-auth-user", text: "curl --user kevin:'%s' -X PATCH https://api.internal/", val: "pRf7vG2h1L8n"}, // a word of quoted and bare parts
		{rule: "curl-auth-user", text: `curl -u "deploy":"%s" https://api.internal/`, val: "Zq8vL2kP9xR4"},
		{rule: "curl-auth-user", neg: true, text: "curl -u deploy:'$PASSWORD' https://api.internal/"},
		{rule: "curl-auth-header", text: "#curl -X POST \\\n#  https://api.internal/v3/messages \\\n#  -H 'Authorization: Bearer %s'", val: s.str(aB64URL, 40)}, // commented out
		{rule: "curl-auth-header", neg: true, text: "#curl -X POST \\\n#  -H 'Authorization: Bearer ${API_TOKEN}'"},
		{rule: "curl-auth-header", text: `curl -H "Token: %s" https://api.internal/`, val: "3fea6af1349166ea"}, // 16 hex, 2.9 bits of entropy per byte
		{rule: "curl-auth-header", neg: true, text: `curl -H "X-Request-Token: 3fea6af1349166ea" https://api.internal/`},
		{rule: "curl-auth-header", text: `curl -H "Authorization: Bearer %s" https://api.internal/`, val: s.str(aB64URL, 40)},
		{rule: "curl-auth-header", text: "curl -X POST \\\n  --header 'X-API-Key: %s' \\\n  https://api.internal/", val: s.str(aAlnum, 32)},
		{rule: "curl-auth-header", text: `curl -H "Authorization: Basic %s" https://api.internal/`, val: base64.StdEncoding.EncodeToString([]byte("deploy:Hx8vQ2mZ7pLk"))},
		{rule: "curl-auth-header", neg: true, text: `curl -H "Authorization: Bearer $TOKEN" https://api.internal/`},
		{rule: "curl-auth-header", neg: true, text: `curl -H "Content-Type: application/json" -H "Authorization: Bearer <token>" https://api.internal/`},

		// Payments, commerce, finance.
		{rule: "stripe-access-token", key: "STRIPE_KEY", val: "sk_prod_" + s.str(aAlnum, 99)},
		{rule: "stripe-access-token", neg: true, text: "sk_prod_" + strings.Repeat("0", 24)},
		{rule: "stripe-webhook-secret", key: "STRIPE_WEBHOOK_SECRET", val: "whsec_" + s.str(aAlnum, 32)},
		{rule: "stripe-webhook-secret", neg: true, text: "whsec_..."},
		{rule: "square-access-token", key: "SQUARE_ACCESS_TOKEN", val: "EAAA" + s.str(aB64URL, 60)},
		{rule: "square-access-token", key: "SQUARE_TOKEN", val: "sq0atp-" + s.str(aB64URL, 22)},
		{rule: "square-access-token", key: "SQUARE_OAUTH_SECRET", val: "sq0csp-" + s.str(aB64URL, 43)},
		{rule: "square-access-token", neg: true, text: "data " + s.str(aB64, 30) + "EAAA" + s.str(aB64, 60) + "=="},
		{rule: "shopify-access-token", key: "SHOPIFY_TOKEN", val: "shpat_" + s.str(aHex, 32)},
		{rule: "shopify-access-token", neg: true, text: "shpat_<token>"},
		{rule: "shopify-custom-access-token", key: "SHOPIFY_TOKEN", val: "shpca_" + s.str(aHex, 32)},
		{rule: "shopify-custom-access-token", neg: true, text: "shpca_" + s.str(aHex, 12)},
		{rule: "shopify-private-app-access-token", key: "SHOPIFY_TOKEN", val: "shppa_" + s.str(aHex, 32)},
		{rule: "shopify-private-app-access-token", neg: true, text: "shppa_" + strings.Repeat("a", 32)},
		{rule: "shopify-shared-secret", key: "SHOPIFY_SECRET", val: "shpss_" + s.str(aHex, 32)},
		{rule: "shopify-shared-secret", neg: true, text: "shpss_"},
		{rule: "plaid-api-token", key: "PLAID_ACCESS_TOKEN", val: "access-sandbox-" + s.uuid()},
		{rule: "plaid-api-token", neg: true, text: "access-sandbox-expired"},
		{rule: "plaid-client-id", key: "PLAID_CLIENT_ID", val: s.str(aHex, 24)},
		{rule: "plaid-client-id", neg: true, text: "plaid_env = sandbox"},
		{rule: "plaid-secret-key", key: "PLAID_SECRET", val: s.str(aHex, 30)},
		{rule: "plaid-secret-key", neg: true, text: "plaid_secret: ${PLAID_SECRET}"},
		{rule: "flutterwave-secret-key", key: "FLW_SECRET_KEY", val: "FLWSECK_TEST-" + s.str(aHex, 32) + "-X"},
		{rule: "flutterwave-secret-key", neg: true, text: "FLWSECK_TEST-XXXXXXXX-X"},
		{rule: "flutterwave-public-key", key: "FLW_PUBLIC_KEY", val: "FLWPUBK_TEST-" + s.str(aHex, 32) + "-X"},
		{rule: "flutterwave-public-key", neg: true, text: "FLWPUBK-" + s.str(aHex, 10) + "-X"},
		{rule: "flutterwave-encryption-key", key: "FLW_ENCRYPTION_KEY", val: "FLWSECK_TEST" + s.str(aHex, 12)},
		{rule: "flutterwave-encryption-key", neg: true, text: "FLWSECK_TEST000000000000"},
		{rule: "gocardless-api-token", key: "GOCARDLESS_ACCESS_TOKEN", val: "live_" + s.str(aB64URL, 40)},
		{rule: "gocardless-api-token", neg: true, text: "gocardless_environment = live"},
		{rule: "coinbase-access-token", key: "COINBASE_API_SECRET", val: s.str(aB64URL, 64)},
		{rule: "coinbase-access-token", neg: true, text: "coinbase_account = trading"},
		{rule: "kraken-access-token", key: "KRAKEN_PRIVATE_KEY", val: s.str(aB64, 86) + "=="},
		{rule: "kraken-access-token", neg: true, text: "kraken_pair = XBTUSD"},
		{rule: "kucoin-access-token", key: "KUCOIN_API_KEY", val: s.str(aHex, 24)},
		{rule: "kucoin-access-token", neg: true, text: "kucoin_symbol = BTC-USDT"},
		{rule: "kucoin-secret-key", key: "KUCOIN_API_SECRET", val: s.uuid()},
		{rule: "kucoin-secret-key", neg: true, text: "kucoin_order_id: " + s.uuid()},
		{rule: "kucoin-secret-key", key: "KUCOIN_TOKEN", val: s.uuid()},
		{rule: "bittrex-access-key", key: "BITTREX_API_KEY", val: s.str(aAlnum, 32)},
		{rule: "bittrex-access-key", neg: true, text: "bittrex_market = BTC-ETH"},
		{rule: "bittrex-secret-key", key: "BITTREX_API_SECRET", val: s.str(aAlnum, 32)},
		{rule: "bittrex-secret-key", neg: true, text: "bittrex_secret: changeme"},
		{rule: "finicity-api-token", key: "FINICITY_APP_KEY", val: s.str(aHex, 32)},
		{rule: "finicity-api-token", neg: true, text: "finicity_partner_id = 2445582695152"},
		{rule: "finicity-client-secret", key: "FINICITY_SECRET", val: s.str(aAlnum, 20)},
		{rule: "finicity-client-secret", neg: true, text: "finicity_secret: none"},
		{rule: "duffel-api-token", key: "DUFFEL_ACCESS_TOKEN", val: "duffel_test_" + s.str(aB64URL, 43)},
		{rule: "duffel-api-token", neg: true, text: "duffel_test_mode = true"},
		{rule: "easypost-api-token", key: "EASYPOST_API_KEY", val: "EZAK" + s.str(aAlnum, 54)},
		{rule: "easypost-api-token", neg: true, text: "EZAK" + s.str(aAlnum, 10)},
		{rule: "easypost-test-api-token", key: "EASYPOST_TEST_KEY", val: "EZTK" + s.str(aAlnum, 54)},
		{rule: "easypost-test-api-token", neg: true, text: "EZTK"},
		{rule: "shippo-api-token", key: "SHIPPO_TOKEN", val: "shippo_live_" + s.str(aHex, 40)},
		{rule: "shippo-api-token", neg: true, text: "shippo_live_mode"},
		{rule: "lob-api-key", key: "LOB_API_KEY", val: "live_" + s.str(aHex, 35)},
		{rule: "lob-api-key", neg: true, text: "glob_pattern = live_" + s.str(aHex, 35)},
		{rule: "lob-pub-api-key", key: "LOB_PUBLISHABLE_KEY", val: "test_pub_" + s.str(aHex, 31)},
		{rule: "lob-pub-api-key", neg: true, text: "lob_env = test_pub"},
		{rule: "freshbooks-access-token", key: "FRESHBOOKS_TOKEN", val: s.str(aHex, 64)},
		{rule: "freshbooks-access-token", neg: true, text: "freshbooks_account = 12345"},
		{rule: "etsy-access-token", key: "ETSY_API_KEY", val: s.str(aLowNum, 24)},
		{rule: "etsy-access-token", neg: true, text: "etsy_shop = acme-crafts"},
		{rule: "etsy-access-token", neg: true, text: `SetSysctl = "` + s.str(aLowNum, 24) + `"`},

		// AI.
		{rule: "huggingface-access-token", key: "HF_TOKEN", val: "hf_" + s.str(aLetters, 34)},
		{rule: "huggingface-access-token", neg: true, text: "hf_hub_download(repo_id)"},
		{rule: "huggingface-organization-api-token", key: "HF_ORG_TOKEN", val: "api_org_" + s.str(aLetters, 34)},
		{rule: "huggingface-organization-api-token", neg: true, text: "api_org_name"},
		{rule: "cohere-api-token", key: "COHERE_API_KEY", val: s.str(aAlnum, 40)},
		{rule: "cohere-api-token", neg: true, text: "cohere_model = command-r-plus"},
		{rule: "perplexity-api-key", key: "PPLX_API_KEY", val: "pplx-" + s.str(aAlnum, 48)},
		{rule: "perplexity-api-key", neg: true, text: "pplx-70b-online"},
		{rule: "privateai-api-token", key: "PRIVATEAI_API_KEY", val: s.str(aAlnum, 32)},
		{rule: "privateai-api-token", neg: true, text: "privateai_url = http://localhost:8080"},
		{rule: "groq-api-key", key: "GROQ_API_KEY", val: "gsk_" + s.str(aAlnum, 52)},
		{rule: "groq-api-key", neg: true, text: "gsk_model"},
		{rule: "replicate-api-token", key: "REPLICATE_API_TOKEN", val: "r8_" + s.str(aAlnum, 37)},
		{rule: "replicate-api-token", neg: true, text: "r8_config"},
		{rule: "xai-api-key", key: "XAI_API_KEY", val: "xai-" + s.str(aAlnum, 80)},
		{rule: "xai-api-key", neg: true, text: "xai-grok-beta"},
		{rule: "langsmith-api-key", key: "LANGSMITH_API_KEY", val: "lsv2_pt_" + s.str(aHex, 32) + "_" + s.str(aHex, 10)},
		{rule: "langsmith-api-key", neg: true, text: "lsv2_pt_"},

		// SaaS.
		{rule: "adafruit-api-key", key: "ADAFRUIT_IO_KEY", val: "aio_" + s.str(aAlnum, 28)},
		{rule: "adafruit-api-key", key: "adafruit_key", val: s.str(aB64URL, 32)},
		{rule: "adafruit-api-key", neg: true, text: "adafruit_feed = temperature"},
		{rule: "adobe-client-id", key: "ADOBE_CLIENT_ID", val: s.str(aHex, 32)},
		{rule: "adobe-client-id", neg: true, text: "adobe_org = acme@AdobeOrg"},
		{rule: "adobe-client-secret", key: "ADOBE_CLIENT_SECRET", val: "p8e-" + s.str(aAlnum, 32)},
		{rule: "adobe-client-secret", neg: true, text: "p8e-short"},
		{rule: "airtable-api-key", key: "AIRTABLE_API_KEY", val: "key" + s.str(aAlnum, 14)},
		{rule: "airtable-api-key", neg: true, text: "airtable_base = app123"},
		{rule: "airtable-personnal-access-token", key: "AIRTABLE_TOKEN", val: "pat" + s.str(aAlnum, 14) + "." + s.str(aHex, 64)},
		{rule: "airtable-personnal-access-token", neg: true, text: "airtable_table = tblXYZ"},
		{rule: "algolia-api-key", key: "ALGOLIA_API_KEY", val: s.str(aHex, 32)},
		{rule: "algolia-api-key", neg: true, text: "algolia_index = products"},
		{rule: "asana-client-id", key: "ASANA_CLIENT_ID", val: "1" + s.str(aDigit, 15)},
		{rule: "asana-client-id", neg: true, text: "asana_workspace = 12"},
		{rule: "asana-client-id", key: "asanaToken", val: "3" + s.str(aDigit, 15)},
		{rule: "asana-client-id", neg: true, text: "asana_project_name = " + s.str(aDigit, 16)},
		{rule: "asana-client-secret", key: "ASANA_CLIENT_SECRET", val: s.str(aAlnum, 32)},
		{rule: "asana-client-secret", neg: true, text: "asana_secret: ${ASANA}"},
		{rule: "asana-personal-access-token", key: "ASANA_PAT", val: "2/1" + s.str(aDigit, 15) + "/1" + s.str(aDigit, 15) + ":" + s.str(aHex, 32)},
		{rule: "asana-personal-access-token", neg: true, text: "asana_project = 2/3"},
		{rule: "beamer-api-token", key: "BEAMER_API_KEY", val: "b_" + s.str(aB64URL, 44)},
		{rule: "beamer-api-token", neg: true, text: "beamer_product_id = abc"},
		{rule: "contentful-delivery-api-token", key: "CONTENTFUL_DELIVERY_TOKEN", val: s.str(aB64URL, 43)},
		{rule: "contentful-delivery-api-token", neg: true, text: "contentful_space = cfexampleapi"},
		{rule: "dropbox-api-token", key: "DROPBOX_APP_SECRET", val: s.str(aLowNum, 15)},
		{rule: "dropbox-api-token", neg: true, text: "dropbox_folder = /shared"},
		{rule: "dropbox-short-lived-api-token", key: "DROPBOX_TOKEN", val: "sl." + s.str(aB64URL, 140)},
		{rule: "dropbox-short-lived-api-token", neg: true, text: "dropbox_token = sl.short"},
		{rule: "dropbox-long-lived-api-token", key: "DROPBOX_TOKEN", val: s.str(aAlnum, 11) + "AAAAAAAAAA" + s.str(aB64URL, 43)},
		{rule: "dropbox-long-lived-api-token", neg: true, text: "dropbox_token = " + strings.Repeat("A", 64)},
		{rule: "finnhub-access-token", key: "FINNHUB_API_KEY", val: s.str(aLowNum, 20)},
		{rule: "finnhub-access-token", neg: true, text: "finnhub_symbol = AAPL"},
		{rule: "flickr-access-token", key: "FLICKR_API_KEY", val: s.str(aAlnum, 32)},
		{rule: "flickr-access-token", neg: true, text: "flickr_user = 12345678@N00"},
		{rule: "hubspot-api-key", key: "HUBSPOT_ACCESS_TOKEN", val: "pat-na1-" + s.uuid()},
		{rule: "hubspot-api-key", key: "HUBSPOT_API_KEY", val: s.uuid()},
		{rule: "hubspot-api-key", neg: true, text: "hubspot_portal_id: " + s.uuid()},
		{rule: "linkedin-client-id", key: "LINKEDIN_CLIENT_ID", val: s.str(aLowNum, 14)},
		{rule: "linkedin-client-id", neg: true, text: "linkedin_company = acme"},
		{rule: "linkedin-client-secret", key: "LINKEDIN_CLIENT_SECRET", val: s.str(aAlnum, 16)},
		{rule: "linkedin-client-secret", neg: true, text: "linkedin_secret: none"},
		{rule: "looker-client-id", key: "LOOKER_CLIENT_ID", val: s.str(aAlnum, 20)},
		{rule: "looker-client-id", neg: true, text: "looker_instance = acme.looker.com"},
		{rule: "looker-client-secret", key: "LOOKER_CLIENT_SECRET", val: s.str(aAlnum, 24)},
		{rule: "looker-client-secret", neg: true, text: "looker_secret: ${LOOKER}"},
		{rule: "mapbox-api-token", key: "MAPBOX_ACCESS_TOKEN", val: mapbox},
		{rule: "mapbox-api-token", neg: true, text: "pk.eyJ1Ijoi"},
		{rule: "maxmind-license-key", key: "MAXMIND_LICENSE_KEY", val: s.str(aAlnum, 6) + "_" + s.str(aAlnum, 29) + "_mmk"},
		{rule: "maxmind-license-key", neg: true, text: "file_mmk"},
		{rule: "notion-api-token", key: "NOTION_TOKEN", val: "ntn_" + "1" + s.str(aDigit, 10) + s.str(aAlnum, 35)},
		{rule: "notion-api-token", key: "NOTION_API_KEY", val: "secret_" + s.str(aAlnum, 43)},
		{rule: "notion-api-token", neg: true, text: "client_secret_basic"},
		{rule: "nytimes-access-token", key: "NYTIMES_API_KEY", val: s.str(aB64URL, 32)},
		{rule: "nytimes-access-token", neg: true, text: "nytimes_section = world"},
		{rule: "rapidapi-access-token", key: "RAPIDAPI_KEY", val: s.str(aB64URL, 50)},
		{rule: "rapidapi-access-token", neg: true, text: "rapidapi_host = example.p.rapidapi.com"},
		{rule: "squarespace-access-token", key: "SQUARESPACE_API_KEY", val: s.uuid()},
		{rule: "squarespace-access-token", neg: true, text: "squarespace_site_id: " + s.uuid()},
		{rule: "sumologic-access-id", key: "SUMO_ACCESS_ID", val: "su" + s.str(aAlnum, 12)},
		{rule: "sumologic-access-id", neg: true, text: "sumo_collector = prod"},
		{rule: "sumologic-access-id", key: "sumologicAccessId", val: "su" + s.str(aAlnum, 12)},
		{rule: "sumologic-access-id", neg: true, text: "sumObj = su" + s.str(aAlnum, 12)},
		{rule: "telegram-bot-token", key: "TELEGRAM_BOT_TOKEN", val: "4" + s.str(aDigit, 5) + ":A" + s.str(aB64URL, 34)},
		{rule: "telegram-bot-token", neg: true, text: "bot 123456:A" + s.str(aB64URL, 34)},
		{rule: "sumologic-access-token", key: "SUMO_ACCESS_KEY", val: s.str(aAlnum, 64)},
		{rule: "sumologic-access-token", neg: true, text: "sumo_endpoint = https://api.sumologic.com"},
		{rule: "authress-service-client-access-key", key: "AUTHRESS_KEY", val: "sc_" + s.str(aLowNum, 10) + "." + s.str(aLowNum, 5) + ".acc_" + s.str(aLowNum, 20) + "." + s.str(aB64, 60)},
		{rule: "authress-service-client-access-key", neg: true, text: "obj.acc_total.value"},
		{rule: "intra42-client-secret", key: "FT_SECRET", val: "s-s4t2ud-" + s.str(aHex, 64)},
		{rule: "intra42-client-secret", neg: true, text: "s-s4t2ud-"},
		{rule: "zapier-webhook-url", key: "ZAPIER_HOOK", val: "https://hooks.zapier.com/hooks/catch/" + s.str(aDigit, 7) + "/" + s.str(aLowNum, 7)},
		{rule: "zapier-webhook-url", neg: true, text: "https://hooks.zapier.com/hooks/catch/"},
		// Core rules whose shapes go beyond their issuers' usual layout.
		{rule: "sendgrid-api-key", key: "SENDGRID_API_KEY", val: "SG." + s.str(aB64URL, 22) + "." + s.str(aB64URL, 43)},
		{rule: "sendgrid-api-key", key: "SENDGRID_API_KEY", val: "SG." + s.str(aLowNum+"=", 66)}, // 69 characters, no inner dot
		{rule: "sendgrid-api-key", neg: true, text: "SG." + strings.Repeat("ab=", 22)},
		{rule: "sendgrid-api-key", neg: true, text: "key SG." + s.str(aLowNum+"=", 65)},
		{rule: "slack-webhook-url", key: "SLACK_WEBHOOK", val: "https://hooks.slack.com/services/T" + s.str(aUpNum, 10) + "/B" + s.str(aUpNum, 10) + "/" + s.str(aAlnum, 24)},
		{rule: "slack-webhook-url", key: "SLACK_WEBHOOK", val: "https://hooks.slack.com/workflows/" + s.str(aLowNum, 44)},
		{rule: "slack-webhook-url", neg: true, text: "https://hooks.slack.com/services/" + s.str(aLowNum, 24)},
		{rule: "slack-webhook-url", neg: true, text: "https://hooks.slack.com/services/abcdefghijklmnopqrstuvwxyz" + s.str(aLowNum, 10)},
		{rule: "slack-token", key: "SLACK_TOKEN", val: "xoxp-" + s.str(aDigit, 12) + "-" + s.str(aDigit, 12) + "-" + s.str(aDigit, 12) + "-" + s.str(aHex, 32)},
		{rule: "slack-token", neg: true, text: "token: xoxp-1234-1234-1234-" + s.str(aHex, 32)},
		{rule: "google-api-key", key: "GOOGLE_API_KEY", val: "AIza" + s.str(aB64URL, 35)},
		{rule: "google-api-key", neg: true, text: "AIzaSyABCDEFGHIJKLMNOPQRSTUVWXYZ" + s.str(aAlnum, 7)},
		{rule: "anthropic-api-key", key: "ANTHROPIC_API_KEY", val: "sk-ant-api03-" + s.str(aB64URL, 93) + "AA"},
		{rule: "anthropic-api-key", neg: true, text: "sk-ant-api03-" + s.str(aB64URL, 40) + "klmnopqrstuvwx" + s.str(aB64URL, 39) + "AA"},
		// Tokens found by their context where their own form is not
		// enough: a case-folded or JSON-less token under a key naming its
		// service, a token after its service's name with no assignment.
		{rule: "dynatrace-api-token", key: "dynatraceToken", val: "dt0c01." + s.str(aLowNum, 24) + "." + s.str(aLowNum, 64)},
		{rule: "dynatrace-api-token", key: "DYNATRACE_API_TOKEN", val: "dt0s01." + s.str(aAlnum, 24) + "." + s.str(aAlnum, 64)},
		{rule: "dynatrace-api-token", neg: true, text: "build " + "dt0c01." + s.str(aLowNum, 24) + "." + s.str(aLowNum, 64)},      // lower case needs the key
		{rule: "dynatrace-api-token", neg: true, text: "dynatrace_env = dt0c01." + s.str(aLowNum, 24) + "." + s.str(aLowNum, 63)}, // one short
		{rule: "dynatrace-api-token", neg: true, text: "dynatrace_env = dt0x01." + s.str(aLowNum, 24) + "." + s.str(aLowNum, 64)},
		{rule: "mapbox-api-token", key: "mapboxToken", val: "pk." + s.str(aLowNum, 60) + "." + s.str(aLowNum, 22)},
		{rule: "mapbox-api-token", key: "MAPBOX_SECRET", val: "sk." + s.str(aB64URL, 80) + "." + s.str(aB64URL, 22)},
		{rule: "mapbox-api-token", neg: true, text: "mapbox_style = pk.streets-v11"},
		{rule: "mapbox-api-token", neg: true, text: "mapbox_tiles = pk." + s.str(aLowNum, 60)},
		{rule: "mapbox-api-token", neg: true, text: "style = pk." + s.str(aLowNum, 60) + "." + s.str(aLowNum, 22)}, // no key naming Mapbox
		{rule: "facebook-access-token", text: "facebook %s", val: "1" + s.str(aDigit, 15) + "|" + s.str(aB64URL, 27)},
		{rule: "facebook-access-token", text: `{"facebook", "%s"},`, val: "1" + s.str(aDigit, 14) + "|" + s.str(aHex, 32)},
		{rule: "facebook-access-token", neg: true, text: "facebook 1234|" + s.str(aB64URL, 27)},
		{rule: "facebook-access-token", neg: true, text: "facebook 1" + s.str(aDigit, 14) + "|" + s.str(aB64URL, 20)},
		{rule: "facebook-access-token", neg: true, text: "see https://facebook.com/ 1" + s.str(aDigit, 14) + "|" + s.str(aB64URL, 27)}, // a URL, not a label
		{rule: "telegram-bot-token", text: "telegram bot: %s", val: "8" + s.str(aDigit, 7) + ":A" + s.str(aB64URL, 34)},
		{rule: "telegram-bot-token", neg: true, text: "telegram chat: -100" + s.str(aDigit, 10)},
		{rule: "telegram-bot-token", neg: true, text: "telegram bot: 0" + s.str(aDigit, 7) + ":A" + s.str(aB64URL, 34)},
		{rule: "jfrog-identity-token", text: `login("artifactory", "%s")`, val: "0" + s.str(aLowNum, 63)},
		{rule: "jfrog-identity-token", neg: true, text: `("artifactory", "` + s.str(aHex, 64) + `")`}, // an artifact's SHA-256
		{rule: "jfrog-api-key", text: "jfrog token: %s", val: s.str(aAlnum, 73)},
		{rule: "jfrog-api-key", neg: true, text: "jfrog checksum " + s.str(aHex, 73)},
		{rule: "sourcegraph-access-token", key: "sourcegraph", val: "6d2F" + s.str(aHex+"ABCDEF", 36)},
		{rule: "sourcegraph-access-token", neg: true, text: "sourcegraph: " + s.str(aHex, 40)},                                        // a commit pinned, in one case
		{rule: "curl-auth-header", text: "curl -X GET https://octopus.internal/\n     -H \"X-Octopus-ApiKey: %s\" \\", val: s.uuid()}, // the continuation backslash forgotten
		{rule: "curl-auth-header", text: `wget --header="Authorization: Bearer %s" https://api.internal/`, val: s.str(aB64URL, 40)},
		{rule: "curl-auth-header", neg: true, text: "     -H \"X-Request-Id: " + s.uuid() + "\" \\"},
		{rule: "curl-auth-header", neg: true, text: `wget --header="Authorization: Bearer ${API_TOKEN}" https://api.internal/`},
		{rule: "curl-auth-user", text: `curl -X POST --user "{` + s.uuid() + `}":"{%s}" https://api.internal/`, val: "kV7rX1n8tA2qZL"},
		{rule: "curl-auth-user", neg: true, text: "curl -u {client_id}:{client_secret} https://api.internal/"},
		{rule: "curl-auth-user", neg: true, text: `curl -u "{user}":"{password1}" https://api.internal/`},
	}
}

// TestProviderRules checks every provider rule against its samples: each
// positive sample in every syntax of [syntaxes] yields a finding of its
// rule whose secret is the sample and that fails a default scan, and each
// negative yields no finding at all (or, for a token whose checksum fails,
// only a finding suppressed as such). It also checks that every provider
// rule has both kinds of sample.
func TestProviderRules(t *testing.T) {
	cases := providerCases()
	pos, neg := map[string]int{}, map[string]int{}
	found, total := 0, 0
	for _, tc := range cases {
		if tc.neg {
			neg[tc.rule]++
			fs := ScanString(tc.text + "\n")
			if tc.badSum {
				if len(fs) != 1 || fs[0].RuleID != tc.rule || fs[0].Suppressed != ChecksumMismatch {
					t.Errorf("%s: negative %q with a bad checksum: got %v, want one %s finding suppressed as %q", tc.rule, tc.text, fs, tc.rule, ChecksumMismatch)
				}
				continue
			}
			if len(fs) > 0 {
				t.Errorf("%s: negative %q: got %v", tc.rule, tc.text, fs)
			}
			continue
		}
		pos[tc.rule]++
		texts := map[string]string{}
		if tc.text != "" {
			texts["text"] = fmt.Sprintf(tc.text, tc.val)
		} else {
			for _, sx := range slices.Concat(syntaxes, moreSyntaxes) {
				texts[sx.name] = "first line\n" + sx.fmt(tc.key, tc.val) + "\nlast line\n"
			}
		}
		for _, name := range slices.Sorted(mapsKeys(texts)) {
			total++
			fs := ScanString(texts[name])
			ok := false
			for _, f := range fs {
				if f.RuleID == tc.rule && f.Secret == tc.val && f.Suppressed == NotSuppressed {
					ok = true
				}
			}
			if ok {
				found++
			} else {
				t.Errorf("%s/%s: ScanString(%q) = %v, want a %s finding of the whole value", tc.rule, name, texts[name], fs, tc.rule)
			}
		}
	}
	for _, r := range providerRules {
		if pos[r.ID] == 0 || neg[r.ID] == 0 {
			t.Errorf("rule %s has %d positive and %d negative samples; want at least one of each", r.ID, pos[r.ID], neg[r.ID])
		}
	}
	t.Logf("%d provider rules; recall on their samples: %d/%d", len(providerRules), found, total)
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestBuiltinRuleIDsUnique guards the fingerprints: a rule ID names one rule.
func TestBuiltinRuleIDsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range builtinRules {
		if seen[r.ID] {
			t.Errorf("rule ID %q is used twice", r.ID)
		}
		seen[r.ID] = true
		for _, k := range r.Keywords {
			if k != strings.ToLower(k) {
				t.Errorf("rule %s: keyword %q is not lower case", r.ID, k)
			}
		}
	}
}

func TestBech32(t *testing.T) {
	for _, tt := range []struct {
		give string
		want bool
	}{
		{bech32Encode("age-secret-key-", make([]byte, 52)), true},
		{bech32Encode("a", []byte{1, 2, 3}), true},
		{"A12UEL5L", true}, // BIP 173 test vector
		{"A12UEL5M", false},
		{"age1", false},
	} {
		if got := bech32OK(tt.give); got != tt.want {
			t.Errorf("bech32OK(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

// TestJWTHeaders checks which JWT headers make a token: any registered
// JOSE name may come first, an unsecured token (alg none) needs no
// signature, a header opening with a private name counts only when it and
// the payload are whole JSON objects and the signature is binary, and
// anything else is not a JWT.
func TestJWTHeaders(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	payload := enc([]byte(`{"sub":"4711","name":"svc-deploy","iat":1700000000}`))
	sig := enc([]byte("\x8f\x02\x91\xd3\x17\xaa\x05\xfe\x6b\x33\xc0\x49\x7d\x10\xe2\x5b\x99\x04\x3a\x71\xbc\x28\x66\x0f"))
	tests := []struct {
		name, header, sig string
		want              bool
	}{
		{"alg", `{"alg":"HS256","typ":"JWT"}`, sig, true},
		{"typ-first", `{"typ":"JWT","alg":"RS256"}`, sig, true},
		{"kid", `{"kid":"2024-01","alg":"ES256"}`, sig, true},
		{"jwk", `{"jwk":{"kty":"EC","crv":"P-256"},"alg":"ES256"}`, sig, true},
		{"crit", `{"crit":["exp"],"exp":1700000000}`, sig, true},
		{"unsecured", `{"alg":"none"}`, "", true},
		{"private-name", `{"ver":"2"}`, sig, true}, // RFC 7515 §4.3: header and payload whole JSON, binary signature
		{"unknown-name-text-signature", `{"not":"a jwt"}`, enc([]byte("signaturesignature")), false},
		{"unknown-name-cut-header", `{"not":"a jwt"`, sig, false},
		{"not-an-object", `["alg","HS256"]`, sig, false},
		{"unsigned-but-signed-alg", `{"alg":"HS256"}`, "", false},
		{"short-signature", `{"alg":"HS256"}`, "c2ln", false},
	}
	for _, tt := range tests {
		tok := enc([]byte(tt.header)) + "." + payload + "." + tt.sig
		fs := ScanString("Authorization: Bearer " + tok + "\n")
		got := false
		for _, f := range fs {
			if f.RuleID == "jwt" && strings.HasPrefix(f.Secret, tok) {
				got = true
			}
		}
		if got != tt.want {
			t.Errorf("%s: ScanString(%q) = %v, want a jwt finding: %v", tt.name, tok, fs, tt.want)
		}
	}
}

// TestNear checks what may part a provider's name from a value that
// follows it with no assignment: a closing quote, blanks, one more word,
// one ':', '=' or ','; nothing else, and never a path, a URL or more of
// the name.
func TestNear(t *testing.T) {
	s := sampler{rand.New(rand.NewPCG(7, 8))}
	val := "1" + s.str(aDigit, 15) + "|" + s.str(aB64URL, 27)
	m := near(facebookApp)
	tests := []struct {
		name, give string
		want       bool
	}{
		{"label", "facebook " + val, true},
		{"label-colon", "Facebook: " + val, true},
		{"second-word", "facebook app: " + val, true},
		{"pair", `{"facebook", "` + val + `"}`, true},
		{"pair-single-quotes", `('facebook', '` + val + `')`, true},
		{"two-more-words", "facebook app token: " + val, false},
		{"url", "https://facebook.com/ " + val, false},
		{"path", "/srv/facebook " + val, false},
		{"joined", "facebook" + val, false},
		{"unclosed-quote", `"facebook", "` + val, false},
		{"next-line", "facebook\n" + val, false},
		{"value-continues", "facebook " + val + "x!", false},
	}
	for _, tt := range tests {
		b := []byte(tt.give)
		i := strings.Index(strings.ToLower(tt.give), "facebook")
		sp, ok := m(b, i, i+len("facebook"))
		if ok != tt.want {
			t.Errorf("%s: near(%q) = %v, want %v", tt.name, tt.give, ok, tt.want)
			continue
		}
		if ok && tt.give[sp.sStart:sp.sEnd] != val {
			t.Errorf("%s: near(%q) secret = %q, want %q", tt.name, tt.give, tt.give[sp.sStart:sp.sEnd], val)
		}
	}
}
