package secrets

import "slices"

// redactionRules are added to a [Redactor]'s rules, never to a
// [Scanner]'s. A scanner needs precision: a GitHub token whose checksum
// does not verify is more likely a test fixture than a credential. A
// redactor needs recall, and a false mask costs nothing, so it masks by
// shape and by name where a scanner would ask for proof.
var redactionRules = []Rule{
	{ID: "github-token-shape", Description: "GitHub classic token by shape, checksum not required", Keywords: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, match: matchGitHubShape, prefix: 4},
	{ID: "npm-token-shape", Description: "npm access token by shape, checksum not required", Keywords: []string{"npm_"}, match: matchNpmShape, prefix: 4},
	{ID: "secret-flag", Description: "Value of a command-line flag with a secret-like name (--token VALUE, --password=VALUE)", Keywords: append([]string{"pass", "pwd"}, genericSecretKeywords()...), match: matchSecretFlag, generic: true},
	{ID: "uri-userinfo", Description: "Password in a URI's user information, whatever the host", Keywords: []string{"://"}, match: matchUserinfo, generic: true},
}

// withRedactionRules returns rules followed by the redaction-only rules.
func withRedactionRules(rules []Rule) []Rule {
	return append(slices.Clip(rules), redactionRules...)
}

func matchGitHubShape(b []byte, i, j int) (span, bool) {
	if i+4 > len(b) || b[i] != 'g' || b[i+1] != 'h' || b[i+3] != '_' || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, i+4, clsAlnum, 256)
	if n := e - (i + 4); n < 30 || n > 251 || clsWord[at(b, e)] {
		return span{}, false
	}
	return whole(i, e), true
}

func matchNpmShape(b []byte, i, j int) (span, bool) {
	if string(b[i:j]) != "npm_" || contBefore(b, i, clsWord) {
		return span{}, false
	}
	e := run(b, j, clsAlnum, 37)
	if e-j != 36 || clsWord[at(b, e)] {
		return span{}, false
	}
	return whole(i, e), true
}

// clsFlagValueStop ends a flag's bare value.
var clsFlagValueStop = mkclass(" \t\r\n\"'`,;)(}{[]<>|")

// matchSecretFlag matches a command-line flag whose name looks secret
// (--token, -password, --api-key) and the argument after it: the rest of
// the same word after '=', or the next word. It also matches an
// environment-style assignment, NAME=value, with a secret-like name,
// whatever the value looks like.
func matchSecretFlag(b []byte, i, j int) (span, bool) {
	ks := runBack(b, i, clsIdent, 64)
	ke := run(b, j, clsIdent, 64)
	if ks < i && at(b, ks-1) == '\\' && oddBackslashes(b, ks) {
		ks++ // "\npassword=…"
	}
	if ks > i || contBefore(b, ks, clsWord) {
		return span{}, false
	}
	flag := b[ks] == '-'
	name := ks
	for name < i && b[name] == '-' {
		name++
	}
	if ke-ks > 64 || ke == name || classifyKey(b[name:ke]) == keyNone {
		return span{}, false
	}
	vs := ke
	switch c := at(b, ke); {
	case c == '=' && at(b, ke+1) != '=':
		vs++
		if !flag && !(ks == 0 || clsSpace[at(b, ks-1)] || at(b, ks-1) == '"' || at(b, ks-1) == '\'' || at(b, ks-1) == '\n' || escBefore(b, ks)) {
			return span{}, false // NAME=value must stand alone, as in an environment or argv
		}
	case flag && (c == ' ' || c == '\t'):
		vs = run(b, ke, clsSpace, 16)
		if at(b, vs) == '-' && at(b, vs+1) == '-' || at(b, vs) == '\\' {
			return span{}, false // the next flag, or an escaped quote or newline
		}
	default:
		return span{}, false
	}
	if q := at(b, vs); q == '"' || q == '\'' {
		e := vs + 1
		for e < len(b) && e-vs < 512 && b[e] != q && b[e] != '\n' {
			e++
		}
		if at(b, e) != q || e == vs+1 {
			return span{}, false
		}
		return span{ks, e + 1, vs + 1, e}, true
	}
	e := vs
	for e < len(b) && e-vs < 512 && !clsFlagValueStop[b[e]] && !(b[e] == '\\' && oddBackslashes(b, e+1)) {
		e++
	}
	if e == vs {
		return span{}, false
	}
	return span{ks, e, vs, e}, true
}

var clsURIPass = mkclass("a-zA-Z0-9._~%!$&*+;=()',:-")

// matchUserinfo matches scheme://user:password@ and reports the password,
// without the host and placeholder gates of the detection rules.
func matchUserinfo(b []byte, i, j int) (span, bool) {
	s := runBack(b, i, clsScheme, 24)
	for s < i && !('a' <= b[s]|0x20 && b[s]|0x20 <= 'z') {
		s++
	}
	if s == i {
		return span{}, false
	}
	u := run(b, j, clsURIUser, 256)
	if at(b, u) != ':' {
		return span{}, false
	}
	ps := u + 1
	pe := run(b, ps, clsURIPass, 256)
	if at(b, pe) != '@' || pe == ps {
		return span{}, false
	}
	return span{s, pe, ps, pe}, true
}
