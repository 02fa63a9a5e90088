package secrets

import (
	"strings"

	"github.com/soakkit/soakkit/internal/boundary"
)

// logRedactor is the rules-only Redactor behind the package-level
// functions meant for structured text: argv, environments, log records.
var logRedactor = &Redactor{RulesOnly: true}

// RedactArgv returns a copy of argv, a command and its arguments, with
// secrets masked by a rules-only [Redactor]. See [Redactor.RedactArgv].
func RedactArgv(argv []string) []string { return logRedactor.RedactArgv(argv) }

// RedactArgv returns a copy of argv with secrets masked. Arguments are
// read as a command line: the value of a flag with a secret-like name is
// masked whether it is joined (--token=VALUE) or the next argument
// (--token VALUE), as is the value of NAME=value when NAME looks secret
// (PASSWORD=…, API_KEY=…); every argument is also redacted as text, which
// masks tokens and the password in a URL's user information.
func (r *Redactor) RedactArgv(argv []string) []string {
	if argv == nil {
		return nil
	}
	out := make([]string, len(argv))
	maskNext := false
	for i, a := range argv {
		if maskNext {
			maskNext = false
			if a != "" && !strings.HasPrefix(a, "--") {
				out[i] = Mask
				continue
			}
		}
		name, val, eq := strings.Cut(a, "=")
		flag := strings.HasPrefix(name, "-")
		name = strings.TrimLeft(name, "-")
		if name != "" && !strings.ContainsAny(name, " \t/\\\"'") && classifyKey([]byte(name)) != keyNone {
			switch {
			case eq && val != "":
				out[i] = a[:len(a)-len(val)] + Mask
				continue
			case flag && !eq:
				maskNext = true
			}
		}
		out[i] = r.Redact(a)
	}
	return out
}

// Every writer of soakkit's artifacts consults the redaction boundary;
// linking this package installs the rules-only redactor there.
func init() { boundary.Set(logRedactor) }
