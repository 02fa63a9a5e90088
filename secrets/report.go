package secrets

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/soakkit/soakkit/internal/canonjson"
	"github.com/soakkit/soakkit/internal/ghactions"
	"github.com/soakkit/soakkit/internal/junit"
	"github.com/soakkit/soakkit/internal/sarif"
)

// A Result is the verdict of a scan, in scan_secrets.py's marker vocabulary
// so that scripts reading its markers keep working.
type Result string

const (
	Clean             Result = "CLEAN"              // nothing counts; exit 0
	Found             Result = "FOUND"              // unsuppressed findings; exit 1
	AllowlistedStrict Result = "ALLOWLISTED_STRICT" // only suppressed findings, in strict mode; exit 1
	Unreadable        Result = "ERROR"              // no findings count, but files could not be read; exit 2
	Critical          Result = "CRITICAL"           // a finding under the artifacts directory; exit 4
)

// Exit codes, one per Result; they agree with the project-wide table
// (0 success, 1 findings, 2 errors or bad configuration, 4 critical).
const (
	ExitClean    = 0
	ExitFindings = 1
	ExitError    = 2
	ExitCritical = 4
)

// Result returns the scan's verdict. Priority: Critical, then Found, then
// AllowlistedStrict, then Unreadable (unreadable files make a scan that
// found nothing inconclusive), then Clean.
func (r *Report) Result() Result {
	var found, strict bool
	for _, f := range r.Findings {
		switch {
		case f.Critical:
			return Critical
		case f.Suppressed == NotSuppressed:
			found = true
		case f.Counts(r.Strict):
			strict = true
		}
	}
	switch {
	case found:
		return Found
	case strict:
		return AllowlistedStrict
	case len(r.Errors) > 0:
		return Unreadable
	}
	return Clean
}

// ExitCode returns the process exit code for the scan's Result.
func (r *Report) ExitCode() int {
	switch r.Result() {
	case Critical:
		return ExitCritical
	case Found, AllowlistedStrict:
		return ExitFindings
	case Unreadable:
		return ExitError
	}
	return ExitClean
}

// Marker returns scan_secrets.py's marker line, e.g.
// "| scan_secrets | OK | RESULT=CLEAN |". It agrees with ExitCode.
func (r *Report) Marker() string {
	res := r.Result()
	status := "FAIL"
	if res == Clean {
		status = "OK"
	}
	return "| scan_secrets | " + status + " | RESULT=" + string(res) + " |"
}

// Counts returns how many findings count (fail the scan), how many are
// suppressed without counting, and how many are critical.
func (r *Report) Counts() (real, suppressed, critical int) {
	for _, f := range r.Findings {
		switch {
		case f.Critical:
			critical++
		case f.Suppressed == NotSuppressed:
			real++
		default:
			suppressed++
		}
	}
	return
}

// Summary returns a one-line human summary.
func (r *Report) Summary() string {
	real, sup, crit := r.Counts()
	scope := fmt.Sprintf("%d file(s)", r.Files)
	if r.Commits > 0 {
		scope = fmt.Sprintf("%d commit(s), %d file diff(s)", r.Commits, r.Files)
	}
	s := fmt.Sprintf("scanned %s, %s in %s: %d finding(s), %d suppressed, %d critical",
		scope, humanBytes(r.Bytes), humanDuration(r.Duration), real, sup, crit)
	if len(r.Binary) > 0 {
		s += fmt.Sprintf(", %d binary file(s) skipped", len(r.Binary))
	}
	if len(r.Special) > 0 {
		s += fmt.Sprintf(", %d special file(s) (FIFO, socket, device) skipped", len(r.Special))
	}
	if len(r.Errors) > 0 {
		s += fmt.Sprintf(", %d file(s) unreadable", len(r.Errors))
	}
	if r.BaselineUnused > 0 {
		s += fmt.Sprintf(", %d stale baseline entr(ies)", r.BaselineUnused)
	}
	return s
}

// humanBytes words a byte count for the summary line: bytes below 1 KiB,
// then the binary unit that keeps it below 1024, with one decimal below
// 100 ("512 B", "3.4 KiB", "48.5 MiB", "212 MiB").
func humanBytes(n int64) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d B", n)
	}
	v, unit := float64(n)/(1<<10), "KiB"
	for _, u := range []string{"MiB", "GiB", "TiB"} {
		if v < 1024 {
			break
		}
		v, unit = v/1024, u
	}
	if v < 99.95 {
		return fmt.Sprintf("%.1f %s", v, unit)
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}

