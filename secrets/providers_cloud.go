package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"strings"
)

// Cloud platforms, infrastructure and observability services.
var cloudRules = []Rule{
	{ID: "aws-amazon-bedrock-api-key-long-lived", Description: "Amazon Bedrock long-term API key (base64 of BedrockAPIKey-…)", Keywords: []string{"ABSKQmVkcm9ja0FQSUtleS"}, match: tok("ABSKQmVkcm9ja0FQSUtleS", clsB64Pad, 40, 400, func(s string) bool { return b64Has("QmVkcm9ja0FQSUtleS"+s, "BedrockAPIKey-") }), prefix: 4},
	{ID: "aws-amazon-bedrock-api-key-short-lived", Description: "Amazon Bedrock short-term API key (a presigned bedrock.amazonaws.com request)", Keywords: []string{"bedrock-api-key-"}, match: tok("bedrock-api-key-", clsB64Pad, 100, 4000, func(s string) bool { return b64Has(s, "bedrock.amazonaws.com") }), prefix: 16},
	{ID: "alibaba-access-key-id", Description: "Alibaba Cloud AccessKey ID", Keywords: []string{"LTAI"}, match: tok("LTAI", clsAlnum, 12, 20, nil), prefix: 4},
	provider("alibaba-secret-key", "Alibaba Cloud AccessKey secret", []string{"alibaba", "aliyun"}, alnumN(30).key("secret")),
	{ID: "azure-ad-client-secret", Description: "Microsoft Entra ID (Azure AD) application client secret", Keywords: []string{"Q~"}, match: matchAzureADSecret},
	{ID: "cloudflare-origin-ca-key", Description: "Cloudflare Origin CA key", Keywords: []string{"v1.0-"}, match: segs("v1.0-", '-', clsLowerHex, [2]int{24, 24}, [2]int{146, 146}), prefix: 5},
	provider("cloudflare-global-api-key", "Cloudflare global API key", []string{"cloudflare", "cf_api", "cf_auth"}, hexN(37)),
	provider("cloudflare-api-key", "Cloudflare API token", []string{"cloudflare", "cf_api"}, valueSpec{c: clsB64URL, min: 40, max: 40, minH: 3.5}),
	{ID: "digitalocean-pat", Description: "DigitalOcean personal access token", Keywords: []string{"dop_v1_"}, match: tok("dop_v1_", clsLowerHex, 64, 64, nil), prefix: 7},
	{ID: "digitalocean-access-token", Description: "DigitalOcean OAuth access token", Keywords: []string{"doo_v1_"}, match: tok("doo_v1_", clsLowerHex, 64, 64, nil), prefix: 7},
	{ID: "digitalocean-refresh-token", Description: "DigitalOcean OAuth refresh token", Keywords: []string{"dor_v1_"}, match: tok("dor_v1_", clsLowerHex, 64, 64, nil), prefix: 7},
	{ID: "flyio-access-token", Description: "Fly.io API or deploy token", Keywords: []string{"fo1_", "fm1r_", "fm1a_", "fm2_"}, match: either(
		tok("fo1_", clsB64URL, 43, 43, nil),
		tok("fm1r_", clsB64Pad, 100, 4000, nil),
		tok("fm1a_", clsB64Pad, 100, 4000, nil),
		tok("fm2_", clsB64Pad, 100, 4000, nil)), prefix: 4},
	provider("heroku-api-key", "Heroku API key (a UUID assigned to a Heroku name)", []string{"heroku"}, uuidV()),
	{ID: "heroku-api-key-v2", Description: "Heroku platform API token", Keywords: []string{"HRKU-AA"}, match: tok("HRKU-AA", clsB64URL, 58, 58, nil), prefix: 7},
	{ID: "netlify-access-token", Description: "Netlify personal access token", Keywords: []string{"nfp_", "netlify"}, match: either(
		tok("nfp_", clsAlnum, 36, 36, nil),
		named(b64urlR(40, 46)))},
	{ID: "yandex-api-key", Description: "Yandex Cloud API key", Keywords: []string{"AQVN"}, match: tok("AQVN", clsB64URL, 35, 38, nil), prefix: 4},
	provider("yandex-access-token", "Yandex Cloud IAM token", []string{"yandex"}, valueSpec{c: clsAlnumDot, min: 90, max: 400, check: func(s string) bool { return strings.HasPrefix(s, "t1.") && strings.Count(s, ".") == 2 }}),
	provider("yandex-aws-access-token", "Yandex Cloud static access key secret", []string{"yandex"}, valueSpec{c: clsB64URL, min: 40, max: 40, minH: 3.5, check: func(s string) bool { return strings.HasPrefix(s, "YC") }}),
	{ID: "scalingo-api-token", Description: "Scalingo API token", Keywords: []string{"tk-us-"}, match: tok("tk-us-", clsB64URL, 48, 48, nil), prefix: 6},
	{ID: "openshift-user-token", Description: "OpenShift user OAuth access token", Keywords: []string{"sha256~"}, match: tok("sha256~", clsB64URL, 43, 43, nil), prefix: 7},
	{ID: "vault-service-token", Description: "HashiCorp Vault service token", Keywords: []string{"hvs.", "vault"}, match: either(
		tok("hvs.", clsB64URL, 90, 300, nil),
		named(valueSpec{c: clsAlnumDot, min: 26, max: 26, minH: 3.5, check: func(s string) bool { return strings.HasPrefix(s, "s.") && strings.Count(s, ".") == 1 }}.key("token").not("url", "addr", "namespace")),
	), prefix: 4},
	{ID: "vault-batch-token", Description: "HashiCorp Vault batch token", Keywords: []string{"hvb."}, match: tok("hvb.", clsB64URL, 130, 400, nil), prefix: 4},
	{ID: "hashicorp-tf-api-token", Description: "Terraform Cloud / HCP Terraform API token", Keywords: []string{".atlasv1."}, match: matchAtlas},
	{ID: "doppler-api-token", Description: "Doppler API token (personal, service, CLI, SCIM, audit, service account)", Keywords: []string{"dp.pt.", "dp.st.", "dp.ct.", "dp.sa.", "dp.scim.", "dp.audit."}, match: matchDoppler, prefix: 6},
	{ID: "pulumi-api-token", Description: "Pulumi access token", Keywords: []string{"pul-"}, match: tok("pul-", clsLowerHex, 40, 40, nil), prefix: 4},
	{ID: "databricks-api-token", Description: "Databricks personal access token", Keywords: []string{"dapi"}, match: matchDatabricks, prefix: 4},
	{ID: "dynatrace-api-token", Description: "Dynatrace API token", Keywords: []string{"dt0c01.", "dt0s01.", "dt0a01.", "dynatrace"}, match: either(
		segs("dt0c01.", '.', clsUpperNum, [2]int{24, 24}, [2]int{64, 64}),
		segs("dt0s01.", '.', clsUpperNum, [2]int{24, 24}, [2]int{64, 64}),
		segs("dt0a01.", '.', clsUpperNum, [2]int{24, 24}, [2]int{64, 64}),
		named(dynatraceFolded)), prefix: 7},
	provider("datadog-access-token", "Datadog API or application key", []string{"datadog", "dd_api", "dd_app", "ddapi", "ddapp"}, valueSpec{c: clsLowerHex, min: 32, max: 40, check: func(s string) bool { return len(s) == 32 || len(s) == 40 }}),
	{ID: "new-relic-user-api-key", Description: "New Relic user API key", Keywords: []string{"NRAK-"}, match: tok("NRAK-", clsUpperNum, 27, 27, nil), prefix: 5},
	{ID: "new-relic-browser-api-token", Description: "New Relic browser API token", Keywords: []string{"NRJS-"}, match: tok("NRJS-", clsLowerHex, 19, 19, nil), prefix: 5},
	{ID: "new-relic-insert-key", Description: "New Relic insights insert key", Keywords: []string{"NRII-"}, match: tok("NRII-", clsB64URL, 32, 32, nil), prefix: 5},
	{ID: "new-relic-license-key", Description: "New Relic ingest license key (40 characters ending in NRAL)", Keywords: []string{"NRAL"}, match: matchNewRelicLicense},
	provider("new-relic-user-api-id", "New Relic user API ID", []string{"newrelic", "new_relic", "new-relic"}, valueSpec{c: clsUpperNum, min: 64, max: 64}.key("id")),
	{ID: "grafana-service-account-token", Description: "Grafana service account token, checksum verified", Keywords: []string{"glsa_"}, match: matchGrafanaSA, checksum: grafanaSAChecksum, prefix: 5},
	{ID: "grafana-cloud-api-token", Description: "Grafana Cloud access policy token (base64 JSON with a key)", Keywords: []string{"glc_"}, match: tok("glc_", clsB64Pad, 32, 400, func(s string) bool { return b64JSON(s, "k") }), prefix: 4},
	{ID: "grafana-api-key", Description: "Grafana API key (base64 JSON with k, n and id)", Keywords: []string{"eyJrIjoi"}, match: matchGrafanaKey},
	{ID: "sentry-org-token", Description: "Sentry organization auth token (base64 JSON claims and a secret)", Keywords: []string{"sntrys_"}, match: matchSentryOrg, prefix: 7},
	{ID: "sentry-user-token", Description: "Sentry user auth token", Keywords: []string{"sntryu_"}, match: tok("sntryu_", clsLowerHex, 64, 64, nil), prefix: 7},
	provider("sentry-access-token", "Sentry auth token (64 hex) assigned to a Sentry name", []string{"sentry"}, hexN(64)),
	provider("fastly-api-token", "Fastly API token", []string{"fastly"}, valueSpec{c: clsB64URL, min: 32, max: 32, minH: 3.5}),
	provider("okta-access-token", "Okta API token", []string{"okta"}, valueSpec{c: clsB64URL, min: 42, max: 42, minH: 3.5, check: func(s string) bool { return strings.HasPrefix(s, "00") }}),
	{ID: "1password-secret-key", Description: "1Password account Secret Key", Keywords: []string{"A3-"}, match: match1PasswordKey, prefix: 3},
	{ID: "1password-service-account-token", Description: "1Password service account token (base64 JSON)", Keywords: []string{"ops_eyJ"}, match: tok("ops_eyJ", clsB64Pad, 200, 2000, func(s string) bool { return tokenish(s) && b64JSON("eyJ"+s) }), prefix: 4},
	{ID: "age-secret-key", Description: "age secret key, bech32 checksum verified", Keywords: []string{"AGE-SECRET-KEY-1"}, match: matchAgeKey, checksum: bech32OK, prefix: 16},
	{ID: "harness-api-key", Description: "Harness personal or service account token", Keywords: []string{"pat.", "sat."}, match: either(
		segs("pat.", '.', clsB64URL, [2]int{22, 22}, [2]int{24, 24}, [2]int{20, 20}),
		segs("sat.", '.', clsB64URL, [2]int{22, 22}, [2]int{24, 24}, [2]int{20, 20})), prefix: 4},
	{ID: "octopus-deploy-api-key", Description: "Octopus Deploy API key", Keywords: []string{"API-"}, match: tok("API-", clsUpperNum, 25, 32, func(s string) bool { return tokenish(s) && strings.ContainsAny(s, "0123456789") }), prefix: 4},
	{ID: "infracost-api-token", Description: "Infracost API token", Keywords: []string{"ico-"}, match: tok("ico-", clsAlnum, 32, 32, nil), prefix: 4},
	{ID: "defined-networking-api-token", Description: "Defined Networking (Nebula) API token", Keywords: []string{"dnkey-"}, match: segs("dnkey-", '-', mkclass("a-z0-9=_"), [2]int{26, 26}, [2]int{52, 52}), prefix: 6},
	{ID: "planetscale-api-token", Description: "PlanetScale service token", Keywords: []string{"pscale_tkn_"}, match: tok("pscale_tkn_", clsAlnumDot, 32, 64, nil), prefix: 11},
	{ID: "planetscale-oauth-token", Description: "PlanetScale OAuth token", Keywords: []string{"pscale_oauth_"}, match: tok("pscale_oauth_", clsAlnumDot, 32, 64, nil), prefix: 13},
	{ID: "planetscale-password", Description: "PlanetScale database password", Keywords: []string{"pscale_pw_"}, match: tok("pscale_pw_", clsAlnumDot, 32, 64, nil), prefix: 10},
	{ID: "clickhouse-cloud-api-secret-key", Description: "ClickHouse Cloud API secret key", Keywords: []string{"4b1d"}, match: tok("4b1d", clsAlnum, 38, 38, nil), prefix: 4},
	provider("confluent-access-token", "Confluent Cloud API key", []string{"confluent"}, alnumN(16).not("secret")),
	provider("confluent-secret-key", "Confluent Cloud API secret", []string{"confluent"}, valueSpec{c: clsB64Pad, min: 64, max: 64, minH: 4}.key("secret")),
	provider("cisco-meraki-api-key", "Cisco Meraki Dashboard API key", []string{"meraki"}, hexN(40)),
	{ID: "kubernetes-secret-yaml", Description: "Value under data: of a Kubernetes Secret manifest (base64)", Keywords: []string{"kind: secret", "kind: 'secret'", `kind: "secret"`}, match: matchK8sSecret},
}

