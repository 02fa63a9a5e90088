package soak

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/soakkit/soakkit/soak/artifact"
)

// ErrFinished is returned by [Soak.Resume] for a soak that ended for a reason
// other than a signal or a crash.
var ErrFinished = errors.New("soak: already finished")

// ErrNoState is returned by [Soak.Resume] when there is no checkpoint.
var ErrNoState = errors.New("soak: no checkpoint to resume")

// A Checkpoint is what a soak saved in state.json for its resume: its state
// and the settings it ran with, however they were given.
type Checkpoint struct {
	State     artifact.State
	Config    Config        // decoded from State.Config
	Heartbeat time.Duration // DefaultHeartbeat if the state does not say
}

// ReadCheckpoint reads the checkpoint of the soak whose artifacts tree is
// at root. Without one it returns [ErrNoState]; a state.json that cannot be
// read or decoded is an error naming the file.
func ReadCheckpoint(root string) (*Checkpoint, error) {
	path := artifact.Layout{Root: root}.State()
	st, err := artifact.ReadState(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoState
	}
	if err != nil {
		return nil, err
	}
	cp := &Checkpoint{State: *st, Heartbeat: DefaultHeartbeat}
	if len(st.Config) > 0 {
		if err := json.Unmarshal(st.Config, &cp.Config); err != nil {
			return nil, fmt.Errorf("soak: %s: config: %w", path, err)
		}
	}
	if st.Heartbeat != nil {
		cp.Heartbeat = st.Heartbeat.Std()
	}
	return cp, nil
}
