package secrets

import (
	"testing"
)

// TestGenericValueEdges checks the generic rules on the edges of their
// value and name gates: a value that starts with '=', a base64 value
// that starts like a JWT but is none, names that say their value is a
// test's wrong or made-up one, and documentation examples. The secrets
// are made up for the test.
func TestGenericValueEdges(t *testing.T) {
	tests := []struct {
		name string
		give string
		rule string // "" for no finding at all
	}{
		// A random password may start with '='; an operator may not.
		{"leading-equals", "passwd = =Kq7vLm2ZxR9wTbN4sPd8Yh", "generic-password"},    // soakkit:allow: fixture
		{"leading-equals-quoted", `db_password: "=Kq7vLm2ZxR9w"`, "generic-password"}, // soakkit:allow: fixture
		{"double-equals", "passwd = ==Kq7vLm2ZxR9wTbN4sPd8Yh", ""},
		{"arrow", "token = => Kq7vLm2ZxR9wTbN4sPd8Yh", ""},
		// One base64 segment that opens like JSON is no JWT: the generic
		// rule judges it. A dotted one is the JWT rule's.
		{"eyJ-one-segment", `'access_token': 'eyJ0eXAiOiJKV1Qi7Xk3QmPzR2w=='`, "generic-secret"}, // soakkit:allow: fixture
		{"eyJ-dotted", `'access_token': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxNyJ9'`, ""},
		// Names that say the value is not the credential.
		{"non-matching", `nonMatchingToken := "ge7k2p9qhrxuwszy"`, ""},
		{"not-valid", `notValidToken = "Zq8Lm2Nv7Xr4Tw9YbC3d"`, ""},
		{"wrong", `wrongPassword = "Zq8Lm2Nv7Xr4"`, ""},
		{"fake", `FAKE_API_KEY="Zq8Lm2Nv7Xr4Tw9YbC3d"`, ""},
		{"invalid", `invalid_secret: "Zq8Lm2Nv7Xr4Tw9YbC3d"`, ""},
		{"dummy", `dummyAuthToken = "Zq8Lm2Nv7Xr4Tw9YbC3d"`, ""},
		{"mock", `mock_client_secret = "Zq8Lm2Nv7Xr4Tw9YbC3d"`, ""},
		{"bad", `bad_password = "Zq8Lm2Nv7Xr4"`, ""},
		// The same words inside a longer word do not count.
		{"badge", `badge_token = "Zq8Lm2Nv7Xr4Tw9YbC3d"`, "generic-secret"},         // soakkit:allow: fixture
		{"notary", `notary_token = "Zq8Lm2Nv7Xr4Tw9YbC3d"`, "generic-secret"},       // soakkit:allow: fixture
		{"valid", `valid_token = "Zq8Lm2Nv7Xr4Tw9YbC3d"`, "generic-secret"},         // soakkit:allow: fixture
		{"mockingbird", `mockingbirdPassword = "Zq8Lm2Nv7Xr4"`, "generic-password"}, // soakkit:allow: fixture
		// The clear-text passwords of Microsoft's nuget.config example, and
		// another password in the same place.
		{"nuget-docs", `<add key="ClearTextPassword" value="33f!!lloppa" />`, ""},
		{"nuget-docs-2", `<add key="ClearTextPassword" value="hal+9ooo_da!sY" />`, ""},
		{"nuget-other", `<add key="ClearTextPassword" value="k9!!Vb2pqZ_x" />`, "generic-password"}, // soakkit:allow: fixture
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := ScanString(tt.give + "\n")
			if tt.rule == "" {
				if len(fs) != 0 {
					t.Errorf("ScanString(%q) = %v, want no finding", tt.give, fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].RuleID != tt.rule || fs[0].Suppressed != NotSuppressed {
				t.Errorf("ScanString(%q) = %v, want one %s finding", tt.give, fs, tt.rule)
			}
		})
	}
}

// TestAuthKeys checks keys that end with the word auth: they hold a
// credential when their value is base64 of a user:password pair or a
// random base64 token, and nothing else under such a name is reported.
// The credentials are made up for the test.
func TestAuthKeys(t *testing.T) {
	tests := []struct {
		name string
		give string
		want bool
	}{
		{"docker-config", `"auth": "ZGVwbG95Olo4cUxtMk52N1hyNFR3OQ=="`, true},                // base64 of deploy:Z8qLm2Nv7Xr4Tw9; soakkit:allow: fixture
		{"user-auth-token", `"user_auth": "am9lOmQwNjk0YjFi+TMyYS0wMmUwOWQ1/mIwNjc="`, true}, // soakkit:allow: fixture
		{"npmrc", `_auth=ZGVwbG95Olo4cUxtMk52N1hyNFR3OQ==`, true},                            // soakkit:allow: fixture
		{"camel", `basicAuth: "Wm9vX2FwcDpLcTd2TG0yWnhSOXc="`, true},                         // base64 of Zoo_app:Kq7vLm2ZxR9w; soakkit:allow: fixture
		{"weak-pair", `"auth": "Zm9vOmJhcg=="`, false},                                       // foo:bar
		{"placeholder-pair", `"auth": "dXNlcjpjaGFuZ2VtZQ=="`, false},                        // user:changeme
		{"not-a-pair", `"auth": "aGVsbG8gd29ybGQgZnJvbSBtZQ=="`, false},
		{"word", `auth: "github_app_installation"`, false},
		{"scheme", `auth = "AWS4-HMAC-SHA256"`, false},
		{"oauth", `oauth: "Zq8Lm2Nv7Xr4Tw9YbC3dKq7v"`, false},
		{"author", `author: "Zq8Lm2Nv7Xr4Tw9YbC3dKq7v"`, false},
		{"short", `auth: "Zq8Lm2Nv7X"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := ScanString(tt.give + "\n")
			got := len(fs) == 1 && fs[0].RuleID == "generic-secret" && fs[0].Suppressed == NotSuppressed
			if got != tt.want || !tt.want && len(fs) != 0 {
				t.Errorf("ScanString(%q) = %v, want a generic-secret finding: %v", tt.give, fs, tt.want)
			}
		})
	}
}
