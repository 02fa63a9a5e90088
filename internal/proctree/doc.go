// Package proctree contains and ends the whole process tree of a command
// started with os/exec: the command itself, its children and their
// descendants, including those that left the process group.
//
// It is shared by step (one command per step) and soak (long-running service
// processes). A caller prepares an *exec.Cmd before starting it, starts it
// through the [Tree], waits for it with [exec.Cmd.Wait] as usual, and then
// calls [Tree.Sweep], which ends everything the command left behind and
// reports what it found:
//
//	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 300 & sleep 300")
//	t, err := proctree.Prepare(cmd, proctree.Options{Grace: 5 * time.Second})
//	if err != nil { ... }
//	if err := t.Start(); err != nil { ... }
//	err = cmd.Wait()
//	leftovers := t.Sweep() // killed; report them
//
// If cmd was made with [exec.CommandContext], Prepare replaces its Cancel
// with [Tree.Stop] (graceful signal to the whole tree, then a kill after the
// grace period) and sets a WaitDelay if none is set, so a canceled context
// ends the tree and Wait never hangs on pipes held by grandchildren.
//
// # What is guaranteed where
//
// Everywhere: every process started through a Tree carries an environment
// variable whose name is unique to that Tree (the cookie, [Tree.Cookie]), and
// nothing is ever signaled that is not the command, a member of its process
// group or job, or a process carrying its cookie.
//
// Unix (Linux, macOS, BSDs): the command runs in a process group of its own.
// [Tree.Stop] sends SIGTERM to the group and SIGKILL after the grace period;
// [Tree.Sweep] sends SIGKILL to the group. No process that stayed in the group
// survives a Sweep. Since the group is not the terminal's foreground group, a
// Ctrl+C at the terminal reaches only the runner, which must cancel its
// context (signal.NotifyContext) for the trees to end.
//
// Linux, in addition: Sweep scans /proc for processes that left the group
// (setsid, daemons, double forks) but still carry the cookie, kills them, and
// waits until they are gone. [Contained] tells whether a process carries the
// cookie of a Tree still running, so that a search for leftovers (soak's
// survivor check) leaves such processes alone, and [Lookup] describes a
// process as Sweep would. Processes that scrub their environment are not
// found. With [Options.Pdeathsig], the command itself (not its descendants)
// is killed by the kernel if the thread that started it dies, which covers a
// SIGKILLed runner; this is only safe if the goroutine that calls
// [Tree.Start] is locked to its OS thread (runtime.LockOSThread) until Wait
// returns. [EnableSubreaper] makes the runner a child subreaper: orphaned
// descendants are re-parented to the runner instead of init, and Sweep reaps
// the ones it kills, so they leave no zombies.
//
// macOS and other Unix systems: process group only; Sweep cannot enumerate
// processes, kills the group and returns no list.
//
// Windows: the command is created suspended, assigned to a Job Object with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and only then resumed, so not even its
// first child can escape the job. Children inherit the job; breakaway is not
// allowed. Stop and Kill terminate the job (Windows has no SIGTERM for console
// programs, so there is no graceful phase), Sweep lists and terminates what is
// left, and if the runner dies for any reason the kernel closes the job
// handle and kills the whole tree.
//
// What no one can promise: on plain Unix, if the runner itself is SIGKILLed
// (or crashes in a way that skips its cleanup, such as a go test -timeout
// panic), the tree is not ended, except for the direct child when Pdeathsig is
// used. Only an external killer (a cgroup, a CI job teardown) or Windows job
// objects cover that case; a later run can still find such leftovers by
// their cookie if it knows it.
package proctree
