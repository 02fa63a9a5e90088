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
// Linux, in addition, Sweep also ends processes that left the group
// (setsid, daemons, double forks), in one of two modes fixed when the tree
// starts:
//
//   - Child subreaper mode, when the runner has called [EnableSubreaper]
//     (the soakkit command does, and so should any program that owns its
//     process). Orphans are re-parented to the runner rather than to init,
//     so everything a command started stays below the runner. Sweep walks
//     down from it: the runner's children (/proc/self/task/*/children) in
//     the group or carrying the cookie are the roots, and everything below
//     a root belongs to the tree, so even a process that both left the
//     group and scrubbed its environment is found if some ancestor of it
//     is a root. Cost per Sweep: one children file per runner thread, the
//     stat of each runner child (and the environment of those outside the
//     group), and the stat and children of each process of the tree. It
//     does not grow with the number of processes on the host.
//   - Scan mode, otherwise (a library inside someone else's program):
//     escapees may have been adopted by init or by another subreaper, so
//     Sweep reads /proc/*/stat of every process on the host and the
//     environment of those started after the command, and finds escapees
//     by the cookie (a process caught in execve, whose environment reads
//     empty for a moment, is read again for a few milliseconds). Cost per
//     Sweep: a file read per process on the host (25–35 ms of CPU with
//     2,000 processes on a 2-core host). Processes that scrub their
//     environment are not found.
//
// In both modes, Sweep kills what it finds, waits (a few seconds at most)
// until it is gone, and reaps the processes it killed that had been
// re-parented to the runner, so they leave no zombies. Single processes are
// signaled through a pidfd (pidfd_open and pidfd_send_signal, Linux 5.3+)
// opened before their identity (pid and start time) is checked, so a pid
// reused meanwhile by another process can never be hit; without pidfds, by
// pid right after the check. The group is signaled only while a live member
// pins its number.
//
// A child subreaper must also reap orphans that exit on their own, or they
// pile up as zombies; but it must never reap a child that os/exec (or
// os.Process) will wait for. Sweep and [EndStrays] reap a zombie child of
// the runner only if they know it was adopted (it was a member of the tree
// being ended) or if no pidfd in the runner's descriptor table refers to
// it: an os.Process holds a pidfd for its child until Wait has reaped it
// (Go 1.23+ on kernels with pidfds; [Tree.Start] checks this once, and
// without it no unknown zombie is reaped). A child started with raw
// syscall.ForkExec and waited for by pid is the one case this cannot tell,
// so a program that does that should not enable the subreaper.
//
// [Contained] tells whether a process carries the cookie of a Tree still
// running (or is being ended by a Sweep), so that a search for leftovers
// leaves such processes alone. [EndStrays] is that search: it ends the
// runner's children that belong to no running tree, and everything below
// them, at the same cost as a subreaper-mode Sweep. With
// [Options.Pdeathsig], the command itself (not its descendants) is killed by
// the kernel if the thread that started it dies, which covers a SIGKILLed
// runner; this is only safe if the goroutine that calls [Tree.Start] is
// locked to its OS thread (runtime.LockOSThread) until Wait returns.
//
// macOS and other Unix systems: process group only; Sweep cannot enumerate
// processes, kills the group and returns no list. Cost: one kill(2) per
// Sweep, whatever runs on the host.
//
// Windows: the command is created suspended, assigned to a Job Object with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and only then resumed, so not even its
// first child can escape the job. Children inherit the job; breakaway is not
// allowed. Stop and Kill terminate the job (Windows has no SIGTERM for console
// programs, so there is no graceful phase), Sweep lists and terminates what is
// left, and if the runner dies for any reason the kernel closes the job
// handle and kills the whole tree. Cost: a query of the job's process list
// (proportional to the tree) and one TerminateJobObject per Sweep, whatever
// runs on the host.
//
// What no one can promise: on plain Unix, if the runner itself is SIGKILLed
// (or crashes in a way that skips its cleanup, such as a go test -timeout
// panic), the tree is not ended, except for the direct child when Pdeathsig is
// used. Only an external killer (a cgroup, a CI job teardown) or Windows job
// objects cover that case; a later run can still find such leftovers by
// their cookie if it knows it.
package proctree