// humanDuration words a scan's duration for the summary line: whole
// microseconds below a millisecond, whole milliseconds below a second,
// tenths of a second below a minute, then whole seconds ("850 µs",
// "42 ms", "3.4 s", "2m5s").
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// A Format is a report format.
type Format string

// The report formats. Text is one "path:line:col: rule-id: match" line per
// finding; JSON is the report object (schema version 1, snake_case keys,
// sorted); SARIF is a 2.1.0 log whose results carry the fingerprint under
// [FingerprintKey] in partialFingerprints; JUnit has one test case per
// finding (suppressed ones skipped); GitHub writes one ::error annotation
// per finding that fails the scan.
const (
	FormatText   Format = "text"
	FormatJSON   Format = "json"
	FormatSARIF  Format = "sarif"
	FormatJUnit  Format = "junit"
	FormatGitHub Format = "github"
)

// Formats lists the supported formats.
var Formats = []Format{FormatText, FormatJSON, FormatSARIF, FormatJUnit, FormatGitHub}

// Write writes the report in format f. No format contains a raw secret.
// The marker line is not written; see [Report.Marker].
func (r *Report) Write(w io.Writer, f Format) error {
	switch f {
	case FormatText, "":
		return r.writeText(w)
	case FormatJSON:
		return r.writeJSON(w)
	case FormatSARIF:
		return r.writeSARIF(w)
	case FormatJUnit:
		return r.writeJUnit(w)
	case FormatGitHub:
		return r.writeGitHub(w)
	}
	return fmt.Errorf("secrets: unknown report format %q (want one of %v)", f, Formats)
}

// writeText writes one line per finding, "path:line:col: rule-id: match",
// with a bracketed note for suppressed and critical ones, then one line
// per unreadable or binary file.
func (r *Report) writeText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		bw.WriteString(oneLine(f.String()))
		switch {
		case f.Critical:
			bw.WriteString(" [critical]")
		case f.Suppressed != "":
			bw.WriteString(" [suppressed: " + string(f.Suppressed) + "]")
		}
		bw.WriteByte('\n')
	}
	for _, e := range r.Errors {
		fmt.Fprintf(bw, "%s: error: %s\n", e.Path, e.Err)
	}
	for _, b := range r.Binary {
		fmt.Fprintf(bw, "%s: skipped: binary file\n", b)
	}
	for _, b := range r.Special {
		fmt.Fprintf(bw, "%s: skipped: not a regular file (FIFO, socket or device)\n", b)
	}
	return bw.Flush()
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// jsonReport is the JSON report schema (version 1).
type jsonReport struct {
	Version        int          `json:"version"`
	Result         Result       `json:"result"`
	ExitCode       int          `json:"exit_code"`
	Strict         bool         `json:"strict"`
	Files          int          `json:"files"`
	Commits        int          `json:"commits,omitempty"`
	Bytes          int64        `json:"bytes"`
	DurationMS     int64        `json:"duration_ms"`
	Findings       []Finding    `json:"findings"`
	Binary         []string     `json:"binary"`
	Errors         []UnreadFile `json:"errors"`
	Excluded       int          `json:"excluded"`
	Special        []string     `json:"special"`
	RepositoryURI  string       `json:"repository_uri,omitempty"`
	Revision       string       `json:"revision,omitempty"`
	Symlinks       int          `json:"symlinks"`
	BaselineUnused int          `json:"baseline_unused"`
}

func (r *Report) jsonReport() jsonReport {
	jr := jsonReport{
		Version: 1, Result: r.Result(), ExitCode: r.ExitCode(), Strict: r.Strict, Files: r.Files, Commits: r.Commits,
		Bytes: r.Bytes, DurationMS: r.Duration.Milliseconds(), Findings: r.Findings, Binary: r.Binary,
		Errors: r.Errors, Excluded: r.Excluded, Symlinks: r.Symlinks, BaselineUnused: r.BaselineUnused,
		Special: r.Special, RepositoryURI: r.RepositoryURI, Revision: r.Revision,
	}
	if jr.Special == nil {
		jr.Special = []string{}
	}
	if jr.Findings == nil {
		jr.Findings = []Finding{}
	}
	if jr.Binary == nil {
		jr.Binary = []string{}
	}
	if jr.Errors == nil {
		jr.Errors = []UnreadFile{}
	}
	return jr
}

