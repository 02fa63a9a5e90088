//go:build windows

package soak

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/windows"
)

// Execution-state flags of SetThreadExecutionState (winbase.h); x/sys/windows
// does not wrap this call.
const (
	esSystemRequired   = 0x00000001
	esAwaymodeRequired = 0x00000040
	esContinuous       = 0x80000000
)

var procSetThreadExecutionState = windows.NewLazySystemDLL("kernel32.dll").NewProc("SetThreadExecutionState")

func setThreadExecutionState(flags uint32) error {
	if err := procSetThreadExecutionState.Find(); err != nil {
		return err
	}
	r, _, err := procSetThreadExecutionState.Call(uintptr(flags))
	if r == 0 {
		return fmt.Errorf("SetThreadExecutionState: %w", err)
	}
	return nil
}

// keepAwake asks Windows not to sleep while the soak runs and returns the
// function that releases the request. The request belongs to the calling
// thread (a request made from a short-lived process or thread is released
// as soon as it ends), so a dedicated goroutine locked to its OS thread
// holds it until release is called.
func keepAwake() (release func(), err error) {
	done := make(chan struct{})
	armed := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		err := setThreadExecutionState(esContinuous | esSystemRequired | esAwaymodeRequired)
		if err != nil {
			// Away mode is not supported everywhere; system-required alone
			// still prevents idle sleep.
			err = setThreadExecutionState(esContinuous | esSystemRequired)
		}
		armed <- err
		if err != nil {
			return
		}
		<-done
		setThreadExecutionState(esContinuous)
	}()
	if err := <-armed; err != nil {
		<-exited
		return func() {}, err
	}
	return func() { close(done); <-exited }, nil
}
