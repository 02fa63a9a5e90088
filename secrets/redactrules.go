package secrets

import (
	"bytes"
	"slices"
)

// redactionRules are added to a [Redactor]'s rules, never to a
// [Scanner]'s. A scanner needs precision: a GitHub token whose checksum
// does not verify is more likely a test fixture than a credential. A
// redactor needs recall, and a false mask costs nothing, so it masks by
// shape and by name where a scanner would ask for proof.
var redactionRules = []Rule{
	{ID: "github-token-shape", Description: "GitHub classic token by shape, checksum not required", Keywords: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, match: matchGitHubShape, prefix: 4},
	{ID: "npm-token-shape", Description: "npm access token by shape, checksum not required", Keywords: []string{"npm_"}, match: matchNpmShape, prefix: 4},
	{ID: "secret-name", Description: "Value of a flag or an assignment with a secret-like name (--token VALUE, PASSWORD=VALUE, \"api_key\": \"VALUE\"), whatever it looks like", Keywords: append([]string{"pass", "pwd"}, genericSecretKeywords()...), match: matchSecretName, generic: true},
	{ID: "uri-userinfo", Description: "Password in a URI's user information, whatever the host", Keywords: []string{"://"}, match: matchUserinfo, generic: true},
	{ID: "uri-userinfo-encoded", Description: "Password in a percent-encoded URI's user information", Keywords: []string{"%3a%2f%2f"}, match: matchUserinfoEncoded, generic: true},
}

// matchSecretAssignment matches what the generic rules' lexer reads as an
// assignment to a secret-like name, without their gates on the value: for
// redaction a value that only might be a secret is masked.
func matchSecretAssignment(b []byte, i, j int) (span, bool) {
	a, ok := lexAssign(b, i, j)
	if !ok {
		return span{}, false
	}
	key := b[a.kStart:a.kEnd]
	if classifyKey(key) == keyNone {
		return span{}, false
	}
	if a.op != '=' && len(key) <= 6 && isPassOrPW(key) {
		return span{}, false // "PASS: TestX" in test output
	}
	v := b[a.vStart:a.vEnd]
	if len(v) < 4 || bytes.HasPrefix(v, []byte(Mask)) {
		return span{}, false
	}
	return span{a.kStart, a.vEnd, a.vStart, a.vEnd}, true
}

// matchUserinfoEncoded is matchUserinfo on a percent-encoded URI, as in a
// query parameter (callback=https%3A%2F%2Fuser%3Apass%40host).
func matchUserinfoEncoded(b []byte, i, j int) (span, bool) {
	ws := max(0, i-24)
	we := min(len(b), j+3*256)
	if nl := bytes.IndexByte(b[ws:we], '\n'); nl >= 0 && ws+nl >= j {
		we = ws + nl
	}
	dec, src := unescape(b[ws:we])
	di := -1
	for k := range dec {
		if src[k] == i-ws {
			di = k
			break
		}
	}
	if di < 0 || di+3 > len(dec) || string(dec[di:di+3]) != "://" {
		return span{}, false
	}
	sp, ok := matchUserinfo(dec, di, di+3)
	if !ok {
		return span{}, false
	}
	return span{ws + src[sp.start], ws + mapEnd(src, sp.end), ws + src[sp.sStart], ws + mapEnd(src, sp.sEnd)}, true
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
// matchSecretName matches a flag (see matchSecretFlag) or an assignment
// (see matchSecretAssignment) with a secret-like name.
func matchSecretName(b []byte, i, j int) (span, bool) {
	if sp, ok := matchSecretFlag(b, i, j); ok {
		return sp, true
	}
	return matchSecretAssignment(b, i, j)
}

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
	if c := at(b, ke); ke-ks > 64 || ke == name || !(c == '=' || flag && (c == ' ' || c == '\t')) || classifyKey(b[name:ke]) == keyNone {
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
