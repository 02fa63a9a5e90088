package artifact

import "strings"

// Self is the target label of the soak's own process in samples.jsonl and
// [Record.Resources].
const Self = "self"

// stepPrefix starts the target label of a step's process tree.
const stepPrefix = "step:"

// StepTarget returns the target label of the process tree of the step
// named name: "step:NAME". Step targets are short-lived (one per run of the
// step), so their leaks are judged per iteration, not per sample.
func StepTarget(name string) string { return stepPrefix + name }

// StepName returns the step named by a [StepTarget] label, and whether
// label is one.
func StepName(label string) (string, bool) { return strings.CutPrefix(label, stepPrefix) }

// IsStep reports whether label is a [StepTarget] label.
func IsStep(label string) bool { return strings.HasPrefix(label, stepPrefix) }

// ServiceTarget returns the target label of the service named name: its
// name, unchanged, so that a page or an alert shows the software under test
// by the name the plan gave it.
func ServiceTarget(name string) string { return name }
