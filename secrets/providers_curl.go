package secrets

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// curlRules find credentials on a curl command line: a user and password
// (-u, --user) and an authorization header (-H, --header). The command is
// read like a shell would split it, across backslash-newline
// continuations, up to the end of the command.
var curlRules = []Rule{
	{ID: "curl-auth-user", Description: "Password passed to curl with -u or --user", Keywords: []string{"curl"}, match: matchCurl(false)},
	{ID: "curl-auth-header", Description: "Credential passed to curl in an Authorization or API-key header", Keywords: []string{"curl"}, match: matchCurl(true)},
}

// A shellArg is one argument of a command line: its unquoted text and the
// offsets of that text in the input (inside the quotes, if any).
type shellArg struct {
	text       string
	start, end int
}

// shellArgs splits the command starting at k into arguments, stopping at
// the end of the command (an unescaped newline, ';', '|', '&'), after max
// bytes or after 64 arguments. Quoted arguments must not span lines.
func shellArgs(b []byte, k, max int) []shellArg {
	lim := min(len(b), k+max)
	var args []shellArg
	for k < lim && len(args) < 64 {
		for k < lim && (b[k] == ' ' || b[k] == '\t' || b[k] == '\\' && (at(b, k+1) == '\n' || at(b, k+1) == '\r')) {
			if b[k] == '\\' {
				k++
				if b[k] == '\r' && at(b, k+1) == '\n' {
					k++
				}
			}
			k++
		}
		if k >= lim {
			break
		}
		switch c := b[k]; c {
		case '\n', '\r', ';', '|', '&', '#':
			return args
		case '\'', '"':
			e := k + 1
			for e < lim && b[e] != c && b[e] != '\n' {
				if c == '"' && b[e] == '\\' {
					e++
				}
				e++
			}
			if at(b, e) != c {
				return args
			}
			args = append(args, shellArg{string(b[k+1 : e]), k + 1, e})
			k = e + 1
		default:
			e := k
			for e < lim && !bytes.ContainsRune([]byte(" \t\n\r;|&'\""), rune(b[e])) {
				e++
			}
			args = append(args, shellArg{string(b[k:e]), k, e})
			k = e
		}
	}
	return args
}

// matchCurl returns the matcher of the curl rule for headers (header) or
// for -u user:password.
func matchCurl(header bool) matcher {
	return func(b []byte, i, j int) (span, bool) {
		if string(b[i:j]) != "curl" || contBefore(b, i, clsWord) || clsWord[at(b, j)] {
			return span{}, false
		}
		args := shellArgs(b, j, 4096)
		for n := 0; n < len(args); n++ {
			a := args[n]
			var v shellArg
			switch {
			case !header && (a.text == "-u" || a.text == "--user") && n+1 < len(args):
				v = args[n+1]
			case !header && strings.HasPrefix(a.text, "--user="):
				v = shellArg{a.text[7:], a.start + 7, a.end}
			case !header && strings.HasPrefix(a.text, "-u") && len(a.text) > 2 && a.text[2] != '-':
				v = shellArg{a.text[2:], a.start + 2, a.end}
			case header && (a.text == "-H" || a.text == "--header") && n+1 < len(args):
				v = args[n+1]
			case header && strings.HasPrefix(a.text, "-H") && len(a.text) > 2:
				v = shellArg{a.text[2:], a.start + 2, a.end}
			default:
				continue
			}
			var ss, se int
			var ok bool
			if header {
				ss, se, ok = curlHeaderSecret(v.text)
			} else {
				ss, se, ok = curlUserSecret(v.text)
			}
			if ok && v.end-v.start == len(v.text) {
				return span{i, v.end, v.start + ss, v.start + se}, true
			}
		}
		return span{}, false
	}
}

// curlUserSecret returns the password's offsets in a user:password value.
func curlUserSecret(v string) (int, int, bool) {
	c := strings.IndexByte(v, ':')
	if c < 0 {
		return 0, 0, false
	}
	if c == len(v)-1 {
		// -u KEY: an API key as the user name with no password, as
		// several HTTP APIs take it.
		key := v[:c]
		if len(key) < 8 || hasVarRef(key) || !tokenish(key) || charClasses(key) < 3 || entropy(key) < 3 {
			return 0, 0, false
		}
		return 0, c, true
	}
	pw := v[c+1:]
	if pw == v[:c] && c > 0 || trivialValues[strings.ToLower(pw)] || !plausibleURIPassword(pw) || hasVarRef(v[:c]) || strings.ContainsAny(pw, "$`") && hasVarRef(pw) {
		return 0, 0, false
	}
	return c + 1, len(v), true
}

// credentialHeaders are header names whose value is a credential.
var credentialHeaders = []string{
	"authorization", "proxy-authorization", "x-api-key", "api-key", "apikey", "x-auth-token",
	"private-token", "x-access-token", "x-api-token", "api-token", "x-token", "token",
}

// curlHeaderSecret returns the credential's offsets in a header value:
// "Authorization: Bearer <token>", "X-API-Key: <key>", "Authorization:
// Basic <base64 of user:password>".
func curlHeaderSecret(h string) (int, int, bool) {
	c := strings.IndexByte(h, ':')
	if c < 1 {
		return 0, 0, false
	}
	name := strings.ToLower(strings.TrimSpace(h[:c]))
	found := false
	for _, w := range credentialHeaders {
		if name == w {
			found = true
		}
	}
	// Vendor headers: X-Octopus-ApiKey, X-Vault-Token, X-Shopify-Access-Token.
	for _, w := range []string{"-apikey", "-api-key", "-token", "-secret"} {
		found = found || strings.HasPrefix(name, "x-") && strings.HasSuffix(name, w) && !strings.Contains(name, "csrf")
	}
	if !found {
		return 0, 0, false
	}
	s := c + 1
	for s < len(h) && h[s] == ' ' {
		s++
	}
	val := h[s:]
	if sp := strings.IndexByte(val, ' '); sp > 0 {
		scheme := strings.ToLower(val[:sp])
		switch scheme {
		case "bearer", "token", "basic", "apikey", "api-key", "api-token", "sso-key", "key":
		default:
			return 0, 0, false
		}
		s += sp + 1
		for s < len(h) && h[s] == ' ' {
			s++
		}
		val = h[s:]
		if scheme == "basic" {
			dec, err := base64.StdEncoding.DecodeString(val)
			if err != nil || !bytes.ContainsRune(dec, ':') || !plausibleURIPassword(string(dec[bytes.IndexByte(dec, ':')+1:])) {
				return 0, 0, false
			}
			return s, len(h), true
		}
	}
	if len(val) < 8 || strings.ContainsAny(val, " <>{}") || hasVarRef(val) || strings.HasPrefix(val, "$") || !tokenish(val) || entropy(val) < 3 {
		return 0, 0, false
	}
	return s, len(h), true
}
