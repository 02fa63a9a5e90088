package probe

func forceScan(p *ProcSampler) { p.forceScan() }
