// Package strictyaml decodes YAML (and JSON, which it accepts as YAML)
// configuration strictly: an unknown key, a wrong type or a bad duration is
// an error that names the file, the line and the field, as
//
//	soakkit.yaml:12: plan.steps[2].timeout: cannot unmarshal !!str `5x` into time.Duration
//
// Durations must be strings with a unit ("90s", "5m"); a bare number is
// rejected rather than read as nanoseconds. All problems in a file are
// reported together, not just the first.
package strictyaml
