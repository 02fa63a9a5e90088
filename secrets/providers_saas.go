package secrets

import "strings"

// Productivity, content, data and other SaaS APIs.
var saasRules = []Rule{
	{ID: "adafruit-api-key", Description: "Adafruit IO key", Keywords: []string{"aio_", "adafruit"}, match: either(
		tok("aio_", clsAlnum, 28, 28, nil),
		named(valueSpec{c: clsB64URL, min: 32, max: 32, minH: 3.5}))},
	provider("adobe-client-id", "Adobe developer client ID", []string{"adobe"}, hexN(32).not("secret")),
	{ID: "adobe-client-secret", Description: "Adobe developer client secret", Keywords: []string{"p8e-"}, match: tok("p8e-", clsAlnum, 32, 32, nil), prefix: 4},
	provider("airtable-api-key", "Airtable legacy API key", []string{"airtable"}, valueSpec{c: clsAlnum, min: 17, max: 17, check: func(s string) bool { return strings.HasPrefix(s, "key") }}),
	provider("airtable-personnal-access-token", "Airtable personal access token", []string{"airtable"}, valueSpec{c: mkclass("a-zA-Z0-9."), min: 82, max: 82, check: func(s string) bool {
		return strings.HasPrefix(s, "pat") && s[17] == '.' && run([]byte(s), 18, clsLowerHex, 65) == 82
	}}),
	provider("algolia-api-key", "Algolia API key", []string{"algolia"}, hexN(32)),
	provider("asana-client-id", "Asana client ID", []string{"asana"}, valueSpec{c: clsDigit, min: 16, max: 16}.key(idOrCredential...)),
	provider("asana-client-secret", "Asana client secret", []string{"asana"}, alnumN(32).key("secret")),
	provider("asana-personal-access-token", "Asana personal access token", []string{"asana"}, valueSpec{c: mkclass("0-9a-f/:"), min: 50, max: 80, check: asanaPAT}),
	provider("beamer-api-token", "Beamer API key", []string{"beamer"}, valueSpec{c: clsB64URLP, min: 46, max: 46, check: func(s string) bool { return strings.HasPrefix(s, "b_") }}),
	provider("contentful-delivery-api-token", "Contentful delivery API token", []string{"contentful"}, b64urlR(43, 43)),
	provider("dropbox-api-token", "Dropbox API secret", []string{"dropbox"}, valueSpec{c: clsLowerNum, min: 15, max: 15, minH: 3}),
	provider("dropbox-short-lived-api-token", "Dropbox short-lived access token", []string{"dropbox"}, valueSpec{c: mkclass("a-zA-Z0-9._=-"), min: 138, max: 2000, minH: 4, check: func(s string) bool { return strings.HasPrefix(s, "sl.") }}),
	provider("dropbox-long-lived-api-token", "Dropbox long-lived access token", []string{"dropbox"}, valueSpec{c: mkclass("a-zA-Z0-9_=-"), min: 64, max: 64, raw: true, check: func(s string) bool { return s[11:21] == "AAAAAAAAAA" && tokenish(s[21:]) }}),
	provider("finnhub-access-token", "Finnhub API key", []string{"finnhub"}, valueSpec{c: clsLowerNum, min: 20, max: 20, minH: 3}),
	provider("flickr-access-token", "Flickr API key", []string{"flickr"}, alnumN(32)),
	{ID: "hubspot-api-key", Description: "HubSpot private app token or legacy API key", Keywords: []string{"pat-na1-", "pat-eu1-", "hubspot"}, match: either(
		matchHubSpotPAT,
		named(uuidV()))},
	provider("linkedin-client-id", "LinkedIn client ID", []string{"linkedin", "linked_in", "linked-in"}, valueSpec{c: clsLowerNum, min: 14, max: 14, minH: 3}.key("id")),
	provider("linkedin-client-secret", "LinkedIn client secret", []string{"linkedin", "linked_in", "linked-in"}, alnumN(16).key("secret")),
	provider("looker-client-id", "Looker API client ID", []string{"looker"}, alnumN(20).key("id")),
	provider("looker-client-secret", "Looker API client secret", []string{"looker"}, alnumN(24).key("secret")),
	{ID: "mapbox-api-token", Description: "Mapbox access token (base64 JSON with the user)", Keywords: []string{"pk.eyJ1", "sk.eyJ1", "tk.eyJ1", "mapbox"}, match: either(matchMapbox, named(mapboxNamed)), prefix: 3},
	{ID: "maxmind-license-key", Description: "MaxMind license key", Keywords: []string{"_mmk"}, match: matchMaxMind},
	{ID: "notion-api-token", Description: "Notion integration token", Keywords: []string{"ntn_", "secret_"}, match: either(
		tok("ntn_", clsAlnum, 46, 46, func(s string) bool { return tokenish(s) && strings.Trim(s[:11], "0123456789") == "" }),
		tok("secret_", clsAlnum, 43, 43, func(s string) bool { return tokenish(s) && entropy(s) >= 4 })), prefix: 4},
	provider("nytimes-access-token", "New York Times API key", []string{"nytimes", "newyorktimes", "new_york_times", "nyt_", "nyt-"}, b64urlR(32, 32)),
	provider("rapidapi-access-token", "RapidAPI key", []string{"rapidapi", "rapid_api", "rapid-api"}, b64urlR(50, 50)),
	provider("squarespace-access-token", "Squarespace API key", []string{"squarespace"}, uuidV()),
	provider("sumologic-access-id", "Sumo Logic access ID", []string{"sumo", "sumologic"}, valueSpec{c: clsAlnum, min: 14, max: 14, wordEnd: true, check: func(s string) bool { return strings.HasPrefix(s, "su") }}),
	provider("sumologic-access-token", "Sumo Logic access key", []string{"sumo", "sumologic"}, valueSpec{c: clsAlnum, min: 64, max: 64, minH: 3, wordEnd: true}),
	{ID: "authress-service-client-access-key", Description: "Authress service client access key", Keywords: []string{".acc_", ".acc-"}, match: matchAuthress},
	{ID: "intra42-client-secret", Description: "42 Intra API client secret", Keywords: []string{"s-s4t2ud-", "s-s4t2af-"}, match: either(
		tok("s-s4t2ud-", clsLowerHex, 64, 64, nil),
		tok("s-s4t2af-", clsLowerHex, 64, 64, nil)), prefix: 9},
	{ID: "zapier-webhook-url", Description: "Zapier catch hook URL", Keywords: []string{"hooks.zapier.com/hooks/catch/"}, match: matchZapier},
}