var clsAzSecret = mkclass("a-zA-Z0-9_~.-")

// matchAzureADSecret matches an Entra ID client secret: three characters, a
// digit, the marker "Q~", then 31 to 34 characters.
func matchAzureADSecret(b []byte, i, j int) (span, bool) {
	if string(b[i:j]) != "Q~" || i < 4 || !clsDigit[b[i-1]] {
		return span{}, false
	}
	s := i - 4
	for k := s; k < i-1; k++ {
		if !clsAzSecret[b[k]] {
			return span{}, false
		}
	}
	if contBefore(b, s, clsAzSecret) {
		return span{}, false
	}
	e := run(b, j, clsAzSecret, 35)
	if n := e - j; n < 31 || n > 34 || clsAzSecret[at(b, e)] || !tokenish(string(b[j:e])) {
		return span{}, false
	}
	return whole(s, e), true
}

// matchAtlas matches a Terraform Cloud token: 14 characters, ".atlasv1.",
// then 60 to 70 characters.
func matchAtlas(b []byte, i, j int) (span, bool) {
	s := runBack(b, i, clsAlnum, 15)
	if i-s != 14 || contBefore(b, s, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsB64URLP, 71)
	if n := e - j; n < 60 || n > 70 || clsB64URLP[at(b, e)] || !tokenish(string(b[j:e])) {
		return span{}, false
	}
	return whole(s, e), true
}

