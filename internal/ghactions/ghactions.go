package ghactions

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/soakkit/soakkit/internal/boundary"
)

// Levels of an annotation.
const (
	Error   = "error"
	Warning = "warning"
	Notice  = "notice"
)

// An Annotation is one workflow-command annotation.
type Annotation struct {
	Level     string // Error, Warning or Notice; default: Error
	File      string // made slash-separated; optional
	Line, Col int    // 1-based; 0 omits
	EndLine   int    // optional
	EndCol    int    // optional
	Title     string // optional
	Message   string
}

// String returns the workflow command line, without a trailing newline.
func (a Annotation) String() string {
	level := a.Level
	if level == "" {
		level = Error
	}
	var props []string
	add := func(k, v string) {
		if v != "" {
			props = append(props, k+"="+escapeProperty(v))
		}
	}
	addInt := func(k string, v int) {
		if v > 0 {
			props = append(props, fmt.Sprintf("%s=%d", k, v))
		}
	}
	if a.File != "" {
		add("file", filepath.ToSlash(a.File))
	}
	addInt("line", a.Line)
	addInt("col", a.Col)
	addInt("endLine", a.EndLine)
	addInt("endColumn", a.EndCol)
	add("title", a.Title)
	cmd := "::" + level
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + escapeData(a.Message)
}

// Enabled reports whether the process runs inside GitHub Actions.
func Enabled() bool { return os.Getenv("GITHUB_ACTIONS") == "true" }

// AppendSummary appends markdown to the file named by $GITHUB_STEP_SUMMARY.
// It does nothing, and returns nil, when the variable is unset.
func AppendSummary(markdown string) error {
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("ghactions: step summary: %w", err)
	}
	if !strings.HasSuffix(markdown, "\n") {
		markdown += "\n"
	}
	markdown = boundary.String(markdown)
	_, werr := f.WriteString(markdown)
	cerr := f.Close()
	if werr != nil {
		return fmt.Errorf("ghactions: step summary: %w", werr)
	}
	return cerr
}

var dataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

var propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func escapeData(s string) string { return dataEscaper.Replace(s) }

func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
