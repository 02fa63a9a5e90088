package secrets

import "strings"

// Payments, commerce, shipping and finance APIs.
var paymentRules = []Rule{
	{ID: "stripe-access-token", Description: "Stripe secret or restricted key for the prod environment", Keywords: []string{"sk_prod_", "rk_prod_"}, match: either(
		tok("sk_prod_", clsAlnum, 24, 247, stripeBody),
		tok("rk_prod_", clsAlnum, 24, 247, stripeBody)), prefix: 8},
	{ID: "stripe-webhook-secret", Description: "Stripe webhook signing secret", Keywords: []string{"whsec_"}, match: tok("whsec_", clsAlnum, 32, 64, nil), prefix: 6},
	{ID: "square-access-token", Description: "Square access token or OAuth secret", Keywords: []string{"EAAA", "sq0atp-", "sq0csp-"}, match: either(
		matchSquare,
		tok("sq0atp-", clsB64URL, 22, 22, nil),
		tok("sq0csp-", clsB64URL, 43, 43, nil)), prefix: 4},
	{ID: "shopify-access-token", Description: "Shopify Admin API access token", Keywords: []string{"shpat_"}, match: tok("shpat_", clsHex, 32, 32, nil), prefix: 6},
	{ID: "shopify-custom-access-token", Description: "Shopify custom app access token", Keywords: []string{"shpca_"}, match: tok("shpca_", clsHex, 32, 32, nil), prefix: 6},
	{ID: "shopify-private-app-access-token", Description: "Shopify private app access token", Keywords: []string{"shppa_"}, match: tok("shppa_", clsHex, 32, 32, nil), prefix: 6},
	{ID: "shopify-shared-secret", Description: "Shopify app shared secret", Keywords: []string{"shpss_"}, match: tok("shpss_", clsHex, 32, 32, nil), prefix: 6},
	{ID: "plaid-api-token", Description: "Plaid access token", Keywords: []string{"access-sandbox-", "access-development-", "access-production-"}, match: matchPlaidAccess},
	provider("plaid-client-id", "Plaid client ID", []string{"plaid"}, hexN(24).key("id").not("secret")),
	provider("plaid-secret-key", "Plaid secret", []string{"plaid"}, hexN(30).key("secret", "key")),
	{ID: "flutterwave-secret-key", Description: "Flutterwave secret key", Keywords: []string{"FLWSECK_TEST-", "FLWSECK-"}, match: matchFlutterwave("FLWSECK"), prefix: 8},
	{ID: "flutterwave-public-key", Description: "Flutterwave public key", Keywords: []string{"FLWPUBK_TEST-", "FLWPUBK-"}, match: matchFlutterwave("FLWPUBK"), prefix: 8},
	{ID: "flutterwave-encryption-key", Description: "Flutterwave encryption key", Keywords: []string{"FLWSECK_TEST", "FLWSECK"}, match: matchFlutterwaveEnc, prefix: 7},
	provider("gocardless-api-token", "GoCardless access token", []string{"gocardless"}, valueSpec{c: clsB64URL, min: 45, max: 45, minH: 3.5, check: func(s string) bool {
		return strings.HasPrefix(s, "live_") || strings.HasPrefix(s, "sandbox_")
	}}.withLens(45, 48)),
	provider("coinbase-access-token", "Coinbase API key secret", []string{"coinbase"}, b64urlR(64, 64)),
	provider("kraken-access-token", "Kraken API key or private key", []string{"kraken"}, valueSpec{c: clsB64Pad, min: 56, max: 90, minH: 4}),
	provider("kucoin-access-token", "KuCoin API key", []string{"kucoin"}, hexN(24)),
	provider("kucoin-secret-key", "KuCoin API secret", []string{"kucoin"}, uuidV().key("secret", "token")),
	provider("bittrex-access-key", "Bittrex API key", []string{"bittrex"}, alnumN(32).not("secret")),
	provider("bittrex-secret-key", "Bittrex API secret", []string{"bittrex"}, alnumN(32).key("secret")),
	provider("finicity-api-token", "Finicity app key", []string{"finicity"}, hexN(32)),
	provider("finicity-client-secret", "Finicity partner secret", []string{"finicity"}, alnumN(20).key("secret")),
	{ID: "duffel-api-token", Description: "Duffel access token", Keywords: []string{"duffel_test_", "duffel_live_"}, match: either(
		tok("duffel_test_", clsB64URLP, 43, 43, nil),
		tok("duffel_live_", clsB64URLP, 43, 43, nil)), prefix: 12},
	{ID: "easypost-api-token", Description: "EasyPost production API key", Keywords: []string{"EZAK"}, match: tok("EZAK", clsAlnum, 54, 54, nil), prefix: 4},
	{ID: "easypost-test-api-token", Description: "EasyPost test API key", Keywords: []string{"EZTK"}, match: tok("EZTK", clsAlnum, 54, 54, nil), prefix: 4},
	{ID: "shippo-api-token", Description: "Shippo API token", Keywords: []string{"shippo_live_", "shippo_test_"}, match: either(
		tok("shippo_live_", clsLowerHex, 40, 40, nil),
		tok("shippo_test_", clsLowerHex, 40, 40, nil)), prefix: 12},
	provider("lob-api-key", "Lob secret API key", []string{"lob_", "lob-", "lobkey", "lobapi", "lobsecret", "lobtoken"}, valueSpec{c: clsWord, min: 40, max: 40, word: true, check: func(s string) bool {
		return (strings.HasPrefix(s, "live_") || strings.HasPrefix(s, "test_")) && run([]byte(s), 5, clsLowerHex, 36) == 40
	}}),
	provider("lob-pub-api-key", "Lob publishable API key", []string{"lob_", "lob-", "lobkey", "lobapi", "lobpub"}, valueSpec{c: clsWord, min: 40, max: 40, word: true, check: func(s string) bool {
		return (strings.HasPrefix(s, "live_pub_") || strings.HasPrefix(s, "test_pub_")) && run([]byte(s), 9, clsLowerHex, 32) == 40
	}}),
	provider("freshbooks-access-token", "FreshBooks access token", []string{"freshbooks"}, hexN(64)),
	provider("etsy-access-token", "Etsy API keystring", []string{"etsy"}, valueSpec{c: clsLowerNum, min: 24, max: 24, minH: 3}),
}

