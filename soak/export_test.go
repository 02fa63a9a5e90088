package soak

// WithWriteFault exposes the write seam to the external tests that judge a
// soak's artifacts with soak/summary (which imports this package).
func WithWriteFault(fn func(path string) error) Option { return withWriteFault(fn) }

// WithoutEnv exposes withoutEnv to the external tests.
func WithoutEnv() Option { return withoutEnv() }
