//go:build !linux

package probe

import "context"

// osState is the OS-specific state of a ProcSampler.
type osState struct {
	g gopsutilState
}

func (p *ProcSampler) collect(ctx context.Context) ([]procInfo, int, error) {
	return p.os.g.collect(ctx, p.pid, p.tree)
}