func (v valueSpec) withLens(lo, hi int) valueSpec { v.min, v.max = lo, hi; return v }

var clsB64Both = mkclass("a-zA-Z0-9+/_-") // both base64 alphabets, no padding

func stripeBody(s string) bool { return tokenish(s) && entropy(s) >= 3.5 }

func matchSquare(b []byte, i, j int) (span, bool) {
	// EAAA + 60 base64url characters.
	if string(b[i:j]) != "EAAA" || contBefore(b, i, clsB64Both) {
		return span{}, false
	}
	e := run(b, j, clsB64URL, 61)
	if e-j != 60 || clsB64Any[at(b, e)] || !tokenish(string(b[j:e])) || entropy(string(b[j:e])) < 4.3 {
		return span{}, false
	}
	return whole(i, e), true
}

func matchPlaidAccess(b []byte, i, j int) (span, bool) {
	// access-<environment>-<uuid>
	if contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, mkclass("0-9a-fA-F-"), 37)
	if e-j != 36 || clsWord[at(b, e)] || !isUUID(string(b[j:e])) {
		return span{}, false
	}
	return whole(i, e), true
}

// matchFlutterwave matches FLWSECK[_TEST]-<32 hex>-X and the public-key
// form FLWPUBK[_TEST]-<32 hex>-X.
func matchFlutterwave(kind string) matcher {
	return func(b []byte, i, j int) (span, bool) {
		if contBefore(b, i, clsWord) || !strings.HasPrefix(string(b[i:j]), kind) {
			return span{}, false
		}
		e := run(b, j, clsHex, 33)
		if e-j != 32 || at(b, e) != '-' || at(b, e+1) != 'X' || clsWord[at(b, e+2)] || !tokenish(string(b[j:e])) {
			return span{}, false
		}
		return whole(i, e+2), true
	}
}

func matchFlutterwaveEnc(b []byte, i, j int) (span, bool) {
	// FLWSECK[_TEST] + 12 hex, with no dash after the prefix.
	if contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsHex, 13)
	if e-j != 12 || clsWord[at(b, e)] || distinct(string(b[j:e])) < 5 {
		return span{}, false
	}
	return whole(i, e), true
}
