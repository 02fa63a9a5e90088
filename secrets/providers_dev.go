package secrets

import (
	"encoding/base64"
	"strings"
)

// Code hosting, CI/CD, package registries and developer tools.
var devRules = []Rule{
	{ID: "gitlab-kubernetes-agent-token", Description: "GitLab agent for Kubernetes token", Keywords: []string{"glagent-"}, match: tok("glagent-", clsB64URL, 50, 50, nil), prefix: 8},
	{ID: "gitlab-feed-token", Description: "GitLab feed token", Keywords: []string{"glft-"}, match: tok("glft-", clsB64URL, 20, 20, nil), prefix: 5},
	{ID: "gitlab-rrt", Description: "GitLab runner registration token", Keywords: []string{"GR1348941"}, match: tok("GR1348941", clsB64URL, 20, 20, nil), prefix: 9},
	{ID: "gitlab-session-cookie", Description: "GitLab session cookie", Keywords: []string{"_gitlab_session="}, match: matchAfter("_gitlab_session=", clsLowerHex, 32, 32)},
	provider("bitbucket-client-id", "Bitbucket OAuth consumer key", []string{"bitbucket"}, alnumN(32).not("secret")),
	provider("bitbucket-client-secret", "Bitbucket OAuth consumer secret", []string{"bitbucket"}, valueSpec{c: mkclass("a-zA-Z0-9=_-"), min: 64, max: 64, minH: 3.5}.key("secret")),
	{ID: "atlassian-api-token", Description: "Atlassian (Jira, Confluence) API token", Keywords: []string{"ATATT3", "atlassian", "jira", "confluence"}, match: either(
		tok("ATATT3", clsB64URLP, 180, 200, nil),
		named(alnumN(24).key("token", "key", "secret", "password", "pass", "pwd"))), prefix: 6},
	provider("travisci-access-token", "Travis CI access token", []string{"travis"}, alnumN(22)),
	provider("droneci-access-token", "Drone CI access token", []string{"drone"}, alnumN(32)),
	provider("codecov-access-token", "Codecov upload or API token", []string{"codecov"}, valueSpec{c: mkclass("a-zA-Z0-9-"), min: 32, max: 36, minH: 3, check: func(s string) bool {
		return len(s) == 32 && !strings.Contains(s, "-") || isUUID(s)
	}}),
	provider("snyk-api-token", "Snyk API token", []string{"snyk"}, uuidV()),
	{ID: "sonar-api-token", Description: "SonarQube or SonarCloud token", Keywords: []string{"squ_", "sqp_", "sqa_", "sonar"}, match: either(
		tok("squ_", clsLowerHex, 40, 40, nil),
		tok("sqp_", clsLowerHex, 40, 40, nil),
		tok("sqa_", clsLowerHex, 40, 40, nil),
		named(hexN(40).key("token", "key", "login"))), prefix: 4},
	{ID: "sourcegraph-access-token", Description: "Sourcegraph access token", Keywords: []string{"sgp_", "sgph_", "sourcegraph"}, match: either(matchSourcegraph,
		named(valueSpec{c: clsHex, min: 40, max: 40, minH: 3, keyAny: credentialWords}),
		named(valueSpec{c: clsHex, min: 40, max: 40, minH: 3, check: mixedCaseHex})), prefix: 4},
	{ID: "artifactory-api-key", Description: "JFrog Artifactory API key", Keywords: []string{"AKCp"}, match: tok("AKCp", clsAlnum, 69, 69, nil), prefix: 4},
	{ID: "artifactory-reference-token", Description: "JFrog Artifactory reference token (base64 of reftkn:…)", Keywords: []string{"cmVmdGtu"}, match: tok("cmVmdGtu", clsAlnum, 56, 56, func(s string) bool { return b64Has("cmVmdGtu"+s, "reftkn:") })},
	{ID: "jfrog-api-key", Description: "JFrog API key", Keywords: []string{"jfrog", "artifactory"}, match: either(named(alnumN(73)), near(jfrogNear(73)))},
	{ID: "jfrog-identity-token", Description: "JFrog identity token", Keywords: []string{"jfrog", "artifactory"}, match: either(named(alnumN(64)), near(jfrogNear(64)))},
	{ID: "pypi-upload-token", Description: "PyPI or TestPyPI API token (a macaroon for pypi.org)", Keywords: []string{"pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"}, match: matchPyPI, prefix: 5},
	{ID: "rubygems-api-token", Description: "RubyGems API key", Keywords: []string{"rubygems_"}, match: tok("rubygems_", clsLowerHex, 48, 48, nil), prefix: 9},
	{ID: "clojars-api-token", Description: "Clojars deploy token", Keywords: []string{"CLOJARS_"}, match: tok("CLOJARS_", clsAlnum, 60, 60, nil), prefix: 8},
	{ID: "postman-api-token", Description: "Postman API key", Keywords: []string{"PMAK-"}, match: segs("PMAK-", '-', clsLowerHex, [2]int{24, 24}, [2]int{34, 34}), prefix: 5},
	{ID: "prefect-api-token", Description: "Prefect Cloud API key", Keywords: []string{"pnu_"}, match: tok("pnu_", clsAlnum, 36, 36, nil), prefix: 4},
	{ID: "linear-api-key", Description: "Linear personal API key", Keywords: []string{"lin_api_"}, match: tok("lin_api_", clsAlnum, 40, 40, nil), prefix: 8},
	provider("linear-client-secret", "Linear OAuth client secret", []string{"linear"}, hexN(32).key("secret")),
	{ID: "readme-api-token", Description: "ReadMe API key", Keywords: []string{"rdme_"}, match: tok("rdme_", clsLowerNum, 70, 70, nil), prefix: 5},
	provider("launchdarkly-access-token", "LaunchDarkly API access token or SDK key", []string{"launchdarkly", "launch_darkly"}, valueSpec{c: mkclass("a-z0-9-"), min: 40, max: 40, check: func(s string) bool {
		return (strings.HasPrefix(s, "api-") || strings.HasPrefix(s, "sdk-") || strings.HasPrefix(s, "mob-")) && isUUID(s[4:])
	}}),
	{ID: "frameio-api-token", Description: "Frame.io developer token", Keywords: []string{"fio-u-"}, match: tok("fio-u-", clsB64URLP, 64, 64, nil), prefix: 6},
	{ID: "typeform-api-token", Description: "Typeform personal access token", Keywords: []string{"tfp_"}, match: tok("tfp_", mkclass("a-zA-Z0-9_.=-"), 59, 59, nil), prefix: 4},
	{ID: "settlemint-personal-access-token", Description: "SettleMint personal access token", Keywords: []string{"sm_pat_"}, match: tok("sm_pat_", clsAlnum, 16, 16, nil), prefix: 7},
	{ID: "settlemint-application-access-token", Description: "SettleMint application access token", Keywords: []string{"sm_aat_"}, match: tok("sm_aat_", clsAlnum, 16, 16, nil), prefix: 7},
	{ID: "settlemint-service-access-token", Description: "SettleMint service access token", Keywords: []string{"sm_sat_"}, match: tok("sm_sat_", clsAlnum, 16, 16, nil), prefix: 7},
	provider("gitter-access-token", "Gitter access token", []string{"gitter"}, hexN(40)),
	{ID: "sidekiq-secret", Description: "Sidekiq Pro or Enterprise gem server credentials", Keywords: []string{"contribsys__com", "contribsys.com"}, match: named(valueSpec{c: mkclass("0-9a-f:"), min: 17, max: 17, check: func(s string) bool { return s[8] == ':' && strings.Count(s, ":") == 1 }})},
}