// matchDoppler matches dp.<kind>.[<config>.]<40 to 44 characters>.
func matchDoppler(b []byte, i, j int) (span, bool) {
	if contBefore(b, i, clsWord) || !strings.HasPrefix(string(b[i:j]), "dp.") {
		return span{}, false
	}
	k := j
	e := run(b, k, clsAlnum, 45)
	if at(b, e) == '.' && string(b[i:j]) == "dp.st." { // service token: dp.st.<config>.<token>
		k = e + 1
		e = run(b, k, clsAlnum, 45)
	}
	if n := e - k; n < 40 || n > 44 || clsWord[at(b, e)] || !tokenish(string(b[k:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

func matchDatabricks(b []byte, i, j int) (span, bool) {
	// dapi + 32 lower-case hex, optionally -<digit>.
	if string(b[i:j]) != "dapi" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsLowerHex, 33)
	if e-j != 32 || !tokenish(string(b[j:e])) {
		return span{}, false
	}
	if at(b, e) == '-' && clsDigit[at(b, e+1)] && !clsWord[at(b, e+2)] {
		e += 2
	}
	if clsWord[at(b, e)] {
		return span{}, false
	}
	return whole(i, e), true
}

func matchNewRelicLicense(b []byte, i, j int) (span, bool) {
	// 36 hex characters and the suffix NRAL.
	if string(b[i:j]) != "NRAL" || clsWord[at(b, j)] {
		return span{}, false
	}
	s := runBack(b, i, clsHex, 37)
	if i-s != 36 || contBefore(b, s, clsWord) || !tokenish(string(b[s:i])) {
		return span{}, false
	}
	return whole(s, j), true
}

// dynatraceFolded is a Dynatrace token in any case, assigned to a key
// naming Dynatrace: dt0c01 (or dt0s01, dt0a01), '.', the 24-character
// public ID, '.', the 64-character secret. Dynatrace issues the two parts
// in upper case; a token lower-cased on its way into a config is still
// the token, but without a Dynatrace-named key a lower-case look-alike is
// not taken.
var dynatraceFolded = valueSpec{c: mkclass("a-zA-Z0-9."), min: 96, max: 96, raw: true, check: func(v string) bool {
	p := strings.ToLower(v[:7])
	if p != "dt0c01." && p != "dt0s01." && p != "dt0a01." || v[31] != '.' {
		return false
	}
	id, sec := v[7:31], v[32:]
	return run([]byte(id), 0, clsAlnum, 24) == 24 && run([]byte(sec), 0, clsAlnum, 64) == 64 && tokenish(id) && tokenish(sec)
}}

// grafanaChecksum returns the checksum Grafana appends to a service
// account token: the CRC-32 (IEEE) of the token up to the last "_", as
// little-endian hex.
func grafanaChecksum(key string) string {
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.ChecksumIEEE([]byte(key)))
	return hex.EncodeToString(sum[:])
}

func matchGrafanaSA(b []byte, i, j int) (span, bool) {
	// glsa_ + 32 alphanumerics + "_" + 8 hex checksum. The shape alone
	// makes a match; the rule's checksum judges it (see crc32Checksum).
	if string(b[i:j]) != "glsa_" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsAlnum, 33)
	if e-j != 32 || at(b, e) != '_' {
		return span{}, false
	}
	c := run(b, e+1, clsLowerHex, 9)
	if c-(e+1) != 8 || clsWord[at(b, c)] {
		return span{}, false
	}
	return whole(i, c), true
}

// grafanaSAChecksum verifies a whole service account token.
func grafanaSAChecksum(tok string) bool {
	return len(tok) == 46 && grafanaChecksum(tok[:37]) == tok[38:]
}

// matchGrafanaKey matches a Grafana API key: base64 of a JSON object
// whose first member is the key itself, {"k":"…","n":"…","id":…}. The
// prefix (the base64 of {"k":") is specific enough that the rest is
// checked only for length and randomness: a JSON Web Key of a symmetric
// key, which can start the same way, is a secret too.
func matchGrafanaKey(b []byte, i, j int) (span, bool) {
	if string(b[i:j]) != "eyJrIjoi" || contBefore(b, i, clsB64) {
		return span{}, false
	}
	e := run(b, i, clsB64Pad, 200)
	if n := e - i; n < 60 || n > 180 || clsB64URL[at(b, e)] || !tokenish(string(b[j:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

func matchSentryOrg(b []byte, i, j int) (span, bool) {
	// sntrys_ + base64 JSON claims (iat, url, org) + "_" + 43 base64.
	if string(b[i:j]) != "sntrys_" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsB64Pad, 600)
	if e-j < 40 || at(b, e) != '_' || !b64JSON(string(b[j:e]), "iat") {
		return span{}, false
	}
	// The secret is 43 characters of base64, in either alphabet.
	s := run(b, e+1, clsB64Any, 44)
	if s-(e+1) != 43 || clsB64Any[at(b, s)] && at(b, s) != '=' {
		return span{}, false
	}
	return whole(i, s), true
}

var cls1P = mkclass("A-Z0-9")

func match1PasswordKey(b []byte, i, j int) (span, bool) {
	// A3-<6>-<26 in groups: 11-5-5-5 or 6-5-5-5-5>.
	if string(b[i:j]) != "A3-" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, mkclass("A-Z0-9-"), 48)
	parts := strings.Split(string(b[j:e]), "-")
	if clsWord[at(b, e)] || len(parts) < 5 || len(parts[0]) != 6 {
		return span{}, false
	}
	n := 0
	var sb strings.Builder
	for _, p := range parts[1:] {
		if len(p) < 5 || len(p) > 11 {
			return span{}, false
		}
		n += len(p)
		sb.WriteString(p)
	}
	if n != 26 || !tokenish(sb.String()) {
		return span{}, false
	}
	return whole(i, e), true
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// bech32OK verifies the checksum of a bech32 string (BIP 173), case-insensitively.
func bech32OK(s string) bool {
	s = strings.ToLower(s)
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || sep+7 > len(s) {
		return false
	}
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
	hrp := s[:sep]
	for k := 0; k < len(hrp); k++ {
		step(uint32(hrp[k]) >> 5)
	}
	step(0)
	for k := 0; k < len(hrp); k++ {
		step(uint32(hrp[k]) & 31)
	}
	for k := sep + 1; k < len(s); k++ {
		v := strings.IndexByte(bech32Charset, s[k])
		if v < 0 {
			return false
		}
		step(uint32(v))
	}
	return chk == 1
}

var clsBech32Upper = mkclass("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")

func matchAgeKey(b []byte, i, j int) (span, bool) {
	// AGE-SECRET-KEY-1 + 58 upper-case bech32 characters (52 of data, 6
	// of checksum). The shape alone makes a match; the rule's checksum
	// judges it (see crc32Checksum).
	if string(b[i:j]) != "AGE-SECRET-KEY-1" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsBech32Upper, 59)
	if e-j != 58 || clsWord[at(b, e)] {
		return span{}, false
	}
	return whole(i, e), true
}

// matchK8sSecret matches a Kubernetes Secret manifest at its "kind:
// Secret" line and reports the first value under the same document's
// data: map, before or after the kind line, that holds a credential: the
// values are base64 (RFC 4648) by the Secret's definition, and one counts
// when it decodes to at least 5 bytes of text that is no placeholder
// (changeme, a template) and no public certificate, or to at least 16
// bytes of binary key material. Other kinds (ExternalSecret, SopsSecret,
// ConfigMap) hold references or encrypted text and are not matched.
func matchK8sSecret(b []byte, i, j int) (span, bool) {
	ls := bytes.LastIndexByte(b[:i], '\n') + 1
	indent := run(b, ls, clsSpace, 64)
	if indent != i {
		return span{}, false // kind: must start its line
	}
	k := j
	if q := b[j-1]; q == '\'' || q == '"' {
		k-- // keyword ends with the opening quote
	}
	k = run(b, k, clsAlpha, 7)
	if !strings.EqualFold(string(b[k-6:k]), "secret") {
		return span{}, false
	}
	if q := at(b, k); q == '\'' || q == '"' {
		k++
	}
	e := run(b, k, clsSpace, 64)
	if at(b, e) == '\r' {
		e++
	}
	if e < len(b) && b[e] != '\n' {
		return span{}, false // kind: SecretStore, kind: Secret # …
	}
	ds, de := yamlDocument(b, ls)
	for p := ds; p < de; {
		le := bytes.IndexByte(b[p:de], '\n')
		if le < 0 {
			le = de - p
		}
		line := b[p : p+le]
		next := p + le + 1
		in := run(line, 0, clsSpace, 64)
		if in == i-ls && bytes.Equal(bytes.TrimRight(line[in:], " \t\r"), []byte("data:")) {
			if sp, ok := k8sDataValue(b, next, de, in); ok {
				return sp, true
			}
		}
		p = next
	}
	return span{}, false
}

var clsAlpha = mkclass("a-zA-Z")

// yamlDocument returns the bounds of the YAML document holding the line
// at ls: up to 16 KiB either way, split at "---" lines.
func yamlDocument(b []byte, ls int) (int, int) {
	ds := max(0, ls-16<<10)
	if k := bytes.LastIndex(b[ds:ls], []byte("\n---")); k >= 0 {
		ds += k + 1
	} else if ds == 0 && bytes.HasPrefix(b, []byte("---")) {
		ds = 0
	}
	de := min(len(b), ls+16<<10)
	if k := bytes.Index(b[ls:de], []byte("\n---")); k >= 0 {
		de = ls + k
	}
	return ds, de
}

// k8sDataValue scans the entries of a data: map whose lines start at p
// and are indented deeper than in, and returns the first credential.
func k8sDataValue(b []byte, p, de, in int) (span, bool) {
	for p < de {
		le := bytes.IndexByte(b[p:de], '\n')
		if le < 0 {
			le = de - p
		}
		line := b[p : p+le]
		next := p + le + 1
		ind := run(line, 0, clsBlank, 64)
		switch {
		case ind == len(bytes.TrimRight(line, "\r")):
			p = next
			continue // blank line
		case ind <= in:
			return span{}, false // the map ended
		case line[ind] == '#':
			p = next
			continue
		}
		ke := run(line, ind, clsIdent, 256)
		if ke == ind || at(line, ke) != ':' {
			p = next
			continue
		}
		vs := run(line, ke+1, clsSpace, 16)
		ve := len(bytes.TrimRight(line, " \t\r"))
		if c := at(line, vs); (c == '|' || c == '>') && next < de {
			// A block scalar: its first line holds the value.
			nl := bytes.IndexByte(b[next:de], '\n')
			if nl < 0 {
				nl = de - next
			}
			l2 := b[next : next+nl]
			s2 := run(l2, 0, clsBlank, 64)
			e2 := len(bytes.TrimRight(l2, " \t\r"))
			if s2 > ind && s2 < e2 && k8sCredential(l2[s2:e2]) {
				return span{next + s2, next + e2, next + s2, next + e2}, true
			}
			p = next
			continue
		}
		if vs < ve && (line[vs] == '\'' || line[vs] == '"') && line[ve-1] == line[vs] {
			vs, ve = vs+1, ve-1
		}
		if vs < ve && k8sCredential(line[vs:ve]) {
			return span{p + vs, p + ve, p + vs, p + ve}, true
		}
		p = next
	}
	return span{}, false
}

// k8sCredential reports whether a Secret's data value decodes to a
// credential (see matchK8sSecret).
func k8sCredential(v []byte) bool {
	if len(v) < 8 || run(v, 0, clsB64Pad, len(v)) != len(v) {
		return false
	}
	dec, err := base64.StdEncoding.DecodeString(string(v))
	if err != nil {
		return false
	}
	if !printable(dec) {
		return len(dec) >= 16 && distinct(string(dec)) >= 8
	}
	t := strings.TrimSpace(string(dec))
	lt := strings.ToLower(t)
	if len(t) < 5 || trivialValues[lt] || strings.Contains(lt, "-----begin certificate") || strings.Contains(lt, "public key-----") {
		return false
	}
	for _, w := range k8sPlaceholders {
		if strings.Contains(lt, w) {
			return false
		}
	}
	return true
}

// k8sPlaceholders mark a decoded Secret value as a stand-in. The list is
// shorter than the generic rules' placeholder words because a decoded
// value may be a whole document (a .dockerconfigjson) that contains
// braces and "example" hosts.
var k8sPlaceholders = []string{"changeme", "change_me", "change-me", "placeholder", "redacted", "dummy", "xxxx", "replace", "your_", "your-", "<your", "${", "{{ "}
