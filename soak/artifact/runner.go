package artifact

import "strings"

// A Runner identifies the machine, job or pod a soak ran on, so that the
// artifacts of several runners of one suite can be told apart and merged
// (soakkit merge). It is recorded in state.json when the soak starts and
// kept across resumes.
type Runner struct {
	// Name is the runner's name: given (soakkit's --runner, soak.Config's
	// Runner), or taken from the environment (see soak.DetectRunner).
	Name string `json:"name"`
	OS   string `json:"os"`   // GOOS of the soak process
	Arch string `json:"arch"` // GOARCH of the soak process
	// Shard is the part of the suite this runner ran, "INDEX/TOTAL" (the
	// index counts from 0); empty when it ran the whole suite.
	Shard string `json:"shard,omitempty"`
}

// String describes r for humans: "linux-2 (linux/amd64, shard 2/4)".
func (r *Runner) String() string {
	if r == nil {
		return "unknown runner"
	}
	var b strings.Builder
	b.WriteString(r.Name)
	if r.OS != "" || r.Shard != "" {
		b.WriteString(" (")
		b.WriteString(r.OS + "/" + r.Arch)
		if r.Shard != "" {
			b.WriteString(", shard " + r.Shard)
		}
		b.WriteString(")")
	}
	return b.String()
}
