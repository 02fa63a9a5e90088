package proctree

import (
	"errors"
	"fmt"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

type sysTree struct {
	job windows.Handle
}

// EnableSubreaper is only available on Linux; here it returns an error
// wrapping errors.ErrUnsupported. Job objects already hold every descendant.
func EnableSubreaper() error {
	return errors.Join(errors.New("proctree: child subreaper needs Linux"), errors.ErrUnsupported)
}

// SubreaperEnabled reports whether EnableSubreaper has succeeded: never here.
func SubreaperEnabled() bool { return false }

func (t *Tree) prepare(opts Options) error {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return fmt.Errorf("proctree: CreateJobObject: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return fmt.Errorf("proctree: SetInformationJobObject: %w", err)
	}
	t.sys.job = job
	if t.cmd.SysProcAttr == nil {
		t.cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// Created suspended, the command cannot start a child before it is in
	// the job; afterStart assigns it and resumes it.
	t.cmd.SysProcAttr.CreationFlags |= windows.CREATE_SUSPENDED
	return nil
}

func (t *Tree) afterStart() error {
	pid := uint32(t.cmd.Process.Pid)
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, pid)
	if err != nil {
		return fmt.Errorf("OpenProcess: %w", err)
	}
	err = windows.AssignProcessToJobObject(t.sys.job, h)
	windows.CloseHandle(h)
	if err != nil {
		return fmt.Errorf("AssignProcessToJobObject: %w", err)
	}
	return resumeProcess(pid)
}

// resumeProcess resumes the threads of a process created suspended (one,
// its main thread). os/exec does not return the thread handle, so the thread
// is found through a Toolhelp32 snapshot.
func resumeProcess(pid uint32) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return fmt.Errorf("CreateToolhelp32Snapshot: %w", err)
	}
	defer windows.CloseHandle(snap)
	var te windows.ThreadEntry32
	te.Size = uint32(unsafe.Sizeof(te))
	resumed := 0
	for err = windows.Thread32First(snap, &te); err == nil; err = windows.Thread32Next(snap, &te) {
		if te.OwnerProcessID != pid {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, te.ThreadID)
		if err != nil {
			return fmt.Errorf("OpenThread: %w", err)
		}
		_, err = windows.ResumeThread(th)
		windows.CloseHandle(th)
		if err != nil {
			return fmt.Errorf("ResumeThread: %w", err)
		}
		resumed++
	}
	if resumed == 0 {
		return fmt.Errorf("no thread found for process %d", pid)
	}
	return nil
}

func (t *Tree) terminate() error { return t.kill() }

func (t *Tree) kill() error {
	if err := windows.TerminateJobObject(t.sys.job, 1); err != nil {
		return fmt.Errorf("proctree: TerminateJobObject: %w", err)
	}
	return nil
}

func (t *Tree) close() error {
	if t.sys.job == 0 {
		return nil
	}
	err := windows.CloseHandle(t.sys.job)
	t.sys.job = 0
	return err
}

// processIDList mirrors JOBOBJECT_BASIC_PROCESS_ID_LIST with room for 1024
// processes.
type processIDList struct {
	NumberOfAssignedProcesses uint32
	NumberOfProcessIdsInList  uint32
	ProcessIDList             [1024]uintptr
}

// basicAccounting mirrors JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.
type basicAccounting struct {
	TotalUserTime             int64
	TotalKernelTime           int64
	ThisPeriodTotalUserTime   int64
	ThisPeriodTotalKernelTime int64
	TotalPageFaultCount       uint32
	TotalProcesses            uint32
	ActiveProcesses           uint32
	TotalTerminatedProcesses  uint32
}

func (t *Tree) sweep() []Process {
	t.mu.Lock()
	job := t.sys.job
	t.mu.Unlock()
	if job == 0 {
		return nil
	}
	var list processIDList
	var found []Process
	if err := windows.QueryInformationJobObject(job, windows.JobObjectBasicProcessIdList,
		uintptr(unsafe.Pointer(&list)), uint32(unsafe.Sizeof(list)), nil); err == nil {
		n := min(int(list.NumberOfProcessIdsInList), len(list.ProcessIDList))
		for _, id := range list.ProcessIDList[:n] {
			found = append(found, Process{PID: int(id), Cmdline: imageName(uint32(id))})
		}
	}
	windows.TerminateJobObject(job, 1)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var acct basicAccounting
		if err := windows.QueryInformationJobObject(job, windows.JobObjectBasicAccountingInformation,
			uintptr(unsafe.Pointer(&acct)), uint32(unsafe.Sizeof(acct)), nil); err != nil || acct.ActiveProcesses == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return found
}

func imageName(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(h, 0, &buf[0], &n); err != nil {
		return ""
	}
	return windows.UTF16ToString(buf[:n])
}

func cookies(pid int) []string { return nil }
