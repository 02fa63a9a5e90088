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
// # Profiles
//
// The default profile fits any project: it has no label allowlist and no
// denylist. What it checks is what is wrong everywhere: invalid and
// reserved label names, duplicates and use-site arity (errors), label
// names that look unbounded such as ids, emails, addresses, UUIDs, URLs,
// paths and timestamps (warnings, unless the label is allowed or has a
// cardinality hint), and promlint's naming rules (warnings).
//
// "profile: trading" selects lint_metrics_labels.py's rules: the 22-label
// allowlist [TradingAllow] and the denylist [TradingDeny], as errors. The
// same allowlist is available as a plain label list from [TradingLabels].
// Setting metrics.labels.allow (or allow_file, or passing a plain list)
// turns the allowlist check on under any profile.
//
// The zero value of every field selects its default; [Default] returns a
// configuration with all defaults filled in, which is what [Parse] and
// [Load] return for an empty file.
//
// Package config does not discover configuration files; callers pass a path.
package config
