package config

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/soakkit/soakkit/lint"
)

// optionalSections closes every file Template writes: the settings a new
// project does not need yet, commented out. Removing the leading "# " of
// a block's lines turns it on; each is valid as written (a test uncomments
// them all and loads the result). The soak lines continue the soak section
// the default plan ends with.
const optionalSections = `  # duration: 8h                    # how long ` + "`soakkit soak`" + ` runs (--duration)
  # keep_going: true                # continue after a failed iteration
  # max_failures: 5                 # ... but not after this many
  # max_bytes: 2GiB                 # cap on the artifacts tree (--max-bytes)
  # service:                        # the software under test, started once and watched
  #   argv: [./bin/server, --port, "8080"]
  #   ready: {tcp: "127.0.0.1:8080"}

# --- Optional sections: remove the leading "# " of a block to use it. ---
# lint:
#   baseline: .lint-baseline.json   # accepted findings; create it: soakkit lint --write-baseline .lint-baseline.json
#   analyzers: [metriclabels, metricnames, atomicwrite]
# secrets:
#   baseline: .secrets-baseline.json  # create it: soakkit secrets --write-baseline .secrets-baseline.json
#   exclude: ["vendor/**"]
# gates:                            # numbers a soak must keep
#   - figure: failure_rate
#     max: 0.01
# leaks:
#   policies:
#     rss: {floor: 262144}          # bytes/min of growth below which it is noise
# slowdown:
#   min_increase: 0.2               # 20% slower over the run is a verdict
# notify:                           # unset variables disable a notifier, with a note
#   every: 30m
#   slack: {url_env: SLACK_WEBHOOK_URL}
#   telegram: {token_env: TELEGRAM_BOT_TOKEN, chat_id_env: TELEGRAM_CHAT_ID}
`

// Template returns a commented soakkit.yaml for what dir holds, the
// directory it belongs in, and a sentence saying what was found:
//
//   - in a Go module: the embedded Go plan spelled out, for the module root
//     (where [Find] looks);
//   - else, with Python sources below dir: the embedded Python plan, for dir;
//   - else an error wrapping [ErrNoDefault].
//
// The plan and soak settings are those the command runs without a file,
// so writing the file changes nothing until it is edited. Optional
// sections follow, commented out.
func Template(dir string) (data []byte, root, found string, err error) {
	src, err := lint.Detect(dir)
	if err != nil {
		return nil, "", "", fmt.Errorf("init: %w", err)
	}
	body := defaultPythonYAML
	var what []string
	switch {
	case src.GoModule != "":
		root = ModuleRoot(dir)
		body = defaultYAML
		mod := "Go module"
		if p := modulePath(filepath.Join(root, "go.mod")); p != "" {
			mod += " " + p
		}
		what = append(what, mod)
		if src.PythonFiles > 0 {
			what = append(what, fmt.Sprintf("%d Python files (linted too)", src.PythonFiles))
		}
	case src.PythonFiles > 0:
		if root, err = filepath.Abs(dir); err != nil {
			return nil, "", "", err
		}
		what = append(what, fmt.Sprintf("%d Python files, no go.mod", src.PythonFiles))
		if src.GoFiles > 0 {
			what = append(what, fmt.Sprintf("%d Go files outside any module (not built or tested)", src.GoFiles))
		}
	default:
		_, _, err := DefaultFor(dir)
		return nil, "", "", fmt.Errorf("init: %w", err)
	}
	found = strings.Join(what, ", ")

	var b bytes.Buffer
	fmt.Fprintf(&b, "# soakkit.yaml for %s: %s.\n", root, found)
	b.WriteString("# Written by `soakkit init`. The plan below is the embedded default plan\n")
	b.WriteString("# spelled out: edit it freely. Relative paths are relative to this file;\n")
	b.WriteString("# `soakkit validate --help`, `soakkit soak --help` and the README explain\n")
	b.WriteString("# every setting. Check the file with `soakkit validate`.\n")
	b.WriteString("artifacts: artifacts               # where reports, logs and soak records go\n")
	b.Write(withoutHeader(body))
	b.WriteString(optionalSections)
	return b.Bytes(), root, found, nil
}

// withoutHeader drops the leading comment lines of an embedded plan: they
// describe the embedded file, not the one written.
func withoutHeader(y []byte) []byte {
	for len(y) > 0 && y[0] == '#' {
		i := bytes.IndexByte(y, '\n')
		if i < 0 {
			return nil
		}
		y = y[i+1:]
	}
	return y
}

// modulePath returns the module path declared in the go.mod at path, or "".
func modulePath(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			if i := strings.Index(rest, "//"); i >= 0 {
				rest = rest[:i]
			}
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
