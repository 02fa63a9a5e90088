// Package secrets finds secrets in files, directory trees, readers and git
// changes, and masks them in text and streams.
//
// # Detection
//
// Each built-in [Rule] has keywords. One Aho–Corasick pass over a
// lower-cased chunk finds every keyword hit, and at each hit a hand-written
// matcher verifies the token around it in time proportional to the token:
// its prefix, alphabet, length and boundaries, and, where the format has
// one, its checksum (GitHub and npm tokens carry a base62 CRC-32). Generic
// `password = "…"`-style assignments are found by a one-pass lexer started
// at key-name hits and gated by the value's shape and entropy; placeholders,
// references, paths, URLs and UUIDs are not secrets. Private keys are found
// in PEM and OpenSSH form, also when embedded (\n-escaped in JSON, indented
// in YAML, in heredocs or concatenated string literals). Base64 and hex
// runs that decode to text are rescanned to a bounded depth.
//
// Beyond the common credentials, [DefaultRules] has a rule for each kind of
// token some two hundred services issue (cloud, CI, chat, payments, package
// registries, AI APIs, databases, SaaS), written from each service's
// published format. A prefixed token is found by its prefix and checked for
// its structure: a checksum (Grafana service-account tokens, age keys'
// bech32), an embedded base64 JSON header (Grafana, Sentry, 1Password,
// Mapbox tokens) or its alphabet and length. A token without a prefix is
// found only as the value assigned to a key that names its service
// (ALGOLIA_API_KEY=…). Connection URIs of every common scheme (postgres,
// mysql, mongodb+srv, redis, amqp, sqlserver, jdbc:…, ldap, ftp, smtp) give
// up their password, and the assignment lexer reads .env, INI, TOML, YAML
// (block scalars too), JSON, XML elements and key/value attributes, HCL,
// Ruby hashes, .properties, Dockerfile ENV/ARG and base64 values under a
// Kubernetes Secret's data:.
//
// Rules loaded from a configuration file (see [LoadConfig]) carry regular
// expressions; those run only on the lines holding one of their keywords,
// or on a window of lines around them for a pattern that can span lines.
// A composite rule reports a finding only near findings of the rules it
// requires (see [Required]). A rule with only a path reports the files it
// names, as the built-in pkcs12-file rule does for .p12 and .pfx bundles.
//
// # Suppression
//
// A [Finding] can be suppressed by a global or per-rule [Allowlist] (values,
// regular expressions, path globs, stopwords), by a soakkit:allow comment on
// its line, by scan_secrets.py's list of CI [TestCredentials],
// or by a [Baseline] of fingerprints. A token of a checksummed format
// (GitHub classic, npm, Grafana service account, age) is judged by its
// checksum alone, whatever its characters look like: one of the exact
// shape whose checksum does not verify, a placeholder such as ghp_ and 36
// x's included, is reported suppressed as [ChecksumMismatch]: no issuer
// made it, but a real token mistyped or cut short looks the same, and no
// generic rule reports it under another name. A Google API key that Firebase's
// SDKs publish in their own tests and sample projects is reported
// suppressed as [Published]. Suppressed findings stay in the
// [Report] with the reason, redacted like any other; in strict mode all but
// baselined ones still fail. A finding under the artifacts directory is
// critical and is never suppressed.
//
// # Redaction
//
// [Redact], [NewWriter] and the configurable [Redactor] mask secrets with
// [Mask]: everything the rules find, then the eight patterns of redact.py
// in its order, then its key=value pass. Set [Redactor].RulesOnly for logs
// and any text a program parses: it masks only what the rules find, where
// the aggressive default also masks every run of 20 or more token
// characters (byte counts, trace IDs, test names), e-mail addresses and
// public IP addresses.
//
// A Redactor adds rules a [Scanner] leaves out, because for redaction a
// false mask costs nothing: GitHub and npm tokens by shape whatever their
// checksum, the value of any flag or assignment with a secret-like name
// (--token VALUE, PASSWORD=VALUE, "api_key": "VALUE"), and the password of
// any URL. Both find tokens inside JSON strings and percent-encoded text
// ("first\nxoxb-…", "token%3Dghp_…%26"): the end of an escape sequence is a
// token boundary, and a keyword hit next to an escape is verified again in
// the decoded text.
//
// The writer's output is the same as Redact of the whole stream, however
// it is split into writes: both cut text into lines, private key blocks
// (held until their END line) and pieces of lines longer than MaxHold, cut
// only where no secret spans the cut. [RedactArgv] reads a command line as
// one (a flag and its value may be two arguments); [NewHandler] redacts
// slog records.
//
// Linking this package also installs a rules-only Redactor as soakkit's
// redaction boundary, which every artifact writer of soakkit consults.
//
// # Scopes
//
// [Scanner.Scan] walks files and directory trees in parallel (every worker
// both lists directories and scans files); [Scanner.ScanReader] scans one
// stream such as stdin; [Scanner.ScanGit] scans only the lines added in a
// revision range and [Scanner.ScanStaged] those in the index, through the
// real git binary. Binary files (a NUL byte in the first 8 KiB) and
// unreadable files are listed in the [Report], never silently skipped; big
// files and one-line bundles are read in overlapping chunks, never skipped.
//
// # History
//
// [Scanner.ScanHistory] scans every commit of a repository (reachable from
// HEAD, in a range, or from every ref), because a secret committed once
// stays in every clone even after a later commit deletes it. git rev-list
// lists the commits and batches of them go to git diff-tree processes
// running in parallel, so the scan is not bound to one git process; the
// patches are streamed, and only findings are kept. Each commit's added
// lines are scanned, and its removed lines too, so that a walk of the
// commit graph in topological order can tell which commits carry each
// secret. The rules see five unchanged lines around each change, so a
// value edited without its key (a YAML block scalar, an XML element's
// text, a PEM body) is found, where gitleaks' -U0 diffs miss it; only
// findings touching a changed line count, so an unchanged secret is not
// the commit's. A secret is one [Finding], at the commit that introduced it, with
// its author and date and the count of commits carrying it; its
// fingerprint is the same as in a directory scan, so one [Baseline] serves
// both, and gitleaks' .gitleaksignore fingerprints
// (commit:file:rule:line) suppress it through [GitleaksIgnore]. Merge
// commits are not diffed, as in gitleaks, unless [MergesFirstParent] asks.
//
// What the walk keeps grows with the findings, the files deleted in the
// history, and one map entry per commit that carries a secret; the patch
// text, whatever its size, is never held whole. A line longer than 1 MiB
// is held whole while it is scanned.
//
// # Results and exit codes
//
// [Report.Result] is the verdict and [Report.ExitCode] its exit code:
//
//	CLEAN               0  nothing fails the scan
//	FOUND               1  a finding that is not suppressed
//	ALLOWLISTED_STRICT  1  strict mode, and a finding suppressed by anything but the baseline
//	ERROR               2  no failing finding, but some file could not be read
//	CRITICAL            4  a finding under the artifacts directory
//
// [Report.Marker] is scan_secrets.py's marker line for the same verdict, e.g.
// "| scan_secrets | FAIL | RESULT=FOUND |". Errors that stop a scan (a
// missing path, a bad configuration, a git failure) are returned as errors;
// a command should exit 2 for them.
//
// # What it does not do
//
// It never sends a candidate anywhere to check whether it is live, never
// follows symbolic links, and does not read archives. A [Finding]'s Secret
// field is the only place a raw secret appears; reports, String and
// LogValue carry the redacted match.
package secrets
