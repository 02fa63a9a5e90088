//go:build linux

package soak

import (
	"bytes"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/soakkit/soakkit/soak/artifact"
)

// endOrphans finds the processes that carry one of cookies in their
// environment (the process trees an earlier run of the soak recorded as
// running in state.json, left behind when that run was killed), kills
// them and returns them. It waits, a few seconds at most, until they are
// gone. It reads /proc; processes of other users it cannot read are not
// found.
func endOrphans(cookies []string) []artifact.Process {
	if len(cookies) == 0 {
		return nil
	}
	needles := make([][]byte, len(cookies))
	for i, c := range cookies {
		needles[i] = []byte(c + "=")
	}
	self := os.Getpid()
	var found []artifact.Process
	seen := map[int]bool{}
	// Scan again after killing: a process may have forked between the
	// scan and its kill.
	for pass := 0; pass < 3; pass++ {
		names, _ := os.ReadDir("/proc")
		killed := 0
		for _, e := range names {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == self || seen[pid] || !procAlive(pid) || !carries(pid, needles) {
				continue
			}
			seen[pid] = true
			p := artifact.Process{PID: pid, Cmdline: cmdline(pid)}
			if unix.Kill(pid, unix.SIGKILL) == nil {
				found = append(found, p)
				killed++
			}
		}
		if killed == 0 {
			break
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, p := range found {
		for procAlive(p.PID) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	return found
}

// carries reports whether pid's environment holds a variable named by one
// of needles ("NAME=").
func carries(pid int, needles [][]byte) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	for entry := range bytes.SplitSeq(b, []byte{0}) {
		for _, n := range needles {
			if bytes.HasPrefix(entry, n) {
				return true
			}
		}
	}
	return false
}

func cmdline(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return ""
	}
	b = bytes.ReplaceAll(bytes.TrimRight(b, "\x00"), []byte{0}, []byte{' '})
	if len(b) > 512 {
		b = append(b[:512:512], "..."...)
	}
	return string(b)
}

// procAlive reports whether pid exists and is not a zombie.
func procAlive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')')
	return i < 0 || i+2 >= len(b) || (b[i+2] != 'Z' && b[i+2] != 'X')
}
