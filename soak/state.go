package soak

import "errors"

// ErrFinished is returned by [Soak.Resume] for a soak that ended for a reason
// other than a signal or a crash.
var ErrFinished = errors.New("soak: already finished")

// ErrNoState is returned by [Soak.Resume] when there is no checkpoint.
var ErrNoState = errors.New("soak: no checkpoint to resume")
