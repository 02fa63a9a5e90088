// Package config reads the configuration of soakkit's lints: the metric
// label allowlist and denylist, per-metric rules, naming rules, the
// sanctioned atomic writers, suppression and baseline settings.
//
// One file serves every analyzer. It may be YAML or JSON (JSON is parsed as
// YAML, so positions are reported the same way) and is strict: an unknown
// key is a [*Error] that names the file and line. For migration from
// lint_metrics_labels.py, a plain label list (one name per line, '#'
// comments) is accepted as well and becomes the label allowlist.
//
// The zero value of every field selects its default; [Default] returns a
// configuration with all defaults filled in, which is what [Parse] and
// [Load] return for an empty file.
//
// Package config does not discover configuration files; callers pass a path.
package config
