// Package step runs one unit of work — an external command, a Go function or
// a `go test -json` run — under a context, contains and ends its whole
// process tree, streams its output to log files, and returns a [Result] that
// marshals to soakkit's report shape.
//
// A [Step] has a name and a Run method. The constructors are [Command] and
// [GoTest] (config structs; call their Step method) and [Func]; [Skip] stands
// for a step that is deliberately not run. The combinators [Sequence],
// [Parallel], [Retry] and [Timeout] build composite steps whose Results nest
// in the declared order, never in completion order. A group of results
// becomes {"result":"OK|FAIL","sections":[{"name","ok","details",…}]} through
// [NewReport] or [Result.Report].
//
// Per-test results ([Result].Tests) come from a GoTest's test2json stream,
// or from the JUnit XML reports a Command names in its JUnit field (pytest,
// jest-junit, Surefire, nextest, gotestsum, ctest…), read as a stream with
// a size limit and without entity expansion, only those written during the
// attempt.
//
// A failed step is a Result with status [Failed], not an error, and bad input
// (an empty argv, a missing binary, a nonexistent directory, a negative
// timeout) is a Result with status [Error] and a message saying what is
// wrong; Run never panics on it. The exit code comes from the process state,
// never from the output. Run returns only after everything it started has
// ended, including every goroutine.
//
// The package never starts a shell, never installs signal handlers and never
// retries unless asked (retries belong to [Retry] or Command.Retries).
//
// # Output
//
// Stdout and stderr stream, while the command runs, to <name>.stdout.log and
// <name>.stderr.log in [Runtime.LogDir], so a step that times out keeps
// everything it printed. Every line passes through [Runtime.Redact] before it
// reaches a log file, the tail or the details; [Runtime.LogFile] can then
// limit what reaches the files (a byte cap) without touching the others. Memory stays bounded for any
// volume of output: lines are handled in pieces of at most 64 KiB and the
// Result keeps only a tail of [TailBytes] and the last non-empty line (the
// details, at most [MaxDetails] characters, over both streams in the order
// they were read).
//
// # Time budgets
//
// A Command's Timeout applies per attempt; an enclosing context's deadline
// applies to everything. A retry never starts if the enclosing deadline
// cannot fit its backoff plus the attempt, and a backoff pause ends when the
// context does. A step stopped by a deadline has status [TimedOut]; one whose
// context was canceled has status [Error] ("canceled: …").
//
// # Process trees
//
// When a Command's attempt ends — on its own, by timeout or by cancellation —
// its whole process tree is ended, and a command that exits successfully but
// leaves processes behind fails (unless AllowLeftovers), with the processes
// listed in [Result.Leftovers]. Output goes through pipes the step owns, so a
// grandchild that inherited stdout never makes Run hang. What is guaranteed
// depends on the OS:
//
//   - Linux: the command runs in its own process group; a stop sends SIGTERM
//     to the group and SIGKILL after the grace period (Command.Grace, default
//     5s). After the command exits, the rest of the group is killed, and so
//     are descendants that left the group (setsid, double fork); Run waits
//     until they are gone. Every process of the attempt carries an
//     environment variable unique to it (SOAKKIT_TREE_<random>=1). Single
//     processes are signaled through pidfds (Linux 5.3+), so a reused pid is
//     never hit. The command is started with Pdeathsig=SIGKILL from a
//     goroutine locked to its OS thread, so if the runner is SIGKILLed the
//     command itself dies, but its descendants do not. How the processes
//     that left the group are found, and at what cost, depends on the
//     runner (the next two items).
//   - Linux with a child subreaper: the runner called [EnableSubreaper] (the
//     soakkit command does). Orphans are re-parented to the runner instead
//     of init, so the step's descendants are found by walking down from the
//     runner: its children in the group or carrying the variable, and
//     everything below them, even processes that also scrubbed their
//     environment. Killed orphans are reaped, and so are other orphans that
//     exited, once no os.Process of the program holds them. The cost of an
//     attempt's sweep is one read of /proc/self/task/<tid>/children per
//     runner thread and of /proc/<pid>/stat per process of the tree,
//     whatever else runs on the host: with BenchmarkOverhead (a step of
//     `true` against a bare exec.Command("true").Run(), interleaved), a step
//     took 1.1–1.5× the bare run on a 2-core host busy with other work, and
//     about the same with 2,000 unrelated processes present.
//   - Linux without a child subreaper (a library inside a program that did
//     not opt in): escapees may have been re-parented to init, so every
//     process on the host is looked at after each attempt (its
//     /proc/<pid>/stat, and the environment of those started after the
//     command). The cost grows with the host's process count: on the same
//     host, 25–35 ms of the runner's CPU per step with 2,000 processes
//     present (4–9× the bare run, against 1.3–1.7× without them).
//     Processes that both leave the group and scrub their environment are
//     not found.
//   - macOS and other Unix: process group and SIGTERM/SIGKILL as on Linux,
//     and the rest of the group is killed after the command exits, but
//     processes cannot be listed there: descendants that leave the group are
//     neither found nor killed, Result.Leftovers stays empty, and nothing
//     covers the runner's own death. The cost is one signal per attempt,
//     whatever else runs on the host.
//   - Windows: the command is created suspended, put into a Job Object with
//     kill-on-job-close and only then resumed, so no descendant can escape
//     it; stopping terminates the job at once (there is no graceful phase),
//     and the kernel kills the whole tree if the runner dies for any reason.
//     The cost is proportional to the step's tree (the job's process list),
//     whatever else runs on the host.
//
// On plain Unix nothing can promise cleanup if the runner itself is
// SIGKILLed: only the direct child (Linux, via Pdeathsig) dies with it.
//
// The package does not watch for Ctrl+C: the runner must cancel the context
// (signal.NotifyContext), since the commands are not in the terminal's
// foreground process group and do not receive the terminal's SIGINT. Run then
// ends every tree and returns within the grace period plus a few seconds.
package step
