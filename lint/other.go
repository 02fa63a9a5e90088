package lint

// runOther lints the non-Go targets.
func (r *runner) runOther(p *plan) error {
	if len(p.pyFiles) > 0 || len(p.expoFiles) > 0 || len(p.urls) > 0 || p.stdin {
		r.addError("", "python and exposition targets are not supported yet")
	}
	return nil
}

func (r *runner) applyBaseline() error { return nil }
