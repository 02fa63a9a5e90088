package config

import (
	"path/filepath"
	"strings"
)

// A Severity ranks a finding. The zero Severity ranks as [SeverityError].
type Severity string

// Severities, most severe first.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
	SeverityOff     Severity = "off" // the rule is disabled
)

// ParseSeverity maps a configured severity name to a Severity; "warn" is
// accepted for warning and unknown names map to error.
func ParseSeverity(s string) Severity {
	switch strings.ToLower(s) {
	case "off":
		return SeverityOff
	case "info", "note":
		return SeverityInfo
	case "warn", "warning":
		return SeverityWarning
	}
	return SeverityError
}

// Rank orders severities: off 0, info 1, warning 2, error 3.
func (s Severity) Rank() int {
	switch s {
	case SeverityOff:
		return 0
	case SeverityInfo:
		return 1
	case SeverityWarning:
		return 2
	}
	return 3
}

// A Rule describes one lint rule.
type Rule struct {
	ID       string   // "analyzer/rule"
	Severity Severity // default severity
	Doc      string   // one-line description
}

func isAbs(p string) bool { return filepath.IsAbs(p) }

func joinDir(cfgPath, rel string) string { return filepath.Join(filepath.Dir(cfgPath), rel) }
