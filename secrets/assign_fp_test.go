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
