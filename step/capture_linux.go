package step

import (
	"os"
	"syscall"
)

// createLog creates the log file at path, which must not exist, for
// writing. It is os.OpenFile(path, O_WRONLY|O_CREATE|O_EXCL, 0o644) minus
// the five system calls os.OpenFile spends trying to register a regular
// file with the poller (which refuses it) and restoring its flags: two
// log files per step make that a tenth of a step's own system calls.
func createLog(path string) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}

// pipe returns a pipe whose read end is registered with the poller (so a
// read deadline can unblock it) and whose write end, meant for a child, is
// a plain blocking descriptor: os.Pipe makes both non-blocking and
// registers both, and os/exec then turns the write end back to blocking.
func pipe() (r, w *os.File, err error) {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	if err := syscall.SetNonblock(p[0], true); err != nil {
		syscall.Close(p[0])
		syscall.Close(p[1])
		return nil, nil, os.NewSyscallError("fcntl", err)
	}
	return os.NewFile(uintptr(p[0]), "|0"), os.NewFile(uintptr(p[1]), "|1"), nil
}
