// Command soakkit is the thin command-line harness over the soakkit library:
// it maps flags, environment variables and a config file to library calls,
// and their results to exit codes. It has no logic of its own.
//
// Usage:
//
//	soakkit validate [flags]          run the plan once (full-stack validation)
//	soakkit soak [flags] [-- CMD …]   repeat the plan, or a command, for hours
//	soakkit secrets [PATH…] [flags]   scan for secrets
//	soakkit lint [PATH…|URL] [flags]  metrics-label, JSON-writer and ASCII-log lints
//	soakkit env                       the environment snapshot as JSON (redacted)
//	soakkit report DIR                render the summary and HTML report again
//
// Exit codes: 0 success; 1 failures or findings; 2 bad usage or bad config;
// 3 a leak or slowdown verdict; 4 a critical finding (a secret inside the
// artifacts directory).
package main
