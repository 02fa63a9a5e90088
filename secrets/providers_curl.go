package secrets

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// curlRules find credentials on a curl command line: a user and password
// (-u, --user) and an authorization header (-H, --header). The command is
// read like a shell would split it, across backslash-newline
// continuations, up to the end of the command. A header option is also
// read where no curl precedes it on its line (a continuation line whose
// command lost its backslash, wget's and other HTTP clients' --header),
// since a header named as a credential says what its value is.
var curlRules = []Rule{
	{ID: "curl-auth-user", Description: "Password passed to curl with -u or --user", Keywords: []string{"curl"}, match: matchCurl(false)},
	{ID: "curl-auth-header", Description: "Credential passed to curl (or another command line) in an Authorization or API-key header", Keywords: []string{"curl", "-h \"", "-h '", "--header"}, match: either(matchCurl(true), matchHeaderOption)},
}

// matchHeaderOption matches a header option, -H or --header (or
// --header=), that starts a command-line argument, followed by a header
// whose name is a credential's (see curlHeaderSecret).
func matchHeaderOption(b []byte, i, j int) (span, bool) {
	if p := at(b, i-1); p != ' ' && p != '\t' && p != '\n' && i > 0 {
		return span{}, false
	}
	if b[i+1] != 'H' && string(b[i:min(len(b), i+8)]) != "--header" {
		return span{}, false
	}
	args := shellArgs(b, i, 1024, false)
	var v shellArg
	switch {
	case len(args) >= 2 && (args[0].text == "-H" || args[0].text == "--header"):
		v = args[1]
	case len(args) >= 1 && strings.HasPrefix(args[0].text, "--header="):
		v = args[0].from(9)
	default:
		return span{}, false
	}
	ss, se, ok := curlHeaderSecret(v.text)
	if !ok {
		return span{}, false
	}
	s, e, ok := v.span(ss, se)
	if !ok {
		return span{}, false
	}
	return span{i, max(e, v.pos[len(v.pos)-1]+1), s, e}, true
}

// A shellArg is one argument of a command line: its unquoted text and,
// for each byte of the text, its offset in the input. An argument may
// join quoted and unquoted parts (user:'pass'), so the text need not be
// contiguous in the input.
type shellArg struct {
	text string
	pos  []int
}

// from returns the argument from its n-th byte on.
func (a shellArg) from(n int) shellArg { return shellArg{a.text[n:], a.pos[n:]} }

// span returns the input offsets of text[s:e], if those bytes are
// contiguous in the input.
func (a shellArg) span(s, e int) (int, int, bool) {
	if s >= e || e > len(a.pos) || a.pos[e-1]-a.pos[s] != e-1-s {
		return 0, 0, false
	}
	return a.pos[s], a.pos[e-1] + 1, true
}

// shellArgs splits the command starting at k into arguments, stopping at
// the end of the command (an unescaped newline, ';', '|', '&'), after max
// bytes or after 64 arguments. Quoted arguments must not span lines. In a
// commented-out command (commented), each continuation line starts with
// the comment's '#', which is skipped.
func shellArgs(b []byte, k, max int, commented bool) []shellArg {
	lim := min(len(b), k+max)
	var args []shellArg
	for k < lim && len(args) < 64 {
		for k < lim && (b[k] == ' ' || b[k] == '\t' || b[k] == '\\' && (at(b, k+1) == '\n' || at(b, k+1) == '\r')) {
			if b[k] == '\\' {
				k++
				if b[k] == '\r' && at(b, k+1) == '\n' {
					k++
				}
				if commented {
					if n := run(b, k+1, clsSpace, 64); at(b, n) == '#' {
						k = n
					}
				}
			}
			k++
		}
		if k >= lim {
			break
		}
		if c := b[k]; c == '\n' || c == '\r' || c == ';' || c == '|' || c == '&' || c == '#' {
			return args
		}
		var arg shellArg
		var text []byte
		for k < lim && !bytes.ContainsRune([]byte(" \t\n\r;|&"), rune(b[k])) {
			s, e := k, k
			if c := b[k]; c == '\'' || c == '"' {
				s, e = k+1, k+1
				for e < lim && b[e] != c && b[e] != '\n' {
					if c == '"' && b[e] == '\\' {
						e++
					}
					e++
				}
				if at(b, e) != c {
					return args
				}
				k = e + 1
			} else {
				for e < lim && !bytes.ContainsRune([]byte(" \t\n\r;|&'\""), rune(b[e])) {
					e++
				}
				k = e
			}
			text = append(text, b[s:e]...)
			for p := s; p < e; p++ {
				arg.pos = append(arg.pos, p)
			}
		}
		arg.text = string(text)
		args = append(args, arg)
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
		commented := at(b, runBack(b, i, clsSpace, 64)-1) == '#'
		args := shellArgs(b, j, 4096, commented)
		for n := 0; n < len(args); n++ {
			a := args[n]
			var v shellArg
			switch {
			case !header && (a.text == "-u" || a.text == "--user") && n+1 < len(args):
				v = args[n+1]
			case !header && strings.HasPrefix(a.text, "--user="):
				v = a.from(7)
			case !header && strings.HasPrefix(a.text, "-u") && len(a.text) > 2 && a.text[2] != '-':
				v = a.from(2)
			case header && (a.text == "-H" || a.text == "--header") && n+1 < len(args):
				v = args[n+1]
			case header && strings.HasPrefix(a.text, "-H") && len(a.text) > 2:
				v = a.from(2)
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
			if !ok {
				continue
			}
			if s, e, ok := v.span(ss, se); ok {
				return span{i, max(e, v.pos[len(v.pos)-1]+1), s, e}, true
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
	if len(pw) > 2 && pw[0] == '{' && pw[len(pw)-1] == '}' && !strings.ContainsAny(pw[1:len(pw)-1], "{}") {
		// A documented template, -u {client_id}:{client_secret}, filled
		// in with its braces kept. The value inside counts only when it
		// is random: upper and lower case and digits, no words.
		in := pw[1 : len(pw)-1]
		if len(in) < 8 || hasVarRef(in) || !tokenish(in) || charClasses(in) < 3 || entropy(in) < 3 || !plausibleURIPassword(in) {
			return 0, 0, false
		}
		return c + 2, len(v) - 1, true
	}
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
	// A header whose very name is a credential's vouches for its value:
	// a 16-digit hex token may have as little as 2.5 bits of entropy per
	// byte. A vendor header found by its name's ending needs 3.
	minH := 3.0
	if found {
		minH = 2.5
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
	if len(val) < 8 || strings.ContainsAny(val, " <>{}") || hasVarRef(val) || strings.HasPrefix(val, "$") || !tokenish(val) || entropy(val) < minH {
		return 0, 0, false
	}
	return s, len(h), true
}
