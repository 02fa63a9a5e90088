package secrets

import (
	"strings"
	"testing"
)

// TestReplaceKVMatchesRegexp checks the position-gated key=value pass
// against the plain regular expression replacement it optimizes.
func TestReplaceKVMatchesRegexp(t *testing.T) {
	ref := func(s string) string {
		return reKV.ReplaceAllStringFunc(s, func(m string) string {
			sub := reKV.FindStringSubmatch(m)
			switch sub[2][0] {
			case '"':
				return sub[1] + `"` + Mask + `"`
			case '\'':
				return sub[1] + `'` + Mask + `'`
			}
			return sub[1] + Mask
		})
	}
	for _, s := range []string{
		"password=abcdef", "PASSWORD = 'x y z'", "xpassword=abcdefgh", "api_key:\"q\" token=abcdef secret=ab",
		"a_token=abcdefgh", "Token: \n  abcdefgh", "bybit_api_secret=123456789", "password=\"unterminated",
		"secret=abc secret=abcdef", strings.Repeat("token=aaaaaa ", 3),
	} {
		if got, want := replaceKV(s), ref(s); got != want {
			t.Errorf("replaceKV(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzReplaceKV(f *testing.F) {
	f.Add("password = 'abc def' token=abcdefg") // soakkit:allow: test fixture, not a credential
	f.Fuzz(func(t *testing.T, s string) {
		want := reKV.ReplaceAllStringFunc(s, func(m string) string {
			sub := reKV.FindStringSubmatch(m)
			switch sub[2][0] {
			case '"':
				return sub[1] + `"` + Mask + `"`
			case '\'':
				return sub[1] + `'` + Mask + `'`
			}
			return sub[1] + Mask
		})
		if got := replaceKV(s); got != want {
			t.Errorf("replaceKV(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzReplaceOrderIDs(f *testing.F) {
	f.Add("orderId:\n  0123456789abcdef0123 ORDER_ID='aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := replaceOrderIDs(s), reOrderID.ReplaceAllLiteralString(s, Mask); got != want {
			t.Errorf("replaceOrderIDs(%q) = %q, want %q", s, got, want)
		}
	})
}
