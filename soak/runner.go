package soak

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"unicode"

	"github.com/soakkit/soakkit/soak/artifact"
)

// maxRunnerName bounds a runner's name: it labels tables, files and
// metrics.
const maxRunnerName = 128

// checkRunnerName reports a runner name that cannot label a table row or
// a metric: control characters, or too long. Empty is fine (detected).
func checkRunnerName(name string) error {
	if len(name) > maxRunnerName {
		return fmt.Errorf("%d bytes, more than %d", len(name), maxRunnerName)
	}
	if strings.TrimSpace(name) != name {
		return errors.New("leading or trailing space")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("%q holds a control character", name)
		}
	}
	return nil
}

// podName matches the name of a pod of an Indexed Job: JOB-INDEX-RANDOM.
var podName = regexp.MustCompile(`^(.+)-([0-9]+)-[a-z0-9]{5}$`)

// DetectRunner names the runner from the environment, read through getenv
// (os.Getenv if nil):
//
//   - GitHub Actions (GITHUB_ACTIONS=true): RUNNER_NAME, after the job id
//     (GITHUB_JOB) and, when the workflow sets it, SOAKKIT_MATRIX (the
//     matrix values are not in the environment unless the workflow puts
//     them there): "soak/linux-shard-0/GitHub Actions 12".
//   - Kubernetes (KUBERNETES_SERVICE_HOST set): the pod's name (HOSTNAME);
//     for a pod of an Indexed Job (JOB_COMPLETION_INDEX set) the job's
//     name and the index, which a replacement pod keeps: "soak-3".
//   - Else the host name, or "local" if it is unknown.
//
// A name that [Config.Validate] would reject is cleaned of its control
// characters and cut to length.
func DetectRunner(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	name := detectRunner(getenv)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if len(name) > maxRunnerName {
		name = strings.TrimSpace(strings.ToValidUTF8(name[:maxRunnerName], ""))
	}
	if name == "" {
		return "local"
	}
	return name
}

func detectRunner(getenv func(string) string) string {
	if getenv("GITHUB_ACTIONS") == "true" {
		var parts []string
		for _, k := range []string{"GITHUB_JOB", "SOAKKIT_MATRIX", "RUNNER_NAME"} {
			if v := strings.TrimSpace(getenv(k)); v != "" {
				parts = append(parts, v)
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, "/")
		}
	}
	if getenv("KUBERNETES_SERVICE_HOST") != "" {
		pod, idx := getenv("HOSTNAME"), getenv("JOB_COMPLETION_INDEX")
		if m := podName.FindStringSubmatch(pod); m != nil && idx != "" && m[2] == idx {
			return m[1] + "-" + idx
		}
		switch {
		case pod != "" && idx != "":
			return pod + "-" + idx
		case pod != "":
			return pod
		case idx != "":
			return "index-" + idx
		}
	}
	if h, err := os.Hostname(); err == nil {
		return h
	}
	return ""
}

// runnerOf is the runner recorded for a soak of cfg that starts now.
func runnerOf(cfg *Config) *artifact.Runner {
	name := cfg.Runner
	if name == "" {
		name = DetectRunner(nil)
	}
	return &artifact.Runner{Name: name, OS: runtime.GOOS, Arch: runtime.GOARCH, Shard: cfg.Shard.String()}
}