// matchAfter returns a matcher for a value of class c, with a length in
// [min, max], right after the keyword (a name and an operator such as
// "_gitlab_session="). Only the value is the secret.
func matchAfter(kw string, c *class, min, max int) matcher {
	return func(b []byte, i, j int) (span, bool) {
		if !strings.EqualFold(string(b[i:j]), kw) {
			return span{}, false
		}
		e := run(b, j, c, max+1)
		if n := e - j; n < min || n > max || clsWord[at(b, e)] || !tokenish(string(b[j:e])) {
			return span{}, false
		}
		return span{i, e, j, e}, true
	}
}

// jfrogNear is a JFrog key of n alphanumerics after the name JFrog or
// Artifactory with no assignment ("artifactory", "…"): hex is left out
// there, since next to Artifactory's name a run of hex is far more often
// a checksum of an artifact (a SHA-256 is 64 hex digits) than a key.
func jfrogNear(n int) valueSpec {
	v := alnumN(n)
	v.check = func(s string) bool { return !isHex(s) }
	return v
}

// mixedCaseHex reports whether hex digits s use both upper- and lower-case
// letters. Digests and commit IDs are printed in one case, so a 40-hex
// value under a key that is only a provider's name ("sourcegraph: …")
// counts as a token when mixed case rules those readings out.
func mixedCaseHex(s string) bool {
	return strings.ContainsAny(s, "abcdef") && strings.ContainsAny(s, "ABCDEF")
}

func matchSourcegraph(b []byte, i, j int) (span, bool) {
	// sgp_<40 hex>, sgp_local_<40 hex>, sgp_<16 hex instance id>_<40 hex>,
	// sgph_…; hex digits in either case.
	if contBefore(b, i, clsWord) {
		return span{}, false
	}
	k := j
	if strings.HasPrefix(string(b[k:min(len(b), k+6)]), "local_") {
		k += 6
	} else if e := run(b, k, clsHex, 17); e-k == 16 && at(b, e) == '_' {
		k = e + 1
	}
	e := run(b, k, clsHex, 41)
	if e-k != 40 || clsWord[at(b, e)] || !tokenish(string(b[k:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

// matchPyPI matches a PyPI token: "pypi-" and a base64url macaroon whose
// location field is pypi.org or test.pypi.org (the keyword), at least 50
// characters in all, decodable as base64url.
func matchPyPI(b []byte, i, j int) (span, bool) {
	if contBefore(b, i, clsWord) || !strings.HasPrefix(string(b[i:j]), "pypi-AgE") {
		return span{}, false
	}
	e := run(b, i+5, clsB64URL, 1000)
	body := string(b[i+5 : e])
	if len(body) < 65 || clsB64URL[at(b, e)] || !tokenish(body[20:]) {
		return span{}, false
	}
	if len(body)%4 == 1 {
		body = body[:len(body)-1]
	}
	if _, err := base64.RawURLEncoding.DecodeString(body); err != nil {
		return span{}, false
	}
	return whole(i, e), true
}