// writeJSON writes the same bytes as canonjson.Encode(r.jsonReport()), but
// encodes one finding at a time, so memory does not grow with a copy of
// the whole report.
func (r *Report) writeJSON(w io.Writer) error {
	jr := r.jsonReport()
	bw := bufio.NewWriter(w)
	field := func(first bool, key string, v any) error {
		b, err := canonjson.MarshalCompact(v)
		if err != nil {
			return err
		}
		if !first {
			bw.WriteByte(',')
		}
		bw.WriteString(`"` + key + `":`)
		bw.Write(b)
		return nil
	}
	// Keys in sorted order, as canonjson writes them.
	bw.WriteByte('{')
	for i, kv := range []struct {
		k string
		v any
	}{
		{"baseline_unused", jr.BaselineUnused}, {"binary", jr.Binary}, {"bytes", jr.Bytes},
		{"commits", jr.Commits}, {"duration_ms", jr.DurationMS}, {"errors", jr.Errors}, {"excluded", jr.Excluded},
		{"exit_code", jr.ExitCode}, {"files", jr.Files},
	} {
		if kv.k == "commits" && jr.Commits == 0 {
			continue // history scans only
		}
		if err := field(i == 0, kv.k, kv.v); err != nil {
			return err
		}
	}
	bw.WriteString(`,"findings":[`)
	for i, f := range jr.Findings {
		b, err := canonjson.MarshalCompact(f)
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(b)
	}
	bw.WriteByte(']')
	for _, kv := range []struct {
		k string
		v any
	}{{"repository_uri", jr.RepositoryURI}, {"result", jr.Result}, {"revision", jr.Revision}, {"special", jr.Special},
		{"strict", jr.Strict}, {"symlinks", jr.Symlinks}, {"version", jr.Version}} {
		if (kv.k == "repository_uri" || kv.k == "revision") && kv.v == "" {
			continue // history scans only
		}
		if err := field(false, kv.k, kv.v); err != nil {
			return err
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// FingerprintKey is the partialFingerprints key of SARIF results.
const FingerprintKey = "soakkitSecret/v1"

func (r *Report) writeSARIF(w io.Writer) error {
	b := sarif.New("soakkit-secrets", "1", "https://github.com/soakkit/soakkit", "")
	descs := map[string]string{}
	for _, ru := range builtinRules {
		descs[ru.ID] = ru.Description
	}
	for _, f := range r.Findings {
		if _, ok := descs[f.RuleID]; !ok {
			descs[f.RuleID] = f.Description
		}
	}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if seen[f.RuleID] {
			continue
		}
		seen[f.RuleID] = true
		b.AddRule(sarif.Rule{ID: f.RuleID, Short: descs[f.RuleID], Level: sarif.LevelError, Tags: []string{"security", "secret"}, SecuritySev: "8.0"})
	}
	for _, f := range r.Findings {
		level := sarif.LevelError
		msg := f.Description + ": " + oneLine(f.Match)
		switch {
		case f.Critical:
			msg = "critical (under the artifacts directory): " + msg
		case f.Suppressed != "" && !f.Counts(r.Strict):
			level = sarif.LevelNote
			msg += " (suppressed: " + string(f.Suppressed) + ")"
		case f.Suppressed != "":
			msg += " (suppressed: " + string(f.Suppressed) + "; fails in strict mode)"
		}
		fps := map[string]string{FingerprintKey: f.Fingerprint}
		var props map[string]any
		if f.Commit != "" {
			// commitSha is the key gitleaks uses; code scanning then keeps
			// one alert per secret and commit.
			fps["commitSha"] = f.Commit
			props = map[string]any{"commit": f.Commit, "author": f.Author, "date": f.Date, "commits": f.Commits,
				"gitleaksFingerprint": f.GitleaksFingerprint()}
			msg += " (commit " + shortCommit(f.Commit) + ")"
		}
		b.Add(sarif.Result{
			RuleID: f.RuleID, Level: level, Message: msg, Path: f.File,
			Line: f.Line, Col: f.Column, EndLine: f.EndLine, EndCol: f.EndColumn,
			Snippet:      oneLine(f.Match),
			Fingerprints: fps,
			Properties:   props,
		})
	}
	for _, e := range r.Errors {
		b.AddError(e.Path, "could not scan: "+e.Err)
	}
	b.AddVersionControl(sarif.VersionControl{RepositoryURI: r.RepositoryURI, RevisionID: r.Revision})
	return b.Write(w)
}

func (r *Report) writeJUnit(w io.Writer) error {
	suite := junit.Suite{Name: "secrets", Time: junit.Seconds(r.Duration)}
	for _, f := range r.Findings {
		c := junit.Case{Name: f.Location() + " " + f.RuleID, Classname: "secrets." + f.RuleID, File: f.File, Line: f.Line}
		switch {
		case f.Counts(r.Strict):
			msg := f.Description
			if f.Critical {
				msg = "critical: " + msg
			}
			c.Failure = &junit.Problem{Message: msg, Type: f.RuleID, Text: oneLine(f.String()) + "\nfingerprint: " + f.Fingerprint}
		default:
			c.Skipped = &junit.Skip{Message: "suppressed: " + string(f.Suppressed)}
		}
		suite.Cases = append(suite.Cases, c)
	}
	for _, e := range r.Errors {
		suite.Cases = append(suite.Cases, junit.Case{Name: e.Path, Classname: "secrets.read", File: e.Path, Error: &junit.Problem{Message: "could not scan", Text: e.Err}})
	}
	if len(suite.Cases) == 0 {
		suite.Cases = append(suite.Cases, junit.Case{Name: fmt.Sprintf("%d files scanned", r.Files), Classname: "secrets.scan"})
	}
	s := &junit.Suites{Name: "soakkit secrets", Suites: []junit.Suite{suite}}
	s.Tally()
	return junit.Write(w, s)
}

func (r *Report) writeGitHub(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		if !f.Counts(r.Strict) {
			continue
		}
		title := "secret: " + f.RuleID
		if f.Critical {
			title = "critical secret in artifacts: " + f.RuleID
		}
		msg := f.Description + ": " + oneLine(f.Match)
		if f.Commit != "" {
			msg += fmt.Sprintf(" (added in commit %s by %s on %s; in %d commit(s))", shortCommit(f.Commit), f.Author, f.Date, f.Commits)
		}
		a := ghactions.Annotation{Level: ghactions.Error, File: f.File, Line: f.Line, Col: f.Column, EndLine: f.EndLine, Title: title, Message: msg}
		if f.EndLine == f.Line {
			a.EndCol = f.EndColumn
		}
		bw.WriteString(a.String() + "\n")
	}
	for _, e := range r.Errors {
		bw.WriteString(ghactions.Annotation{Level: ghactions.Warning, File: e.Path, Title: "secrets: file not scanned", Message: e.Err}.String() + "\n")
	}
	return bw.Flush()
}

// WriteOriginalLog writes the stderr lines of scan_secrets.py
// for this report ("[INFO] Scanned N file(s), M match(es) found", the
// "[ERROR] Real secrets detected (NOT allowlisted):" block with up to 20
// redacted findings, "[OK] No secrets found", …), for CI logs and scripts
// that grep for them. The marker line is not included; see [Report.Marker].
func (r *Report) WriteOriginalLog(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var real, allowed, crit []Finding
	for _, f := range r.Findings {
		switch {
		case f.Critical:
			crit = append(crit, f)
		case f.Suppressed == NotSuppressed:
			real = append(real, f)
		default:
			allowed = append(allowed, f)
		}
	}
	list := func(fs []Finding, max int) {
		for i, f := range fs {
			if i == max {
				fmt.Fprintf(bw, "  ... and %d more\n", len(fs)-max)
				break
			}
			fmt.Fprintf(bw, "  %s:%d: %s\n", f.File, f.Line, oneLine(f.Match))
		}
	}
	fmt.Fprintf(bw, "[INFO] Scanned %d file(s), %d match(es) found\n", r.Files, len(r.Findings))
	fmt.Fprintf(bw, "[INFO] Real: %d, Allowlisted: %d\n", len(real), len(allowed))
	if len(r.Errors) > 0 {
		fmt.Fprintln(bw, "[WARN] Some files could not be scanned:")
		for i, e := range r.Errors {
			if i == 5 {
				break
			}
			fmt.Fprintf(bw, "  %s: %s\n", e.Path, e.Err)
		}
	}
	if len(crit) > 0 {
		fmt.Fprintln(bw, "[CRITICAL] Secrets found in artifacts/** (bypasses allowlist):")
		list(crit, 10)
	}
	strictOnly := 0
	for _, f := range allowed {
		if f.Counts(r.Strict) {
			strictOnly++
		}
	}
	switch {
	case len(real) > 0:
		fmt.Fprintln(bw, "[ERROR] Real secrets detected (NOT allowlisted):")
		list(real, 20)
		fmt.Fprintf(bw, "[ERROR] Found %d real secret(s)\n", len(real))
	case strictOnly > 0:
		list(allowed, 10)
		fmt.Fprintf(bw, "[WARN] %d allowlisted finding(s) (strict mode: exit 1)\n", len(allowed))
	case len(allowed) > 0:
		fmt.Fprintf(bw, "[INFO] %d allowlisted finding(s) (ignored)\n", len(allowed))
	case len(crit) == 0:
		fmt.Fprintln(bw, "[OK] No secrets found")
	}
	return bw.Flush()
}
