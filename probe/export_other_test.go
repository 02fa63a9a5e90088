//go:build !linux

package probe

func forceScan(p *ProcSampler) {}