func asanaPAT(s string) bool {
	// <version digit>/<16+ digit user id>[/<16+ digit app id>]:<32 hex>
	c := strings.IndexByte(s, ':')
	if c < 0 || len(s)-c-1 != 32 || strings.Count(s, ":") != 1 {
		return false
	}
	ids := strings.Split(s[:c], "/")
	if len(ids) < 2 || len(ids[0]) != 1 {
		return false
	}
	for _, id := range ids {
		if strings.Trim(id, "0123456789") != "" || id != ids[0] && len(id) < 14 {
			return false
		}
	}
	return true
}

func matchHubSpotPAT(b []byte, i, j int) (span, bool) {
	if !strings.HasPrefix(string(b[i:j]), "pat-") || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, mkclass("0-9a-f-"), 37)
	if e-j != 36 || clsWord[at(b, e)] || !isUUID(string(b[j:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

// mapboxNamed is a Mapbox token assigned to a key naming Mapbox whose
// middle part is not base64 JSON: pk., sk. or tk., a part of 20 to 400
// base64url characters, '.', and a signature of 20 to 64. The key vouches
// for what the JSON would have proved.
var mapboxNamed = valueSpec{c: mkclass("a-zA-Z0-9_.-"), min: 44, max: 468, raw: true, check: func(v string) bool {
	if p := v[:3]; p != "pk." && p != "sk." && p != "tk." {
		return false
	}
	mid, sig, ok := strings.Cut(v[3:], ".")
	return ok && len(mid) >= 20 && len(mid) <= 400 && len(sig) >= 20 && len(sig) <= 64 &&
		run([]byte(mid), 0, clsB64URL, len(mid)) == len(mid) && run([]byte(sig), 0, clsB64URL, len(sig)) == len(sig) &&
		tokenish(mid) && tokenish(sig)
}}

func matchMapbox(b []byte, i, j int) (span, bool) {
	// pk.|sk.|tk. + base64 JSON {"u":…,"a":…} + "." + 22 base64url.
	if contBefore(b, i, clsWord) {
		return span{}, false
	}
	k := i + 3
	e := run(b, k, clsB64URL, 400)
	if e-k < 20 || at(b, e) != '.' || !b64JSON(string(b[k:e]), "u") {
		return span{}, false
	}
	s := run(b, e+1, clsB64URL, 200)
	if s-(e+1) < 20 || clsB64URL[at(b, s)] {
		return span{}, false
	}
	return whole(i, s), true
}

func matchMaxMind(b []byte, i, j int) (span, bool) {
	// <6 alnum>_<29 alnum>_mmk
	if string(b[i:j]) != "_mmk" || clsWord[at(b, j)] {
		return span{}, false
	}
	m := runBack(b, i, clsAlnum, 30)
	if i-m != 29 || at(b, m-1) != '_' {
		return span{}, false
	}
	s := runBack(b, m-1, clsAlnum, 7)
	if m-1-s != 6 || contBefore(b, s, clsWord) || !tokenish(string(b[m:i])) {
		return span{}, false
	}
	return whole(s, j), true
}

var clsAuthress = mkclass("a-z0-9")

func matchAuthress(b []byte, i, j int) (span, bool) {
	// (sc|ext|scauth|authress)_<5-30>.<4-6>.acc[_-]<10-32>.<30-120>
	m := runBack(b, i, clsAuthress, 7)
	if n := i - m; n < 4 || n > 6 || at(b, m-1) != '.' {
		return span{}, false
	}
	a := runBack(b, m-1, clsAuthress, 31)
	if n := m - 1 - a; n < 5 || n > 30 || at(b, a-1) != '_' {
		return span{}, false
	}
	p := runBack(b, a-1, mkclass("a-z"), 9)
	switch string(b[p : a-1]) {
	case "sc", "ext", "scauth", "authress":
	default:
		return span{}, false
	}
	if contBefore(b, p, clsWord) {
		return span{}, false
	}
	e := run(b, j, mkclass("a-z0-9-"), 33)
	if n := e - j; n < 10 || n > 32 || at(b, e) != '.' {
		return span{}, false
	}
	f := run(b, e+1, mkclass("a-zA-Z0-9+/_=-"), 121)
	if n := f - (e + 1); n < 30 || n > 120 || !tokenish(string(b[e+1:f])) {
		return span{}, false
	}
	return whole(p, f), true
}

func matchZapier(b []byte, i, j int) (span, bool) {
	// [https://]hooks.zapier.com/hooks/catch/<account digits>/<hook id>/
	s := i
	if strings.HasSuffix(string(b[max(0, i-8):i]), "https://") {
		s = i - 8
	}
	d := run(b, j, clsDigit, 12)
	if d-j < 4 || at(b, d) != '/' {
		return span{}, false
	}
	e := run(b, d+1, clsAlnum, 12)
	if n := e - (d + 1); n < 6 || clsAlnum[at(b, e)] || !tokenish(string(b[d+1:e])) {
		return span{}, false
	}
	return span{s, e, s, e}, true
}
